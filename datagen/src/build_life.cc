// Moves (who lives away from the hukou house), court cases, phones and the
// grid workers' reports that record moves and residence.
#include <algorithm>
#include <tuple>

#include "world.h"

namespace citygraph::datagen::internal {
namespace {

std::string Pad(uint64_t v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

const Day kLastDay = DaysFromCivil(2024, 9, 29);

uint32_t RandomRental(const World& w, Rng& rng, int32_t not_this) {
  for (;;) {
    const uint32_t h = w.extra_houses[rng.Below(w.extra_houses.size())];
    if (static_cast<int32_t>(h) != not_this || w.extra_houses.size() == 1) return h;
  }
}

}  // namespace

void BuildMoves(World* w, Rng& rng) {
  for (Household& hh : w->households) {
    if (!rng.Chance(0.15)) continue;
    const Day lo = std::max(hh.registered + 30, DaysFromCivil(2010, 1, 1));
    if (lo >= kAsOf - 1) continue;
    hh.move_date = RandomDay(rng, lo, kAsOf - 1);
    if (rng.Chance(0.25)) {
      if (rng.Chance(0.4) && lo < kWindowFirst) {  // both moves inside the report window
        hh.prev_move_date = RandomDay(rng, kWindowFirst, kWindowLast - 60);
        hh.move_date = RandomDay(rng, hh.prev_move_date + 30, kAsOf - 1);
      } else if (hh.move_date - 60 > lo) {
        hh.prev_move_date = RandomDay(rng, lo, hh.move_date - 60);
      }
      if (hh.prev_move_date != 0)
        hh.prev_rent_house = static_cast<int32_t>(RandomRental(*w, rng, kNone));
    }
    hh.rent_house = static_cast<int32_t>(RandomRental(*w, rng, hh.prev_rent_house));
  }
}

void BuildCases(World* w, Rng& rng) {
  std::vector<uint32_t> movers;
  for (uint32_t h = 0; h < w->households.size(); ++h) {
    if (w->households[h].rent_house != kNone) movers.push_back(h);
  }
  const size_t n = std::max<size_t>(20, w->persons.size() / 100);
  std::vector<std::vector<int>> seq(kNumDistricts, std::vector<int>(12, 0));
  auto random_person_debtor = [&]() -> uint32_t {
    if (!movers.empty() && rng.Chance(0.5)) {
      const Household& hh = w->households[movers[rng.Below(movers.size())]];
      for (int tries = 0; tries < 8; ++tries) {
        const uint32_t p = hh.first_member + static_cast<uint32_t>(rng.Below(hh.size));
        if (w->IsAdult(p)) return p;
      }
    }
    return static_cast<uint32_t>(RandomAdult(*w, rng, false));
  };
  for (size_t i = 0; i < n; ++i) {
    Case c;
    c.filed = RandomDay(rng, DaysFromCivil(2015, 1, 1), kLastDay);
    c.closed = kNever;
    c.status = 0;
    if (!rng.Chance(0.45) && c.filed + 30 < kLastDay) {
      c.closed = RandomDay(rng, c.filed + 30, kLastDay);
      c.status = rng.Chance(0.5) ? 1 : 2;
    }
    c.amount_fen = rng.Between(5000, 2000000) * 100 + rng.Between(0, 99);
    uint8_t district;
    if (rng.Chance(0.1)) {
      const uint32_t b = static_cast<uint32_t>(rng.Below(w->businesses.size()));
      c.parties.push_back({b, true, true});
      district = w->GridArea(w->businesses[b].grid).district;
    } else {
      const uint32_t p = random_person_debtor();
      c.parties.push_back({p, false, true});
      district = w->households[w->persons[p].household].district;
      if (rng.Chance(0.15)) {
        const uint32_t q = static_cast<uint32_t>(RandomAdult(*w, rng, false));
        if (q != p) c.parties.push_back({q, false, true});
      }
    }
    if (rng.Chance(0.4)) {
      c.parties.insert(c.parties.begin(),
                       {static_cast<uint32_t>(rng.Below(w->businesses.size())), true, false});
    } else {
      uint32_t a = static_cast<uint32_t>(RandomAdult(*w, rng, false));
      for (const CaseParty& p : c.parties) {
        if (!p.business && p.entity == a) a = (a + 1) % w->persons.size();
      }
      c.parties.insert(c.parties.begin(), {a, false, false});
    }
    c.district = district;
    const int year = YearOf(c.filed);
    int& s = seq[district][year - 2015];
    s += static_cast<int>(rng.Between(1, 4));
    c.no = "(";
    c.no += std::to_string(year);
    c.no += ")鄂";
    c.no += w->areas[district].code.substr(2, 4);
    c.no += "执";
    c.no += std::to_string(s);
    c.no += "号";
    w->cases.push_back(std::move(c));
  }
}

void BuildPhones(World* w, Rng& rng) {
  const Day kLatest = DaysFromCivil(2024, 6, 1);
  for (uint32_t p = 0; p < w->persons.size(); ++p) {
    Person& person = w->persons[p];
    const Day lo = std::max(AddYears(person.birth, 14), DaysFromCivil(2003, 1, 1));
    if (lo > kLatest) continue;
    const Day start = RandomDay(rng, lo, kLatest);
    const uint32_t house = w->households[person.household].house;
    if (start - 400 > lo && rng.Chance(0.1)) {
      w->phones.push_back(
          {NewPhoneNumber(w, rng), p, RandomDay(rng, lo, start - 400), start, house});
    }
    person.phone = static_cast<int32_t>(w->phones.size());
    w->phones.push_back({NewPhoneNumber(w, rng), p, start, kNever, house});
  }
}

void BuildReports(World* w, Rng& rng) {
  std::vector<Report>& out = w->reports;
  auto add = [&](Day date, uint8_t kind, uint32_t house, int32_t person) {
    const uint32_t grid = w->houses[house].grid;
    const auto& workers = w->grid_workers[grid];
    out.push_back({"", date, workers[rng.Below(workers.size())], grid, kind, house, person, 0});
  };
  for (const Household& hh : w->households) {
    for (uint32_t p = hh.first_member; p < hh.first_member + hh.size; ++p) {
      const Person& person = w->persons[p];
      const int32_t pi = static_cast<int32_t>(p);
      if (hh.rent_house == kNone) {
        if (rng.Chance(0.03)) {
          add(RandomDay(rng, std::max(kWindowFirst, person.member_from), kWindowLast), kVisit,
              hh.house, pi);
        }
        continue;
      }
      const uint32_t rent = static_cast<uint32_t>(hh.rent_house);
      if (hh.prev_rent_house != kNone && hh.prev_move_date >= kWindowFirst &&
          person.birth < hh.prev_move_date) {
        add(hh.prev_move_date, kRental, static_cast<uint32_t>(hh.prev_rent_house), pi);
      }
      if (hh.move_date >= kWindowFirst && person.birth < hh.move_date) {
        add(hh.move_date, kRental, rent, pi);
        if (rng.Chance(0.3) && hh.move_date < kWindowLast) {
          add(RandomDay(rng, hh.move_date + 1, kWindowLast), kVisit, rent, pi);
        }
      } else {
        add(RandomDay(rng, std::max({kWindowFirst, person.birth + 1, hh.move_date + 1}),
                      kWindowLast),
            kVisit, rent, pi);
      }
    }
  }
  const size_t hazards = w->grids.size() * 4;
  for (size_t i = 0; i < hazards; ++i) {
    add(RandomDay(rng, kWindowFirst, kWindowLast), kHazard,
        static_cast<uint32_t>(rng.Below(w->houses.size())), kNone);
  }
  std::stable_sort(out.begin(), out.end(), [](const Report& a, const Report& b) {
    return std::tie(a.date, a.grid) < std::tie(b.date, b.grid);
  });
  Day day = -1;
  uint64_t n = 0;
  for (Report& r : out) {
    if (r.date != day) {
      day = r.date;
      n = 0;
    }
    r.no = "R" + FormatDate(r.date, DateStyle::kCompact) + Pad(++n, 6);
  }
}

}  // namespace citygraph::datagen::internal
