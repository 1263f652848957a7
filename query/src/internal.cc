// Internal helpers shared by the query sources.
#include "internal.h"

namespace citygraph::query::internal {

Status CheckVertex(const Snapshot& snap, VertexId v) {
  if (v >= snap.num_vertices())
    return InvalidArgument("vertex " + std::to_string(v) + " does not exist (" +
                           std::to_string(snap.num_vertices()) + " vertices)");
  return Status::OK();
}

std::string PropText(const Snapshot& snap, VertexId v, const char* name) {
  auto pid = snap.schema().FindVertexProperty(snap.label(v), name);
  if (!pid.ok()) return "";
  return ValueToString(snap.property(v, *pid));
}

std::string EdgePropText(const Snapshot& snap, EdgeId e, const char* name) {
  auto pid = snap.schema().FindEdgeProperty(snap.edge(e).type, name);
  if (!pid.ok()) return "";
  for (const auto& [p, val] : snap.edge_properties(e)) {
    if (p == *pid) return ValueToString(val);
  }
  return "";
}

}  // namespace citygraph::query::internal

namespace citygraph::query::internal {

std::string HubDetail(const Snapshot& snap, VertexId v, size_t cap) {
  return "vertex " + std::to_string(v) + " (" + snap.schema().labels()[snap.label(v)].name +
         ") has " + std::to_string(snap.out_edges(v).size() + snap.in_edges(v).size()) +
         " edges, examined at most " + std::to_string(cap) + " per direction";
}

}  // namespace citygraph::query::internal
