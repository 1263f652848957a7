// Flat-table rendering of query results, and CSV / aligned-text printers.
#include <cstdio>

#include "citygraph/query/render.h"

namespace citygraph::query {
namespace {

std::string Ent(const EntityRef& e) {
  std::string s = e.label;
  s += ':';
  if (e.key.empty()) {
    s += '#';
    s += std::to_string(e.id);
  } else {
    s += e.key;
  }
  if (!e.name.empty()) {
    s += " (";
    s += e.name;
    s += ')';
  }
  return s;
}

std::string Src(const Evidence& e) {
  std::string s = e.department;
  s.append("/").append(e.file).append(":").append(std::to_string(e.record));
  return s;
}

std::string Score(const Evidence& e) {
  auto s = e.min_match_score();
  if (!s) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", *s);
  return buf;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

// Columns describing one evidence edge.
const std::vector<std::string> kEvCols = {"edge_type", "valid_from", "valid_to", "source",
                                          "match_score"};
void AddEv(std::vector<std::string>* row, const Evidence& e) {
  row->insert(row->end(),
              {e.type, e.valid_from.ToString(), e.valid_to.ToString(), Src(e), Score(e)});
}

std::vector<std::string> Cols(std::vector<std::string> head) {
  head.insert(head.end(), kEvCols.begin(), kEvCols.end());
  return head;
}

// Display width of UTF-8 text: East Asian wide characters count 2.
size_t Width(const std::string& s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}

}  // namespace

Table ToTable(const NeighborsResult& r) {
  Table t{Cols({"direction", "neighbor"}), {}};
  for (const NeighborRow& n : r.rows) {
    std::vector<std::string> row{std::string(DirectionName(n.direction)), Ent(n.neighbor)};
    AddEv(&row, n.evidence);
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table ToTable(const Subgraph& r) {
  Table t{Cols({"from", "to"}), {}};
  for (const Evidence& e : r.edges) {
    std::vector<std::string> row{Ent(e.from), Ent(e.to)};
    AddEv(&row, e);
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table ToTable(const SharedResult& r) {
  Table t{{"shared", "a_edge", "a_source", "b_edge", "b_source"}, {}};
  for (const SharedRow& s : r.rows)
    t.rows.push_back({Ent(s.shared), s.a_edge.type, Src(s.a_edge), s.b_edge.type, Src(s.b_edge)});
  return t;
}

Table ToTable(const PathsResult& r) {
  Table t{Cols({"path", "hop", "from", "to"}), {}};
  for (size_t p = 0; p < r.paths.size(); ++p) {
    const Path& path = r.paths[p];
    for (size_t i = 0; i < path.edges.size(); ++i) {
      std::vector<std::string> row{std::to_string(p + 1), std::to_string(i + 1),
                                   Ent(path.vertices[i]), Ent(path.vertices[i + 1])};
      AddEv(&row, path.edges[i]);
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

Table ToTable(const Profile& r) {
  Table t{{"property", "value", "current", "source", "recorded_at"}, {}};
  for (const auto& [k, v] : r.keys)
    t.rows.push_back({std::string("key:").append(k), v, "", "", ""});
  for (const ProfileProperty& p : r.properties)
    for (const PropertySource& s : p.sources)
      t.rows.push_back({p.name, s.value, s.value == p.current ? "*" : "",
                        std::string(s.department)
                            .append("/")
                            .append(s.file)
                            .append(":")
                            .append(std::to_string(s.record)),
                        s.recorded_at.ToString()});
  for (const EdgeCount& e : r.edges)
    t.rows.push_back(
        {std::string("edges:").append(e.type).append(":").append(DirectionName(e.direction)),
         std::to_string(e.count), "", "", ""});
  return t;
}

Table ToTable(const std::vector<HouseholdView>& r) {
  Table t{Cols({"household", "member", "relation"}), {}};
  for (const HouseholdView& h : r)
    for (const HouseholdMember& m : h.members) {
      std::vector<std::string> row{Ent(h.household), Ent(m.person), m.relation};
      AddEv(&row, m.membership);
      t.rows.push_back(std::move(row));
    }
  return t;
}

Table ToTable(const ConflictReport& r) {
  Table t{Cols({"household", "rule", "member", "target"}), {}};
  for (const ConflictHousehold& h : r.households)
    for (const RuleHit& hit : h.hits)
      for (const Evidence& e : hit.evidence) {
        std::vector<std::string> row{Ent(h.household), hit.rule_id, Ent(hit.member),
                                     Ent(e.from.id == hit.member.id ? e.to : e.from)};
        AddEv(&row, e);
        t.rows.push_back(std::move(row));
      }
  return t;
}

Table ToTable(const LocateResult& r) {
  Table t{{"input", "normalized", "status", "rank", "house", "address", "grid", "confidence",
           "evidence", "grid_workers", "message"},
          {}};
  for (const LocateRow& row : r.rows) {
    std::string workers;
    for (const EntityRef& w : row.grid_workers) {
      if (!workers.empty()) workers += ';';
      workers += Ent(w);
    }
    if (row.candidates.empty()) {
      t.rows.push_back({row.input, row.normalized, std::string(LocateStatusName(row.status)), "",
                        "", "", "", "", "", "", row.message});
      continue;
    }
    for (size_t i = 0; i < row.candidates.size(); ++i) {
      const ResidenceCandidate& c = row.candidates[i];
      std::string ev;
      for (const EvidenceItem& it : c.evidence) {
        if (!ev.empty()) ev += ';';
        ev.append(it.kind)
            .append("@")
            .append(it.date.ToString())
            .append("[")
            .append(Src(it.edge))
            .append("]");
      }
      t.rows.push_back({row.input, row.normalized, std::string(LocateStatusName(row.status)),
                        std::to_string(i + 1), Ent(c.house), c.address, c.grid ? Ent(*c.grid) : "",
                        Num(c.confidence), ev, i == 0 ? workers : "", row.message});
    }
  }
  return t;
}

std::string RenderCsv(const Table& t) {
  auto field = [](const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) {
      if (c == '"') q += '"';
      q += c;
    }
    return q + "\"";
  };
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) out += ',';
      out += field(cells[i]);
    }
    out += "\n";
  };
  line(t.columns);
  for (const auto& r : t.rows) line(r);
  return out;
}

std::string RenderText(const Table& t) {
  std::vector<size_t> w(t.columns.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size() && i < w.size(); ++i)
      w[i] = std::max(w[i], Width(cells[i]));
  };
  measure(t.columns);
  for (const auto& r : t.rows) measure(r);
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size() && i < w.size(); ++i) {
      out += cells[i];
      if (i + 1 < cells.size()) out += std::string(w[i] - Width(cells[i]) + 2, ' ');
    }
    out += "\n";
  };
  line(t.columns);
  std::vector<std::string> sep;
  for (size_t x : w) sep.push_back(std::string(x, '-'));
  line(sep);
  for (const auto& r : t.rows) line(r);
  return out;
}

}  // namespace citygraph::query
