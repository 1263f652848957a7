// Reading LDBC Graphalytics datasets (.properties, .v, .e) and writing
// results in their `vertexId value` format.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <unordered_map>

#include "citygraph/algo/graphalytics.h"
#include "text_file.h"

namespace citygraph::algo {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view item = Trim(s.substr(0, comma));
    if (!item.empty()) {
      std::string lower(item);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.push_back(lower);
    }
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

std::string Resolve(const std::string& dir, const std::string& file) {
  if (!file.empty() && file[0] == '/') return file;
  return dir.empty() ? file : dir + "/" + file;
}

Status ParseIntParam(const std::map<std::string, std::string>& props, const std::string& key,
                     const std::string& path, int64_t* out) {
  auto it = props.find(key);
  if (it == props.end()) return Status::OK();
  if (!internal::ParseInt64(it->second, out)) {
    return InvalidArgument(path + ": " + key + " = '" + it->second + "' is not an integer");
  }
  return Status::OK();
}

}  // namespace

StatusOr<GraphalyticsDataset> LoadGraphalytics(const std::string& properties_path) {
  CG_ASSIGN_OR_RETURN(std::string text, internal::ReadWholeFile(properties_path));
  const size_t slash = properties_path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "" : properties_path.substr(0, slash);
  std::string base =
      slash == std::string::npos ? properties_path : properties_path.substr(slash + 1);
  constexpr std::string_view kSuffix = ".properties";
  if (base.size() > kSuffix.size() && base.ends_with(kSuffix)) {
    base.resize(base.size() - kSuffix.size());
  }
  GraphalyticsDataset ds;
  ds.name = base;
  const std::string prefix = "graph." + base + ".";
  std::map<std::string, std::string> props;
  internal::ForEachLine(text, [&](size_t, std::string_view line) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') return;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return;
    std::string key(Trim(line.substr(0, eq)));
    if (!key.starts_with(prefix)) return;
    props[key.substr(prefix.size())] = std::string(Trim(line.substr(eq + 1)));
  });
  for (const char* required : {"vertex-file", "edge-file", "directed"}) {
    if (!props.count(required)) {
      return InvalidArgument(properties_path + ": missing " + prefix + required);
    }
  }
  const std::string& directed = props["directed"];
  if (directed != "true" && directed != "false") {
    return InvalidArgument(properties_path + ": " + prefix + "directed = '" + directed +
                           "', expected true or false");
  }
  ds.algorithms = SplitList(props["algorithms"]);
  CG_RETURN_IF_ERROR(ParseIntParam(props, "bfs.source-vertex", properties_path, &ds.bfs_source));
  CG_RETURN_IF_ERROR(ParseIntParam(props, "sssp.source-vertex", properties_path, &ds.sssp_source));
  int64_t cdlp = -1, pr = -1;
  CG_RETURN_IF_ERROR(ParseIntParam(props, "cdlp.max-iterations", properties_path, &cdlp));
  CG_RETURN_IF_ERROR(ParseIntParam(props, "pr.num-iterations", properties_path, &pr));
  ds.cdlp_iterations = static_cast<int>(cdlp);
  ds.pr_iterations = static_cast<int>(pr);
  if (auto it = props.find("pr.damping-factor"); it != props.end()) {
    if (!internal::ParseDouble(it->second, &ds.pr_damping)) {
      return InvalidArgument(properties_path + ": " + prefix + "pr.damping-factor = '" +
                             it->second + "' is not a number");
    }
  }
  size_t weight_column = 0;  // 0: none
  if (auto it = props.find("sssp.weight-property"); it != props.end()) {
    ds.weight_property = it->second;
    std::vector<std::string> names = SplitList(props["edge-properties.names"]);
    auto pos = std::find(names.begin(), names.end(), ds.weight_property);
    if (pos == names.end()) {
      return InvalidArgument(properties_path + ": sssp.weight-property '" + ds.weight_property +
                             "' is not in " + prefix + "edge-properties.names");
    }
    weight_column = 2 + static_cast<size_t>(pos - names.begin());
  }

  // Vertices, in file order.
  const std::string vpath = Resolve(dir, props["vertex-file"]);
  CG_ASSIGN_OR_RETURN(std::string vtext, internal::ReadWholeFile(vpath));
  EdgeList list;
  std::unordered_map<int64_t, Node> index;
  Status error;
  internal::ForEachLine(vtext, [&](size_t line_no, std::string_view line) {
    if (!error.ok()) return;
    std::string_view f[2];
    size_t n = internal::SplitFields(line, f, 2);
    if (n == 0) return;
    int64_t id;
    std::string where = vpath + ":" + std::to_string(line_no);
    if (n != 1 || !internal::ParseInt64(f[0], &id)) {
      error = InvalidArgument(where + ": vertex line must be one integer id, got '" +
                              std::string(Trim(line)) + "'");
      return;
    }
    if (!index.emplace(id, static_cast<Node>(list.external_ids.size())).second) {
      error = InvalidArgument(where + ": vertex " + std::to_string(id) + " listed twice");
      return;
    }
    list.external_ids.push_back(id);
  });
  CG_RETURN_IF_ERROR(error);
  list.num_nodes = list.external_ids.size();

  // Edges.
  const std::string epath = Resolve(dir, props["edge-file"]);
  CG_ASSIGN_OR_RETURN(std::string etext, internal::ReadWholeFile(epath));
  internal::ForEachLine(etext, [&](size_t line_no, std::string_view line) {
    if (!error.ok()) return;
    std::string_view f[16];
    size_t n = internal::SplitFields(line, f, 16);
    if (n == 0) return;
    std::string where = epath + ":" + std::to_string(line_no);
    if (n < 2) {
      error = InvalidArgument(where + ": edge line has " + std::to_string(n) +
                              " column, expected 'src dst [properties]' (does " + properties_path +
                              " name the " + "vertex file as " + prefix + "edge-file?)");
      return;
    }
    Node ends[2];
    for (int c = 0; c < 2; ++c) {
      int64_t id;
      if (!internal::ParseInt64(f[c], &id)) {
        error = InvalidArgument(where + ": column " + std::to_string(c + 1) + ": '" +
                                std::string(f[c]) + "' is not a vertex id");
        return;
      }
      auto it = index.find(id);
      if (it == index.end()) {
        error = InvalidArgument(where + ": vertex " + std::to_string(id) + " is not in " + vpath);
        return;
      }
      ends[c] = it->second;
    }
    if (weight_column != 0) {
      double w;
      if (weight_column >= n || weight_column >= 16 ||
          !internal::ParseDouble(f[weight_column], &w)) {
        error = InvalidArgument(where + ": column " + std::to_string(weight_column + 1) + " ('" +
                                ds.weight_property + "') is missing or not a number");
        return;
      }
      list.weights.push_back(w);
    }
    list.edges.emplace_back(ends[0], ends[1]);
  });
  CG_RETURN_IF_ERROR(error);
  BuildOptions opt;
  opt.directed = directed == "true";
  ds.graph = CsrGraph::Build(std::move(list), opt);
  return ds;
}

Status WriteGraphalyticsOutput(const CsrGraph& graph, const GraphalyticsResult& result,
                               const std::string& path) {
  const size_t n = graph.num_nodes();
  std::vector<Node> order(n);
  std::iota(order.begin(), order.end(), Node{0});
  std::sort(order.begin(), order.end(),
            [&](Node a, Node b) { return graph.external_id(a) < graph.external_id(b); });
  const bool real = !result.reals.empty() || result.ints.empty();
  std::string out;
  char buf[64];
  for (Node u : order) {
    int len = std::snprintf(buf, sizeof buf, "%lld ", static_cast<long long>(graph.external_id(u)));
    out.append(buf, static_cast<size_t>(len));
    if (real) {
      double x = result.reals[u];
      if (std::isinf(x)) {
        out += x > 0 ? "Infinity" : "-Infinity";
      } else {
        len = std::snprintf(buf, sizeof buf, "%.16e", x);
        out.append(buf, static_cast<size_t>(len));
      }
    } else {
      len = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(result.ints[u]));
      out.append(buf, static_cast<size_t>(len));
    }
    out += '\n';
  }
  return internal::WriteWholeFile(path, out);
}

}  // namespace citygraph::algo
