// truth/locate.json (where open-case debtors live and which record says so)
// and truth/paths.json (true shortest link distances between persons).
#include <algorithm>
#include <map>
#include <tuple>

#include "truth.h"
#include "write_departments.h"

namespace citygraph::datagen::internal {
namespace {

bool Holds(Day from, Day to, Day d) { return from <= d && d < to; }

const char* EvidenceKind(uint8_t kind) {
  return kind == kRental ? "rental_registration" : "home_visit";
}

}  // namespace

std::vector<int32_t> DecidingReports(const World& w) {
  std::vector<int32_t> best(w.persons.size(), kNone);
  for (size_t i = 0; i < w.reports.size(); ++i) {
    const Report& r = w.reports[i];
    if (r.person == kNone || r.kind == kHazard || r.date > kAsOf) continue;
    int32_t& b = best[r.person];
    if (b == kNone || std::tie(r.date, r.no) > std::tie(w.reports[b].date, w.reports[b].no)) {
      b = static_cast<int32_t>(i);
    }
  }
  return best;
}

bool WriteLocateTruth(const World& w, WriteContext* ctx) {
  std::map<std::string, std::pair<uint32_t, std::vector<std::string>>> debtors;  // by id
  for (const Case& c : w.cases) {
    if (!(c.filed <= kAsOf && kAsOf < c.closed)) continue;
    for (const CaseParty& p : c.parties) {
      if (!p.debtor || p.business) continue;
      auto& entry = debtors[w.persons[p.entity].id];
      entry.first = p.entity;
      entry.second.push_back(c.no);
    }
  }
  const std::vector<int32_t> deciding = DecidingReports(w);
  Grouped by_person(w.persons.size(), w.reports.size(), [&](size_t i) -> int64_t {
    return w.reports[i].kind == kHazard ? -1 : w.reports[i].person;
  });
  std::string list;
  for (auto& [id, entry] : debtors) {
    const uint32_t p = entry.first;
    std::sort(entry.second.begin(), entry.second.end());
    const Household& hh = w.households[w.persons[p].household];
    const uint32_t truly = hh.rent_house != kNone ? static_cast<uint32_t>(hh.rent_house) : hh.house;
    const int32_t ev = deciding[p];
    const uint32_t decided = ev == kNone ? hh.house : w.reports[ev].house;
    if (decided != truly) {
      ctx->error = "internal error: locate evidence for " + id + " disagrees with the world";
      return false;
    }
    const House& h = w.houses[truly];
    std::string cases;
    for (const std::string& c : entry.second) cases += (cases.empty() ? "" : ",") + JsonQuote(c);
    std::string evidence;
    if (ev == kNone) {
      evidence =
          "{\"kind\":\"household_registration\",\"report_no\":\"\",\"date\":\"\",\"file\":\"\","
          "\"line\":0}";
    } else {
      const Report& r = w.reports[ev];
      evidence = "{\"kind\":\"" + std::string(EvidenceKind(r.kind)) +
                 "\",\"report_no\":" + JsonQuote(r.no) + ",\"date\":\"" +
                 FormatDate(r.date, DateStyle::kIso) +
                 "\",\"file\":" + JsonQuote(ReportFileName(r.date)) +
                 ",\"line\":" + std::to_string(r.line) + "}";
    }
    std::string superseded;
    by_person.ForEach(p, [&](uint32_t i) {
      const Report& r = w.reports[i];
      if (r.house == truly || r.date > kAsOf) return;
      superseded += superseded.empty() ? "" : ",";
      superseded += "{\"kind\":\"" + std::string(EvidenceKind(r.kind)) +
                    "\",\"report_no\":" + JsonQuote(r.no) + ",\"date\":\"" +
                    FormatDate(r.date, DateStyle::kIso) +
                    "\",\"cert_no\":" + JsonQuote(w.houses[r.house].cert) + "}";
    });
    list += list.empty() ? "\n  " : ",\n  ";
    list += "{\"id_number\":" + JsonQuote(id) + ",\"case_nos\":[" + cases +
            "],\"residence\":{\"cert_no\":" + JsonQuote(h.cert) +
            ",\"address\":" + JsonQuote(h.address) +
            ",\"grid_code\":" + JsonQuote(w.GridArea(h.grid).code) + "},\"evidence\":" + evidence +
            ",\"household\":{\"household_no\":" + JsonQuote(hh.no) +
            ",\"cert_no\":" + JsonQuote(w.houses[hh.house].cert) + "},\"superseded\":[" +
            superseded + "]}";
  }
  return WriteWholeFile(
      ctx, "truth/locate.json",
      "{\"as_of\":\"" + FormatDate(kAsOf, DateStyle::kIso) + "\",\"debtors\":[" + list + "]}\n");
}

bool WritePathsTruth(const World& w, WriteContext* ctx) {
  const Day d = kAsOf;
  const uint32_t np = static_cast<uint32_t>(w.persons.size());
  const uint32_t base_household = np;
  const uint32_t base_house = base_household + static_cast<uint32_t>(w.households.size());
  const uint32_t base_business = base_house + static_cast<uint32_t>(w.houses.size());
  const uint32_t base_vehicle = base_business + static_cast<uint32_t>(w.businesses.size());
  const uint32_t base_case = base_vehicle + static_cast<uint32_t>(w.vehicles.size());
  const uint32_t base_phone = base_case + static_cast<uint32_t>(w.cases.size());
  const uint32_t nv = base_phone + static_cast<uint32_t>(w.phones.size());
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  edges.reserve(np * 4);
  for (uint32_t p = 0; p < np; ++p) {
    const Person& person = w.persons[p];
    if (person.member_from <= d) edges.push_back({p, base_household + person.household});
  }
  for (uint32_t h = 0; h < w.households.size(); ++h) {
    if (w.households[h].registered <= d)
      edges.push_back({base_household + h, base_house + w.households[h].house});
  }
  for (const Ownership& o : w.ownerships) {
    if (Holds(o.from, o.to, d))
      edges.push_back({o.business ? base_business + o.owner : o.owner, base_house + o.house});
  }
  for (const VehicleOwnership& o : w.vehicle_owns) {
    if (Holds(o.from, o.to, d))
      edges.push_back({o.business ? base_business + o.owner : o.owner, base_vehicle + o.vehicle});
  }
  const std::vector<int32_t> deciding = DecidingReports(w);
  for (uint32_t p = 0; p < np; ++p) {
    if (deciding[p] != kNone) edges.push_back({p, base_house + w.reports[deciding[p]].house});
  }
  for (uint32_t b = 0; b < w.businesses.size(); ++b) {
    if (Holds(w.businesses[b].established, w.businesses[b].ended, d))
      edges.push_back({w.businesses[b].rep, base_business + b});
  }
  for (uint32_t c = 0; c < w.cases.size(); ++c) {
    if (w.cases[c].filed > d) continue;
    for (const CaseParty& p : w.cases[c].parties) {
      edges.push_back({p.business ? base_business + p.entity : p.entity, base_case + c});
    }
  }
  for (uint32_t ph = 0; ph < w.phones.size(); ++ph) {
    if (Holds(w.phones[ph].from, w.phones[ph].to, d))
      edges.push_back({w.phones[ph].person, base_phone + ph});
  }
  // Undirected adjacency in compressed rows.
  std::vector<uint32_t> offsets(nv + 1, 0), adj(edges.size() * 2);
  for (const auto& [a, b] : edges) {
    ++offsets[a + 1];
    ++offsets[b + 1];
  }
  for (uint32_t v = 0; v < nv; ++v) offsets[v + 1] += offsets[v];
  {
    std::vector<uint32_t> fill(offsets.begin(), offsets.end() - 1);
    for (const auto& [a, b] : edges) {
      adj[fill[a]++] = b;
      adj[fill[b]++] = a;
    }
  }
  edges.clear();
  edges.shrink_to_fit();

  Rng rng(w.seed, 0x9A7B5);
  std::vector<int32_t> dist(nv, -1);
  std::vector<uint32_t> queue;
  std::string list;
  auto add_pair = [&](uint32_t a, uint32_t b, int32_t distance) {
    list += list.empty() ? "\n  " : ",\n  ";
    list += "{\"a\":" + JsonQuote(w.persons[a].id) + ",\"b\":" + JsonQuote(w.persons[b].id) +
            ",\"distance\":" + std::to_string(distance) + "}";
  };
  const int sources = static_cast<int>(std::min<uint32_t>(30, np));
  for (int s = 0; s < sources; ++s) {
    const uint32_t src = static_cast<uint32_t>(rng.Below(np));
    queue.assign(1, src);
    dist[src] = 0;
    std::vector<uint32_t> persons_found;
    for (size_t head = 0; head < queue.size(); ++head) {
      const uint32_t u = queue[head];
      if (u < np && u != src) persons_found.push_back(u);
      for (uint32_t i = offsets[u]; i < offsets[u + 1]; ++i) {
        const uint32_t v = adj[i];
        if (dist[v] < 0) {
          dist[v] = dist[u] + 1;
          queue.push_back(v);
        }
      }
    }
    if (!persons_found.empty()) {
      const uint32_t far = persons_found.back();  // BFS order: the farthest is last
      const uint32_t any = persons_found[rng.Below(persons_found.size())];
      add_pair(src, persons_found.front(), dist[persons_found.front()]);
      if (any != persons_found.front() && any != far) add_pair(src, any, dist[any]);
      if (far != persons_found.front()) add_pair(src, far, dist[far]);
    }
    for (int tries = 0; tries < 50; ++tries) {
      const uint32_t other = static_cast<uint32_t>(rng.Below(np));
      if (dist[other] < 0) {
        add_pair(src, other, -1);
        break;
      }
    }
    for (uint32_t v : queue) dist[v] = -1;
  }
  return WriteWholeFile(ctx, "truth/paths.json",
                        "{\"as_of\":\"" + FormatDate(d, DateStyle::kIso) +
                            "\",\"edge_types\":[\"OWNS\",\"RESIDES_AT\",\"MEMBER_OF\",\"REGISTERED_"
                            "AT\",\"LEGAL_REP\","
                            "\"PARTY_TO\",\"USES\"],\"pairs\":[" +
                            list + "]}\n");
}

}  // namespace citygraph::datagen::internal
