// Record -> entity link evaluation against datagen's truth.
#include "citygraph/ingest/eval_er.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "citygraph/ingest/ingester.h"
#include "citygraph/ingest/source_file.h"

namespace citygraph::ingest {
namespace {

namespace fs = std::filesystem;

// Reads a CSV file with a header into rows of fields.
Status ReadCsv(const std::string& path, std::vector<std::vector<std::string>>* rows) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot open truth file " + path);
  std::string line;
  std::getline(in, line);  // header
  size_t n = 1;
  std::vector<std::string> fields;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    Status s = SplitFields(line, ',', '"', &fields);
    if (!s.ok()) return InvalidArgument(path + ": line " + std::to_string(n) + ": " + s.message());
    rows->push_back(fields);
  }
  return Status::OK();
}

}  // namespace

std::string ErEvaluation::ToText() const {
  char buf[1024];
  std::snprintf(
      buf, sizeof(buf),
      "person records (truth, ok+duplicate): %llu\n"
      "linked to a vertex:                   %llu\n"
      "precision: %.4f%% (%llu of %llu linked records on a vertex their entity owns)\n"
      "recall:    %.4f%% (%llu of %llu records on their entity's vertex)\n"
      "keyless records recalled: %llu of %llu\n"
      "entities: %llu, vertices: %llu, vertices mixing entities: %llu\n"
      "homonym merges: %llu of %llu planted homonym pairs\n",
      static_cast<unsigned long long>(truth_records), static_cast<unsigned long long>(linked),
      100 * precision(), static_cast<unsigned long long>(precise),
      static_cast<unsigned long long>(linked), 100 * recall(),
      static_cast<unsigned long long>(recalled), static_cast<unsigned long long>(truth_records),
      static_cast<unsigned long long>(keyless_recalled), static_cast<unsigned long long>(keyless),
      static_cast<unsigned long long>(entities), static_cast<unsigned long long>(vertices),
      static_cast<unsigned long long>(mixed_vertices),
      static_cast<unsigned long long>(homonym_merges),
      static_cast<unsigned long long>(homonym_pairs));
  return buf;
}

StatusOr<ErEvaluation> EvaluateEr(const Database& db, const std::string& truth_dir) {
  fs::path dir(truth_dir);
  if (!fs::exists(dir / "record_entities.csv")) dir /= "truth";
  std::vector<std::vector<std::string>> truth, homonyms;
  CG_RETURN_IF_ERROR(ReadCsv((dir / "record_entities.csv").string(), &truth));
  CG_RETURN_IF_ERROR(ReadCsv((dir / "homonyms.csv").string(), &homonyms));

  CG_ASSIGN_OR_RETURN(std::vector<RecordLink> links, ReadLinks(db));
  auto snap = db.GetSnapshot();
  std::map<SourceId, std::string> source_file;
  std::unordered_map<std::string, VertexId> link;  // "file\x1fline" -> vertex
  for (const RecordLink& l : links) {
    auto it = source_file.find(l.source);
    if (it == source_file.end())
      it = source_file.emplace(l.source, snap->source(l.source).file).first;
    link[it->second + '\x1f' + std::to_string(l.line)] = l.vertex;
  }

  ErEvaluation ev;
  struct Rec {
    std::string entity;
    VertexId vertex;
    bool keyless;
  };
  std::vector<Rec> recs;
  for (const auto& f : truth) {
    if (f.size() < 7) return InvalidArgument("record_entities.csv: a row has fewer than 7 fields");
    if (f[2] != "person" || (f[4] != "ok" && f[4] != "duplicate")) continue;
    auto it = link.find(f[0] + '\x1f' + f[1]);
    recs.push_back(Rec{f[3], it == link.end() ? kNoVertex : it->second,
                       f[6].find("missing_id") != std::string::npos});
  }
  // Owners of vertices and home vertices of entities.
  std::unordered_map<VertexId, std::unordered_map<std::string, uint64_t>> per_vertex;
  std::unordered_map<std::string, std::unordered_map<VertexId, uint64_t>> per_entity;
  for (const Rec& r : recs) {
    per_entity[r.entity];
    if (r.vertex == kNoVertex) continue;
    ++per_vertex[r.vertex][r.entity];
    ++per_entity[r.entity][r.vertex];
  }
  auto best = [](const auto& counts) {
    auto b = counts.begin();
    for (auto it = counts.begin(); it != counts.end(); ++it) {
      if (it->second > b->second || (it->second == b->second && it->first < b->first)) b = it;
    }
    return b->first;
  };
  std::unordered_map<VertexId, std::string> owner;
  for (const auto& [v, counts] : per_vertex) {
    owner[v] = best(counts);
    if (counts.size() > 1) ++ev.mixed_vertices;
  }
  std::unordered_map<std::string, VertexId> home;
  for (const auto& [e, counts] : per_entity) {
    if (!counts.empty()) home[e] = best(counts);
  }
  for (const Rec& r : recs) {
    ++ev.truth_records;
    ev.keyless += r.keyless;
    if (r.vertex == kNoVertex) continue;
    ++ev.linked;
    ev.precise += owner[r.vertex] == r.entity;
    bool recalled = home[r.entity] == r.vertex;
    ev.recalled += recalled;
    ev.keyless_recalled += r.keyless && recalled;
  }
  ev.entities = per_entity.size();
  ev.vertices = per_vertex.size();
  for (const auto& h : homonyms) {
    if (h.size() < 4) continue;
    ++ev.homonym_pairs;
    auto a = per_entity.find(h[2]);
    auto b = per_entity.find(h[3]);
    if (a == per_entity.end() || b == per_entity.end()) continue;
    bool merged = false;
    for (const auto& [v, n] : a->second) merged |= b->second.count(v) > 0;
    ev.homonym_merges += merged;
  }
  return ev;
}

}  // namespace citygraph::ingest
