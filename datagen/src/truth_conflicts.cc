// truth/conflicts.json: which 低保 households are ineligible on the audit
// date and why, and the decoys that look close but are not.
#include <algorithm>
#include <set>

#include "truth.h"

namespace citygraph::datagen::internal {
namespace {

bool Holds(Day from, Day to, Day d) { return from <= d && d < to; }

struct Why {
  std::string kind, member, key;
  Day date;
};

}  // namespace

bool WriteConflictsTruth(const World& w, WriteContext* ctx) {
  const Day d = kAsOf;
  const size_t np = w.persons.size();
  Grouped owns(np, w.ownerships.size(), [&](size_t i) -> int64_t {
    return w.ownerships[i].business ? int64_t{-1} : int64_t{w.ownerships[i].owner};
  });
  Grouped reps(np, w.businesses.size(), [&](size_t i) -> int64_t { return w.businesses[i].rep; });
  Grouped cars(np, w.vehicle_owns.size(), [&](size_t i) -> int64_t {
    return w.vehicle_owns[i].business ? int64_t{-1} : int64_t{w.vehicle_owns[i].owner};
  });

  std::vector<uint32_t> checked;
  for (const Dibao& db : w.dibao) {
    if (Holds(db.from, db.to, d)) checked.push_back(db.household);
  }
  std::sort(checked.begin(), checked.end(),
            [&](uint32_t a, uint32_t b) { return w.households[a].no < w.households[b].no; });
  checked.erase(std::unique(checked.begin(), checked.end()), checked.end());

  std::string inel, decoys;
  for (uint32_t h : checked) {
    const Household& hh = w.households[h];
    std::string hits;
    std::vector<Why> why;
    auto add_hit = [&](const std::string& text) {
      if (!hits.empty()) hits += ",";
      hits += text;
    };
    for (uint32_t m = hh.first_member; m < hh.first_member + hh.size; ++m) {
      if (w.persons[m].member_from > d) continue;
      const std::string& mid = w.persons[m].id;
      std::set<std::string> certs;
      owns.ForEach(m, [&](uint32_t i) {
        const Ownership& o = w.ownerships[i];
        const std::string& cert = w.houses[o.house].cert;
        if (Holds(o.from, o.to, d)) {
          certs.insert(cert);
        } else if (o.to <= d) {
          why.push_back({"house_sold_before", mid, cert, o.to});
        } else {
          why.push_back({"house_after", mid, cert, o.from});
        }
      });
      if (certs.size() >= 2) {
        std::string list;
        for (const std::string& c : certs) list += (list.empty() ? "" : ",") + JsonQuote(c);
        add_hit("{\"rule\":\"houses\",\"member\":" + JsonQuote(mid) + ",\"cert_nos\":[" + list +
                "]}");
      }
      reps.ForEach(m, [&](uint32_t i) {
        const Business& b = w.businesses[i];
        if (b.individual && Holds(b.established, b.ended, d)) {
          add_hit("{\"rule\":\"individual_business\",\"member\":" + JsonQuote(mid) +
                  ",\"credit_code\":" + JsonQuote(b.code) + "}");
        } else if (!b.individual && Holds(b.established, b.ended, d)) {
          why.push_back({"company_not_individual", mid, b.code, b.established});
        } else if (b.individual && b.ended <= d) {
          why.push_back({"business_revoked_before", mid, b.code, b.ended});
        } else if (b.individual) {
          why.push_back({"business_after", mid, b.code, b.established});
        }
      });
      cars.ForEach(m, [&](uint32_t i) {
        const VehicleOwnership& o = w.vehicle_owns[i];
        const std::string& plate = w.vehicles[o.vehicle].plate;
        if (Holds(o.from, o.to, d)) {
          add_hit("{\"rule\":\"vehicle\",\"member\":" + JsonQuote(mid) +
                  ",\"plate\":" + JsonQuote(plate) + "}");
        } else if (o.to <= d) {
          why.push_back({"vehicle_ended_before", mid, plate, o.to});
        } else {
          why.push_back({"vehicle_after", mid, plate, o.from});
        }
      });
      const int32_t twin = w.persons[m].homonym;
      if (twin != kNone) {
        bool has = false;
        owns.ForEach(
            twin, [&](uint32_t i) { has |= Holds(w.ownerships[i].from, w.ownerships[i].to, d); });
        reps.ForEach(twin, [&](uint32_t i) {
          has |= Holds(w.businesses[i].established, w.businesses[i].ended, d);
        });
        cars.ForEach(twin, [&](uint32_t i) {
          has |= Holds(w.vehicle_owns[i].from, w.vehicle_owns[i].to, d);
        });
        if (has) why.push_back({"homonym_assets", mid, w.persons[twin].id, kNever});
      }
    }
    if (!hits.empty()) {
      inel += (inel.empty() ? "\n  " : ",\n  ");
      inel += "{\"household_no\":" + JsonQuote(hh.no) + ",\"hits\":[" + hits + "]}";
    } else if (!why.empty()) {
      std::string list;
      for (const Why& y : why) {
        list += list.empty() ? "" : ",";
        list += "{\"kind\":" + JsonQuote(y.kind) + ",\"member\":" + JsonQuote(y.member) +
                ",\"key\":" + JsonQuote(y.key) +
                ",\"date\":" + JsonQuote(FormatDate(y.date, DateStyle::kIso)) + "}";
      }
      decoys += (decoys.empty() ? "\n  " : ",\n  ");
      decoys += "{\"household_no\":" + JsonQuote(hh.no) + ",\"why\":[" + list + "]}";
    }
  }
  std::string text =
      "{\"audit_date\":\"" + FormatDate(d, DateStyle::kIso) +
      "\",\"program_code\":\"DIBAO\",\"households_checked\":" + std::to_string(checked.size()) +
      ",\n\"ineligible\":[" + inel + "],\n\"decoys\":[" + decoys + "]}\n";
  return WriteWholeFile(ctx, "truth/conflicts.json", text);
}

}  // namespace citygraph::datagen::internal
