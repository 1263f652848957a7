// 低保 households, homonyms, identity numbers, extra houses, businesses,
// vehicles, and the planted ineligible / decoy allowance households.
#include <algorithm>
#include <cmath>

#include "codes.h"
#include "names.h"
#include "world.h"

namespace citygraph::datagen::internal {
namespace {

std::string Pad(uint64_t v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

const Day kLastDay = DaysFromCivil(2024, 9, 29);

uint32_t RandomGrid(const World& w, Rng& rng) {
  return static_cast<uint32_t>(rng.Below(w.grids.size()));
}

uint32_t ExtraHouse(World* w, Rng& rng, int first_year) {
  const uint32_t h = NewHouse(w, rng, RandomGrid(*w, rng), first_year);
  w->extra_houses.push_back(h);
  return h;
}

void Own(World* w, uint32_t house, uint32_t owner, uint16_t share, Day from, Day to) {
  w->ownerships.push_back({house, owner, false, share, from, to});
}

void OwnVehicle(World* w, uint32_t vehicle, uint32_t owner, bool business, Day from, Day to,
                uint8_t end_kind) {
  w->vehicle_owns.push_back({vehicle, owner, business, from, to, end_kind});
}

// Households receiving DIBAO on the audit date, in household order.
std::vector<uint32_t> CheckedDibaoHouseholds(const World& w) {
  std::vector<uint32_t> out;
  for (const Dibao& d : w.dibao) {
    if (d.from <= kAsOf && kAsOf < d.to) out.push_back(d.household);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

template <typename T>
void Shuffle(std::vector<T>* v, Rng& rng) {
  for (size_t i = v->size(); i > 1; --i) std::swap((*v)[i - 1], (*v)[rng.Below(i)]);
}

}  // namespace

void ChooseDibao(World* w, Rng& rng) {
  const size_t n =
      std::min<size_t>(w->households.size() / 3,
                       std::max<size_t>(24, static_cast<size_t>(w->households.size() * 0.025)));
  std::vector<uint32_t> chosen;
  while (chosen.size() < n) {
    const uint32_t h = static_cast<uint32_t>(rng.Below(w->households.size()));
    if (w->households[h].dibao) continue;
    w->households[h].dibao = true;
    chosen.push_back(h);
  }
  std::vector<uint64_t> seq(kNumDistricts, 0);
  for (uint32_t h : chosen) {
    Household& hh = w->households[h];
    Dibao d;
    d.household = h;
    d.cert = "DB" + w->areas[hh.district].code + Pad(++seq[hh.district], 6);
    d.amount_fen = static_cast<int64_t>(hh.size) * rng.Between(600, 900) * 100;
    const uint64_t kind = rng.Below(100);
    if (kind < 85) {  // receiving on the audit date
      d.from = RandomDay(rng, std::max(hh.registered, DaysFromCivil(2015, 1, 1)), kAsOf - 30);
      d.to = rng.Chance(0.15) ? RandomDay(rng, kAsOf + 1, kLastDay) : kNever;
    } else if (kind < 93) {  // ended before
      d.from = RandomDay(rng, DaysFromCivil(2012, 1, 1), DaysFromCivil(2020, 1, 1));
      d.to = RandomDay(rng, d.from + 200, kAsOf);
    } else {  // starts after
      d.from = RandomDay(rng, kAsOf + 1, kLastDay);
      d.to = kNever;
    }
    w->dibao.push_back(std::move(d));
  }
}

void PlantHomonyms(World* w, Rng& rng) {
  auto make_twin = [&](uint32_t a, uint32_t b) {
    Person& pb = w->persons[b];
    const Person& pa = w->persons[a];
    pb.name = pa.name;
    pb.birth = pa.birth;
    pb.sex = pa.sex;
    w->persons[a].homonym = static_cast<int32_t>(b);
    pb.homonym = static_cast<int32_t>(a);
    w->homonym_pairs.push_back({a, b});
  };
  auto find_twin = [&](uint32_t a, bool exclude_dibao) -> int32_t {
    for (int tries = 0; tries < 200; ++tries) {
      const int32_t b = RandomAdult(*w, rng, exclude_dibao);
      const Person& pb = w->persons[b];
      if (static_cast<uint32_t>(b) == a || pb.homonym != kNone ||
          pb.household == w->persons[a].household || pb.sex != w->persons[a].sex) {
        continue;
      }
      return b;
    }
    return kNone;
  };
  const size_t general = static_cast<size_t>(std::llround(w->noise.homonym * w->persons.size()));
  for (size_t i = 0; i < general; ++i) {
    const uint32_t a = static_cast<uint32_t>(RandomAdult(*w, rng, false));
    if (w->persons[a].homonym != kNone) continue;
    const int32_t b = find_twin(a, false);
    if (b != kNone) make_twin(a, static_cast<uint32_t>(b));
  }
  // Decoys for the allowance audit: a 低保 member whose homonym owns assets.
  std::vector<uint32_t> checked = CheckedDibaoHouseholds(*w);
  Shuffle(&checked, rng);
  const size_t planted =
      std::max<size_t>(1, static_cast<size_t>(std::llround(0.05 * checked.size())));
  for (size_t i = 0; i < planted && i < checked.size(); ++i) {
    const uint32_t m = w->households[checked[i]].first_member;
    if (w->persons[m].homonym != kNone) continue;
    const int32_t twin = find_twin(m, true);
    if (twin == kNone) continue;
    make_twin(m, static_cast<uint32_t>(twin));
    w->dibao_twins.push_back({static_cast<uint32_t>(twin), m});
  }
}

void AssignIds(World* w, Rng& rng) {
  std::unordered_set<uint64_t> used;
  used.reserve(w->persons.size() * 2);
  for (Person& p : w->persons) {
    const uint8_t d = w->households[p.household].district;
    for (;;) {
      const int seq = static_cast<int>(rng.Below(500)) * 2 + (p.sex ? 1 : 0);
      const uint64_t key = (static_cast<uint64_t>(d) << 40) |
                           (static_cast<uint64_t>(p.birth + 100000) << 12) |
                           static_cast<uint64_t>(seq);
      if (!used.insert(key).second) continue;
      p.id = MakeIdNumber(w->areas[d].code, p.birth, seq);
      break;
    }
  }
}

void BuildExtraHouses(World* w, Rng& rng) {
  const size_t n = static_cast<size_t>(w->households.size() * 0.14) + 4;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t pattern = rng.Below(100);
    const int first_year = static_cast<int>(rng.Between(1998, 2023));
    Day from = RandomDay(rng, DaysFromCivil(first_year, 1, 1),
                         std::min(DaysFromCivil(first_year, 12, 31), kAsOf));
    int year = first_year;
    if (pattern >= 95) {  // bought after the audit date
      from = RandomDay(rng, kAsOf + 1, kLastDay);
      year = YearOf(from);
    }
    const uint32_t h = ExtraHouse(w, rng, year);
    const uint32_t owner = static_cast<uint32_t>(RandomAdult(*w, rng, true));
    if (pattern < 15) {  // co-owned in shares
      Own(w, h, owner, 50, from, kNever);
      Own(w, h, static_cast<uint32_t>(RandomAdult(*w, rng, true)), 50, from, kNever);
    } else if (pattern < 35 && from + 400 < kLastDay) {  // sold
      const Day sold = RandomDay(rng, from + 365, kLastDay);
      Own(w, h, owner, 100, from, sold);
      Own(w, h, static_cast<uint32_t>(RandomAdult(*w, rng, true)), 100, sold, kNever);
    } else {
      Own(w, h, owner, 100, from, kNever);
    }
  }
}

uint32_t NewBusiness(World* w, Rng& rng, bool individual, uint32_t rep, Day established, Day ended,
                     uint8_t status) {
  Business b;
  b.individual = individual;
  b.rep = rep;
  b.grid = RandomGrid(*w, rng);
  const Area& grid = w->GridArea(b.grid);
  const Area& street = w->areas[w->areas[grid.parent].parent];
  do {
    b.code = MakeCreditCode(individual ? '2' : '1', w->areas[grid.district].code, rng.Next());
  } while (!w->used_codes.insert(b.code).second);
  const std::string stem = RandomTradeStem(rng);
  b.name = individual
               ? "武汉市" + w->areas[grid.district].name + stem + RandomBusinessLine(rng, false)
               : "武汉" + stem + RandomBusinessLine(rng, true);
  b.address = "武汉市" + w->areas[grid.district].name + street.name +
              street.roads[rng.Below(street.roads.size())] + std::to_string(rng.Between(1, 300)) +
              (individual ? "号门面" : "号写字楼" + std::to_string(rng.Between(2, 30)) + "层");
  b.established = established;
  b.ended = ended;
  b.status = status;
  w->businesses.push_back(std::move(b));
  return static_cast<uint32_t>(w->businesses.size() - 1);
}

void BuildBusinesses(World* w, Rng& rng) {
  const size_t individual = w->persons.size() * 5 / 100 + 2;
  const size_t companies = w->persons.size() * 15 / 1000 + 2;
  for (size_t i = 0; i < individual + companies; ++i) {
    const uint32_t rep = static_cast<uint32_t>(RandomAdult(*w, rng, true));
    const Day est = RandomDay(rng, DaysFromCivil(2000, 1, 1), kLastDay);
    const uint64_t s = rng.Below(100);
    uint8_t status = kActive;
    Day ended = kNever;
    if (s >= 75 && est + 30 < kLastDay) {
      status = s < 90 ? kRevoked : kDeregistered;
      ended = RandomDay(rng, est + 30, kLastDay);
    }
    NewBusiness(w, rng, i < individual, rep, est, ended, status);
  }
}

uint32_t NewVehicle(World* w, Rng& rng, Day first_reg) {
  static constexpr char kPlateChars[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  Vehicle v;
  v.new_energy = rng.Chance(0.08);
  do {
    v.plate = "鄂A";
    if (v.new_energy) {
      v.plate += rng.Chance(0.5) ? 'D' : 'F';
      for (int i = 0; i < 5; ++i) v.plate += static_cast<char>('0' + rng.Below(10));
    } else {
      for (int i = 0; i < 5; ++i) {
        // Mostly digits, as real plates are.
        v.plate += rng.Chance(0.75) ? static_cast<char>('0' + rng.Below(10))
                                    : kPlateChars[10 + rng.Below(sizeof(kPlateChars) - 11)];
      }
    }
  } while (!w->used_codes.insert(v.plate).second);
  v.brand = RandomBrand(rng);
  v.type = static_cast<uint8_t>(rng.Chance(0.8) ? 0 : (rng.Chance(0.5) ? 1 : 2));
  v.first_reg = first_reg;
  w->vehicles.push_back(std::move(v));
  return static_cast<uint32_t>(w->vehicles.size() - 1);
}

void BuildVehicles(World* w, Rng& rng) {
  std::vector<uint32_t> companies;
  for (uint32_t b = 0; b < w->businesses.size(); ++b) {
    if (!w->businesses[b].individual && w->businesses[b].status == kActive) companies.push_back(b);
  }
  const size_t n = w->persons.size() * 12 / 100 + 2;
  for (size_t i = 0; i < n; ++i) {
    const Day reg = RandomDay(rng, DaysFromCivil(2005, 1, 1), kLastDay);
    const uint32_t v = NewVehicle(w, rng, reg);
    bool business = !companies.empty() && rng.Chance(0.05);
    uint32_t owner = business ? companies[rng.Below(companies.size())]
                              : static_cast<uint32_t>(RandomAdult(*w, rng, true));
    if (business) w->vehicles[v].type = 2;
    const uint64_t pattern = rng.Below(100);
    if (pattern < 15 && reg + 200 < kLastDay) {
      const Day t = RandomDay(rng, reg + 180, kLastDay);
      OwnVehicle(w, v, owner, business, reg, t, 1);
      OwnVehicle(w, v, static_cast<uint32_t>(RandomAdult(*w, rng, true)), false, t, kNever, 0);
    } else if (pattern < 20 && reg + 200 < kLastDay) {
      OwnVehicle(w, v, owner, business, reg, RandomDay(rng, reg + 180, kLastDay), 2);
    } else {
      OwnVehicle(w, v, owner, business, reg, kNever, 0);
    }
  }
}

void PlantDibaoCases(World* w, Rng& rng) {
  std::vector<uint32_t> checked = CheckedDibaoHouseholds(*w);
  Shuffle(&checked, rng);
  const size_t per_kind =
      std::max<size_t>(1, static_cast<size_t>(std::llround(0.05 * checked.size())));
  const Day kEarly = DaysFromCivil(2012, 1, 1);
  size_t next = 0;
  for (int kind = 0; kind < 8; ++kind) {
    for (size_t i = 0; i < per_kind && next < checked.size(); ++i) {
      // Households whose head has a homonym are left to the homonym decoy.
      while (next < checked.size() &&
             w->persons[w->households[checked[next]].first_member].homonym != kNone) {
        ++next;
      }
      if (next == checked.size()) break;
      const uint32_t hh = checked[next++];
      const uint32_t m = w->households[hh].first_member;  // the head owns the hukou house
      switch (kind) {
        case 0: {  // ineligible: a second house (sometimes co-owned)
          const Day from = RandomDay(rng, kEarly, kAsOf - 30);
          const uint32_t h = ExtraHouse(w, rng, YearOf(from));
          if (rng.Chance(0.5)) {
            Own(w, h, m, 100, from, kNever);
          } else {
            Own(w, h, m, 50, from, kNever);
            Own(w, h, static_cast<uint32_t>(RandomAdult(*w, rng, true)), 50, from, kNever);
          }
          break;
        }
        case 1: {  // ineligible: an individual business existing on the date
          const bool revoked_later = rng.Chance(0.3);
          NewBusiness(w, rng, true, m, RandomDay(rng, kEarly, kAsOf - 30),
                      revoked_later ? RandomDay(rng, kAsOf + 1, kLastDay) : kNever,
                      revoked_later ? kRevoked : kActive);
          break;
        }
        case 2: {  // ineligible: a vehicle
          const Day from = RandomDay(rng, kEarly, kAsOf - 30);
          OwnVehicle(w, NewVehicle(w, rng, from), m, false, from, kNever, 0);
          break;
        }
        case 3: {  // decoy: a second house sold on or before the date
          const Day from = RandomDay(rng, kEarly, kAsOf - 400);
          const Day sold = rng.Chance(0.25) ? kAsOf : RandomDay(rng, from + 100, kAsOf);
          const uint32_t h = ExtraHouse(w, rng, YearOf(from));
          Own(w, h, m, 100, from, sold);
          Own(w, h, static_cast<uint32_t>(RandomAdult(*w, rng, true)), 100, sold, kNever);
          break;
        }
        case 4: {  // decoy: a second house bought after the date
          const Day from = RandomDay(rng, kAsOf + 1, kLastDay);
          Own(w, ExtraHouse(w, rng, YearOf(from)), m, 100, from, kNever);
          break;
        }
        case 5: {  // decoy: individual business revoked on or before the date
          const Day est = RandomDay(rng, kEarly, kAsOf - 400);
          NewBusiness(w, rng, true, m, est, RandomDay(rng, est + 100, kAsOf), kRevoked);
          break;
        }
        case 6:  // decoy: legal representative of a company, not an individual business
          NewBusiness(w, rng, false, m, RandomDay(rng, kEarly, kAsOf - 30), kNever, kActive);
          break;
        case 7: {  // decoy: vehicle transferred on or before the date
          const Day from = RandomDay(rng, kEarly, kAsOf - 400);
          const Day t = RandomDay(rng, from + 100, kAsOf);
          const uint32_t v = NewVehicle(w, rng, from);
          OwnVehicle(w, v, m, false, from, t, 1);
          OwnVehicle(w, v, static_cast<uint32_t>(RandomAdult(*w, rng, true)), false, t, kNever, 0);
          break;
        }
      }
    }
  }
  // The homonym twins of 低保 members own what their twins do not.
  for (const auto& [twin, member] : w->dibao_twins) {
    for (int i = 0; i < 2; ++i) {
      const Day from = RandomDay(rng, kEarly, kAsOf - 30);
      Own(w, ExtraHouse(w, rng, YearOf(from)), twin, 100, from, kNever);
    }
    const Day from = RandomDay(rng, kEarly, kAsOf - 30);
    OwnVehicle(w, NewVehicle(w, rng, from), twin, false, from, kNever, 0);
  }
}

}  // namespace citygraph::datagen::internal
