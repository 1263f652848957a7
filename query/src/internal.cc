// Internal helpers shared by the query sources.
#include "internal.h"

#include <charconv>

namespace citygraph::query::internal {

Status CheckVertex(const Snapshot& snap, VertexId v) {
  if (v >= snap.num_vertices())
    return InvalidArgument("vertex " + std::to_string(v) + " does not exist (" +
                           std::to_string(snap.num_vertices()) + " vertices)");
  return Status::OK();
}

namespace {

template <typename Defs>
std::optional<PropId> FindProp(const Defs& defs, std::string_view name) {
  for (size_t i = 0; i < defs.size(); ++i)
    if (defs[i].name == name) return static_cast<PropId>(i);
  return std::nullopt;
}

}  // namespace

std::optional<PropId> VertexPropId(const Schema& schema, LabelId label, std::string_view name) {
  if (label >= schema.labels().size()) return std::nullopt;
  return FindProp(schema.labels()[label].properties, name);
}

std::optional<PropId> EdgePropId(const Schema& schema, EdgeTypeId type, std::string_view name) {
  if (type >= schema.edge_types().size()) return std::nullopt;
  return FindProp(schema.edge_types()[type].properties, name);
}

std::string TakeText(Value&& v) {
  if (auto* s = std::get_if<std::string>(&v)) return std::move(*s);
  return ValueToString(v);
}

std::string PropText(const Snapshot& snap, VertexId v, const char* name) {
  auto pid = VertexPropId(snap.schema(), snap.label(v), name);
  if (!pid) return "";
  return TakeText(snap.property(v, *pid));
}

std::string EdgePropText(const Snapshot& snap, EdgeId e, std::optional<PropId> pid) {
  if (!pid) return "";
  for (auto& [p, val] : snap.edge_properties(e)) {
    if (p == *pid) return TakeText(std::move(val));
  }
  return "";
}

std::string EdgePropText(const Snapshot& snap, EdgeId e, const char* name) {
  return EdgePropText(snap, e, EdgePropId(snap.schema(), snap.edge(e).type, name));
}

const EntityRef& EntityMemo::Get(VertexId v) {
  for (const auto& [id, ref] : memo_)
    if (id == v) return *ref;
  const Snapshot& snap = ctx_.snap();
  const LabelId label = snap.label(v);
  if (label >= name_props_.size()) name_props_.resize(label + 1);
  if (!name_props_[label]) name_props_[label] = NameProps::Of(snap.schema(), label);
  memo_.emplace_back(v, std::make_unique<EntityRef>(Describe(snap, v, *name_props_[label])));
  return *memo_.back().second;
}

const SourceInfo& EntityMemo::Source(SourceId s) {
  if (s >= source_info_.size()) source_info_.resize(s + 1);
  if (!source_info_[s]) source_info_[s] = std::make_unique<SourceInfo>(ctx_.snap().source(s));
  return *source_info_[s];
}

MatchSources::MatchSources(const QueryContext& ctx) {
  if (!ctx.aux_prefixes) return;
  auto prefixes = ctx.aux_prefixes("er.match", ':');
  if (!prefixes.ok()) return;  // then every record is looked up
  for (const std::string& p : *prefixes) {
    SourceId s = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size() - 1, s);
    if (ec != std::errc() || end != p.data() + p.size() - 1) return;  // not ours: look up all
    if (s >= has_.size()) has_.resize(s + 1);
    has_[s] = true;
  }
  all_ = false;
}

const std::vector<MatchInfo>& EntityMemo::Matches(const SourceRef& source) {
  const std::pair<SourceId, uint32_t> key{source.source, source.record};
  for (const auto& [k, m] : matches_)
    if (k == key) return *m;
  auto found = std::make_unique<std::vector<MatchInfo>>();
  if (!sources_ || sources_->Has(source.source)) *found = LookupMatches(ctx_, source);
  matches_.emplace_back(key, std::move(found));
  return *matches_.back().second;
}

}  // namespace citygraph::query::internal

namespace citygraph::query::internal {

std::string HubDetail(const Snapshot& snap, VertexId v, size_t cap) {
  return "vertex " + std::to_string(v) + " (" + snap.schema().labels()[snap.label(v)].name +
         ") has " + std::to_string(snap.out_edges(v).size() + snap.in_edges(v).size()) +
         " edges, examined at most " + std::to_string(cap) + " per direction";
}

}  // namespace citygraph::query::internal
