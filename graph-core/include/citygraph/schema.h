// The graph schema: vertex labels, edge types with their allowed endpoint
// labels, typed properties and external-key kinds. The schema is data, read
// from a YAML file, so a new department can add a type without a code change.
//
// File format (see graph-core/schema/city.yaml for the full city schema):
//
//   key_kinds: [id_number, cert_no, plate]
//   vertex_labels:
//     Person:
//       keys: [id_number]              # key kinds a Person may carry
//       properties: {name: string, birth_date: date}
//     House:
//       keys: [cert_no]
//       properties: {address: string, area: double}
//   edge_types:
//     OWNS:
//       from: [Person]
//       to: [House]
//       properties: {share: double}
//
// Property types: string, int64, double, bool, date, timestamp.
//
// Thread-safety: immutable after construction; safe to share.
#ifndef CITYGRAPH_SCHEMA_H_
#define CITYGRAPH_SCHEMA_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/status.h"
#include "citygraph/types.h"

namespace citygraph {

struct PropertyDef {
  std::string name;
  PropType type;
};

struct LabelDef {
  std::string name;
  std::vector<KeyKindId> key_kinds;     // key kinds a vertex of this label may have
  std::vector<PropertyDef> properties;  // PropId = index in this vector
};

struct EdgeTypeDef {
  std::string name;
  std::vector<LabelId> from;            // allowed source labels
  std::vector<LabelId> to;              // allowed target labels
  std::vector<PropertyDef> properties;  // PropId = index in this vector
};

class Schema {
 public:
  // Parses YAML text. InvalidArgument naming the offending entry when the
  // text is not valid YAML, a type name is unknown, a name is duplicated, or
  // an edge type / label refers to an undeclared label / key kind.
  static StatusOr<std::shared_ptr<const Schema>> Parse(std::string_view yaml_text);
  // Reads and parses a file; IOError naming the file if it cannot be read.
  static StatusOr<std::shared_ptr<const Schema>> ReadFile(const std::string& path);

  // The YAML text this schema was parsed from (stored with the database).
  const std::string& text() const { return text_; }

  const std::vector<std::string>& key_kinds() const { return key_kinds_; }
  const std::vector<LabelDef>& labels() const { return labels_; }
  const std::vector<EdgeTypeDef>& edge_types() const { return edge_types_; }

  // Name lookups. NotFound naming the missing name.
  StatusOr<LabelId> FindLabel(std::string_view name) const;
  StatusOr<EdgeTypeId> FindEdgeType(std::string_view name) const;
  StatusOr<KeyKindId> FindKeyKind(std::string_view name) const;
  StatusOr<PropId> FindVertexProperty(LabelId label, std::string_view name) const;
  StatusOr<PropId> FindEdgeProperty(EdgeTypeId type, std::string_view name) const;

  // Checks a vertex property write: prop exists on `label` and `value`'s type
  // matches. InvalidArgument naming label, property and both types.
  Status CheckVertexProperty(LabelId label, PropId prop, const Value& value) const;
  // Checks an edge: endpoint labels allowed for `type`, properties typed right.
  Status CheckEdge(EdgeTypeId type, LabelId from, LabelId to, const Properties& props) const;
  // Checks that `label` may carry keys of `kind`.
  Status CheckKey(LabelId label, KeyKindId kind) const;

 private:
  std::string text_;
  std::vector<std::string> key_kinds_;
  std::vector<LabelDef> labels_;
  std::vector<EdgeTypeDef> edge_types_;
};

}  // namespace citygraph

#endif  // CITYGRAPH_SCHEMA_H_
