// GAP's .el / .wel edge-list formats.
#include <algorithm>
#include <cstdio>
#include <string>

#include "citygraph/algo/graph_io.h"
#include "text_file.h"

namespace citygraph::algo {

StatusOr<CsrGraph> ReadEdgeList(const std::string& path, bool directed, bool weighted) {
  CG_ASSIGN_OR_RETURN(std::string text, internal::ReadWholeFile(path));
  EdgeList list;
  list.edges.reserve(text.size() / 12);
  const size_t want = weighted ? 3 : 2;
  Status error;
  int64_t max_id = -1;
  internal::ForEachLine(text, [&](size_t line_no, std::string_view line) {
    if (!error.ok()) return;
    std::string_view f[3];
    size_t n = internal::SplitFields(line, f, 3);
    if (n == 0 || f[0][0] == '#' || f[0][0] == '%') return;
    std::string where = path + ":" + std::to_string(line_no);
    if (n != want) {
      error = InvalidArgument(where + ": expected " + std::to_string(want) + " columns (" +
                              (weighted ? "u v w" : "u v") + "), found " + std::to_string(n));
      return;
    }
    int64_t u, v;
    for (int c = 0; c < 2; ++c) {
      int64_t* dst = c == 0 ? &u : &v;
      if (!internal::ParseInt64(f[c], dst) || *dst < 0 || *dst >= int64_t{kNoNode}) {
        error = InvalidArgument(where + ": column " + std::to_string(c + 1) + ": '" +
                                std::string(f[c]) + "' is not a node id (0.." +
                                std::to_string(kNoNode - 1) + ")");
        return;
      }
    }
    if (weighted) {
      double w;
      if (!internal::ParseDouble(f[2], &w)) {
        error = InvalidArgument(where + ": column 3: '" + std::string(f[2]) + "' is not a number");
        return;
      }
      list.weights.push_back(w);
    }
    max_id = std::max({max_id, u, v});
    list.edges.emplace_back(static_cast<Node>(u), static_cast<Node>(v));
  });
  CG_RETURN_IF_ERROR(error);
  list.num_nodes = static_cast<size_t>(max_id + 1);
  BuildOptions opt;
  opt.directed = directed;
  opt.remove_self_loops = !directed;
  opt.remove_duplicates = !directed;
  return CsrGraph::Build(std::move(list), opt);
}

Status WriteEdgeList(const CsrGraph& g, const std::string& path, bool with_weights) {
  std::string out;
  out.reserve(g.num_edges() * (with_weights ? 20 : 16));
  char buf[96];
  for (Node u = 0; u < g.num_nodes(); ++u) {
    auto nbrs = g.out_neighbors(u);
    auto ws = g.out_weights(u);
    for (size_t i = 0; i < nbrs.size(); ++i) {
      Node v = nbrs[i];
      if (!g.directed() && v < u) continue;
      int len = with_weights ? std::snprintf(buf, sizeof buf, "%u %u %.17g\n", u, v, ws[i])
                             : std::snprintf(buf, sizeof buf, "%u %u\n", u, v);
      out.append(buf, static_cast<size_t>(len));
    }
  }
  return internal::WriteWholeFile(path, out);
}

}  // namespace citygraph::algo
