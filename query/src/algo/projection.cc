// Projection of a graph-core Snapshot onto a CsrGraph (see projection.h).
// Selected vertices are numbered densely in VertexId order; arcs are
// gathered per vertex in parallel into thread-local lists and handed to
// the parallel CSR builder.
#include "citygraph/algo/projection.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

namespace citygraph::algo {

StatusOr<Projection> Project(const Snapshot& snapshot, const ProjectionOptions& options) {
  const Schema& schema = snapshot.schema();
  std::vector<bool> keep_label(schema.labels().size(), options.labels.empty());
  for (const std::string& name : options.labels) {
    CG_ASSIGN_OR_RETURN(LabelId id, schema.FindLabel(name));
    keep_label[id] = true;
  }
  std::vector<bool> keep_type(schema.edge_types().size(), options.edge_types.empty());
  for (const std::string& name : options.edge_types) {
    CG_ASSIGN_OR_RETURN(EdgeTypeId id, schema.FindEdgeType(name));
    keep_type[id] = true;
  }

  Projection p;
  const size_t nv = snapshot.num_vertices();
  std::vector<Node> node_of(nv, kNoNode);
  for (VertexId v = 0; v < nv; ++v) {
    if (keep_label[snapshot.label(v)]) {
      node_of[v] = static_cast<Node>(p.vertex.size());
      p.vertex.push_back(v);
    }
  }

  using Arcs = std::vector<std::pair<Node, Node>>;
  tbb::enumerable_thread_specific<Arcs> local;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, p.vertex.size(), 512), [&](const auto& r) {
    Arcs& arcs = local.local();
    for (size_t i = r.begin(); i != r.end(); ++i) {
      for (const AdjEntry& e : snapshot.out_edges(p.vertex[i])) {
        const Node dst = node_of[e.nbr];
        if (dst == kNoNode) continue;
        const EdgeRecord& rec = snapshot.edge(e.edge);
        if (!keep_type[rec.type]) continue;
        if (options.as_of && !ValidOn(rec.valid_from, rec.valid_to, *options.as_of)) continue;
        arcs.emplace_back(static_cast<Node>(i), dst);
      }
    }
  });
  EdgeList list;
  list.num_nodes = p.vertex.size();
  for (Arcs& arcs : local) list.edges.insert(list.edges.end(), arcs.begin(), arcs.end());
  list.external_ids.assign(p.vertex.begin(), p.vertex.end());
  BuildOptions opt;
  opt.directed = options.directed;
  opt.remove_self_loops = true;
  opt.remove_duplicates = true;
  p.graph = CsrGraph::Build(std::move(list), opt);
  return p;
}

}  // namespace citygraph::algo
