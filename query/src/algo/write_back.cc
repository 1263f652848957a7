// Writes per-vertex algorithm results back as vertex properties (see
// write_back.h). The property of each label is resolved and type-checked
// before anything is written, so a refusal leaves the database unchanged.
#include "citygraph/algo/write_back.h"

#include <cassert>
#include <map>
#include <string>

namespace citygraph::algo {
namespace {

// Resolves `name` on every label present in the projection.
StatusOr<std::map<LabelId, PropId>> ResolveProperty(const Snapshot& s, const Projection& p,
                                                    std::string_view name, bool integers) {
  const Schema& schema = s.schema();
  std::map<LabelId, PropId> props;
  for (VertexId v : p.vertex) {
    LabelId label = s.label(v);
    if (props.count(label)) continue;
    const std::string& label_name = schema.labels()[label].name;
    auto prop = schema.FindVertexProperty(label, name);
    if (!prop.ok()) {
      return FailedPrecondition("label '" + label_name + "' has no property '" + std::string(name) +
                                "' in the schema; add '" + std::string(name) + ": " +
                                (integers ? "int64" : "double") + "' to " + label_name +
                                ".properties in the schema file to store this result");
    }
    PropType type = schema.labels()[label].properties[*prop].type;
    bool fits = type == PropType::kDouble || (integers && type == PropType::kInt64);
    if (!fits) {
      return InvalidArgument("property '" + label_name + "." + std::string(name) + "' is " +
                             std::string(PropTypeName(type)) + ", but the result is " +
                             (integers ? "integer (needs int64 or double)" : "double"));
    }
    props[label] = *prop;
  }
  return props;
}

template <typename T>
Status WriteBack(Database& db, const Projection& p, std::string_view name,
                 std::span<const T> values, std::string_view source_file) {
  assert(values.size() == p.vertex.size());
  std::shared_ptr<const Snapshot> snap = db.GetSnapshot();
  constexpr bool kIntegers = std::is_integral_v<T>;
  CG_ASSIGN_OR_RETURN(auto props, ResolveProperty(*snap, p, name, kIntegers));
  CG_ASSIGN_OR_RETURN(SourceId source, db.RegisterSource("algo", source_file));
  WriteBatch batch(db.schema());
  const Schema& schema = *db.schema();
  for (size_t u = 0; u < p.vertex.size(); ++u) {
    VertexId v = p.vertex[u];
    LabelId label = snap->label(v);
    PropId prop = props[label];
    Value value;
    if (schema.labels()[label].properties[prop].type == PropType::kInt64) {
      value = static_cast<int64_t>(values[u]);
    } else {
      value = static_cast<double>(values[u]);
    }
    batch.SetProperty(VertexRef::Existing(v), prop, value,
                      SourceRef{source, static_cast<uint32_t>(u), 0});
  }
  CG_ASSIGN_OR_RETURN(CommitResult result, db.Write(batch));
  (void)result;
  return Status::OK();
}

}  // namespace

Status WriteBackDoubles(Database& db, const Projection& p, std::string_view name,
                        std::span<const double> values, std::string_view source_file) {
  return WriteBack(db, p, name, values, source_file);
}

Status WriteBackIntegers(Database& db, const Projection& p, std::string_view name,
                         std::span<const int64_t> values, std::string_view source_file) {
  return WriteBack(db, p, name, values, source_file);
}

}  // namespace citygraph::algo
