// The city's areas, grids, grid workers, households, persons and hukou houses.
#include <algorithm>
#include <cmath>

#include "names.h"
#include "world.h"

namespace citygraph::datagen::internal {

const District kDistricts[kNumDistricts] = {
    {"江岸区", "420102", 96},  {"江汉区", "420103", 65},   {"硚口区", "420104", 67},
    {"汉阳区", "420105", 84},  {"武昌区", "420106", 128},  {"青山区", "420107", 53},
    {"洪山区", "420111", 180}, {"东西湖区", "420112", 63}, {"汉南区", "420113", 20},
    {"蔡甸区", "420114", 55},  {"江夏区", "420115", 97},   {"黄陂区", "420116", 115},
    {"新洲区", "420117", 86}};

const char* RelationName(uint8_t relation) {
  static const char* kNames[] = {"户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹"};
  return kNames[relation];
}

namespace {
std::string Pad(uint64_t v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

std::vector<double> DistrictCumulative() {
  std::vector<double> cum;
  double sum = 0;
  for (const District& d : kDistricts) cum.push_back(sum += d.weight);
  return cum;
}
}  // namespace

Day RandomDay(Rng& rng, Day lo, Day hi) {
  if (hi < lo) return lo;
  return static_cast<Day>(rng.Between(lo, hi));
}

bool World::IsAdult(uint32_t person) const {
  static const Day kAdultBorn = DaysFromCivil(2006, 6, 30);
  return persons[person].birth <= kAdultBorn;
}

int32_t RandomAdult(const World& w, Rng& rng, bool exclude_dibao) {
  uint32_t p = 0;
  for (int tries = 0; tries < 64; ++tries) {
    p = static_cast<uint32_t>(rng.Below(w.persons.size()));
    if (!w.IsAdult(p)) continue;
    if (exclude_dibao && w.households[w.persons[p].household].dibao) continue;
    return static_cast<int32_t>(p);
  }
  return static_cast<int32_t>(p);
}

std::string NewPhoneNumber(World* w, Rng& rng) {
  static const char* kPrefixes[] = {"130", "131", "132", "133", "135", "136", "137", "138", "139",
                                    "150", "151", "152", "155", "156", "158", "159", "170", "177",
                                    "180", "181", "186", "187", "188", "189", "199"};
  for (;;) {
    std::string s = kPrefixes[rng.Below(std::size(kPrefixes))];
    s += Pad(rng.Below(100000000), 8);
    if (w->used_phones.insert(std::stoull(s)).second) return s;
  }
}

void BuildCity(World* w, Rng& rng, uint64_t persons) {
  const uint64_t total_grids = std::max<uint64_t>(2 * kNumDistricts, (persons + 799) / 800);
  double weight_sum = 0;
  for (const District& d : kDistricts) weight_sum += d.weight;
  for (int d = 0; d < kNumDistricts; ++d) {
    w->areas.push_back({kDistricts[d].code,
                        kDistricts[d].name,
                        AreaLevel::kDistrict,
                        kNone,
                        static_cast<uint8_t>(d),
                        {}});
  }
  w->district_grids.resize(kNumDistricts);
  for (int d = 0; d < kNumDistricts; ++d) {
    const uint64_t grids = std::max<uint64_t>(
        2, static_cast<uint64_t>(std::llround(total_grids * kDistricts[d].weight / weight_sum)));
    int32_t street = kNone, community = kNone;
    int streets = 0, communities = 0, grids_in_community = 0;
    for (uint64_t g = 0; g < grids; ++g) {
      if (g % 4 == 0) {
        if (g % 20 == 0) {
          Area s{w->areas[d].code + Pad(++streets, 3),
                 RandomPlaceStem(rng) + "街道",
                 AreaLevel::kStreet,
                 d,
                 static_cast<uint8_t>(d),
                 {}};
          static const char* kSuffix[] = {"路", "街", "大道", "路"};
          for (int r = 0; r < 4; ++r) s.roads.push_back(RandomPlaceStem(rng) + kSuffix[r]);
          street = static_cast<int32_t>(w->areas.size());
          w->areas.push_back(std::move(s));
          communities = 0;
        }
        community = static_cast<int32_t>(w->areas.size());
        w->areas.push_back({w->areas[street].code + Pad(++communities, 3),
                            RandomPlaceStem(rng) + "社区",
                            AreaLevel::kCommunity,
                            street,
                            static_cast<uint8_t>(d),
                            {}});
        grids_in_community = 0;
      }
      ++grids_in_community;
      const uint32_t grid = static_cast<uint32_t>(w->grids.size());
      w->grids.push_back(static_cast<uint32_t>(w->areas.size()));
      w->areas.push_back(
          {w->areas[community].code + Pad(grids_in_community, 3),
           w->areas[community].name + "第" + std::to_string(grids_in_community) + "网格",
           AreaLevel::kGrid,
           community,
           static_cast<uint8_t>(d),
           {}});
      w->district_grids[d].push_back(grid);
    }
  }
  // Grid workers: one per grid, a second in a quarter of them.
  std::vector<int> per_district(kNumDistricts, 0);
  w->grid_workers.resize(w->grids.size());
  for (uint32_t g = 0; g < w->grids.size(); ++g) {
    const int n = rng.Chance(0.25) ? 2 : 1;
    const uint8_t d = w->GridArea(g).district;
    for (int i = 0; i < n; ++i) {
      Worker wk;
      wk.no = "W" + w->areas[d].code + Pad(++per_district[d], 5);
      const int sex = static_cast<int>(rng.Below(2));
      wk.name = RandomSurname(rng) + RandomGivenName(rng, sex);
      wk.phone = NewPhoneNumber(w, rng);
      wk.grid = g;
      wk.since = RandomDay(rng, DaysFromCivil(2015, 1, 1), DaysFromCivil(2023, 6, 1));
      w->grid_workers[g].push_back(static_cast<uint32_t>(w->workers.size()));
      w->workers.push_back(std::move(wk));
    }
  }
}

uint32_t NewHouse(World* w, Rng& rng, uint32_t grid, int first_year) {
  const uint32_t idx = static_cast<uint32_t>(w->houses.size());
  House h;
  const uint64_t number = (static_cast<uint64_t>(idx + 1) * 7919 + 12345) % 10000000;
  h.cert = "鄂(" + std::to_string(first_year) + ")武汉市不动产权第" + Pad(number, 7) + "号";
  h.grid = grid;
  h.building = static_cast<uint16_t>(rng.Between(1, 30));
  h.unit = static_cast<uint16_t>(rng.Between(1, 6));
  h.room = static_cast<uint16_t>(rng.Between(1, 33) * 100 + rng.Between(1, 4));
  h.area_dm2 = static_cast<int32_t>(rng.Between(4000, 16000));
  const Area& community = w->areas[w->GridArea(grid).parent];
  const Area& street = w->areas[community.parent];
  h.address = "武汉市" + w->areas[street.district].name + street.name +
              street.roads[rng.Below(street.roads.size())] + std::to_string(rng.Between(1, 300)) +
              "号" + std::to_string(h.building) + "栋" + std::to_string(h.unit) + "单元" +
              std::to_string(h.room) + "室";
  w->houses.push_back(std::move(h));
  return idx;
}

void BuildPopulation(World* w, Rng& rng, uint64_t persons) {
  const std::vector<double> district_cum = DistrictCumulative();
  static const std::vector<double> kSizeCum = {18, 46, 73, 89, 100};
  std::vector<uint64_t> household_seq(kNumDistricts, 0);
  const Day kLastBirth = DaysFromCivil(2023, 12, 31);
  w->persons.reserve(persons);
  w->households.reserve(persons / 2);
  while (w->persons.size() < persons) {
    const uint8_t d = static_cast<uint8_t>(rng.Weighted(district_cum));
    const uint32_t grid = w->district_grids[d][rng.Below(w->district_grids[d].size())];
    const uint64_t size =
        std::min<uint64_t>(rng.Weighted(kSizeCum) + 1, persons - w->persons.size());
    Household hh;
    hh.district = d;
    hh.no = w->areas[d].code + Pad(++household_seq[d] * 37 % 10000000, 7);
    hh.first_member = static_cast<uint32_t>(w->persons.size());
    hh.size = static_cast<uint32_t>(size);
    const uint32_t hidx = static_cast<uint32_t>(w->households.size());

    Person head;
    head.sex = rng.Chance(0.65) ? 1 : 0;
    head.birth = RandomDay(rng, DaysFromCivil(1940, 1, 1), DaysFromCivil(1998, 12, 31));
    const std::string surname = RandomSurname(rng);
    head.name = surname + RandomGivenName(rng, head.sex);
    head.relation = kHead;
    std::vector<Person> members{head};
    std::string child_surname = surname;
    if (size >= 2 && rng.Chance(0.85)) {
      Person sp;
      sp.sex = 1 - head.sex;
      sp.birth = std::min(RandomDay(rng, head.birth - 5 * 365, head.birth + 5 * 365),
                          DaysFromCivil(2000, 12, 31));
      const std::string sp_surname = RandomSurname(rng);
      sp.name = sp_surname + RandomGivenName(rng, sp.sex);
      sp.relation = kSpouse;
      if (head.sex == 0 && rng.Chance(0.7)) child_surname = sp_surname;
      members.push_back(sp);
    }
    while (members.size() < size) {
      Person m;
      m.sex = static_cast<uint8_t>(rng.Below(2));
      if (head.birth > DaysFromCivil(1965, 1, 1) && rng.Chance(0.3)) {
        m.relation = kParent;
        m.birth = std::max(RandomDay(rng, head.birth - 35 * 365, head.birth - 22 * 365),
                           DaysFromCivil(1935, 1, 1));
        m.name = (m.sex ? surname : RandomSurname(rng)) + RandomGivenName(rng, m.sex);
      } else if (head.birth < DaysFromCivil(1960, 1, 1) && rng.Chance(0.2)) {
        m.relation = kGrandchild;
        m.birth =
            std::min(RandomDay(rng, head.birth + 45 * 365, head.birth + 62 * 365), kLastBirth);
        m.name = child_surname + RandomGivenName(rng, m.sex);
      } else {
        m.birth = RandomDay(rng, head.birth + 22 * 365, head.birth + 40 * 365);
        if (m.birth > kLastBirth) {
          m.relation = kSibling;
          m.birth = RandomDay(rng, head.birth - 8 * 365, head.birth + 8 * 365);
          m.name = surname + RandomGivenName(rng, m.sex);
        } else {
          m.relation = kChild;
          m.name = child_surname + RandomGivenName(rng, m.sex);
        }
      }
      members.push_back(m);
    }

    // The hukou house: bought by the head (with the spouse, sometimes).
    const Day own_from =
        RandomDay(rng, std::max(AddYears(head.birth, 20), DaysFromCivil(1998, 1, 1)),
                  DaysFromCivil(2024, 6, 1));
    int first_year = YearOf(own_from);
    int32_t prev_owner = kNone;
    Day prev_from = 0;
    if (!w->persons.empty() && own_from - 400 > DaysFromCivil(1996, 1, 1) && rng.Chance(0.1)) {
      prev_owner = RandomAdult(*w, rng, false);
      prev_from = RandomDay(rng, DaysFromCivil(1995, 1, 1), own_from - 365);
      first_year = YearOf(prev_from);
    }
    hh.house = NewHouse(w, rng, grid, first_year);
    hh.registered = own_from;
    if (prev_owner != kNone) {
      w->ownerships.push_back(
          {hh.house, static_cast<uint32_t>(prev_owner), false, 100, prev_from, own_from});
    }
    const bool co_owned = members.size() >= 2 && members[1].relation == kSpouse && rng.Chance(0.3);
    w->ownerships.push_back({hh.house, hh.first_member, false,
                             static_cast<uint16_t>(co_owned ? 50 : 100), own_from, kNever});
    if (co_owned) {
      w->ownerships.push_back({hh.house, hh.first_member + 1, false, 50, own_from, kNever});
    }
    for (Person& m : members) {
      m.household = hidx;
      m.member_from = std::max(own_from, m.birth);
      m.ethnic = RandomEthnic(rng);
      w->persons.push_back(std::move(m));
    }
    w->households.push_back(std::move(hh));
  }
}

}  // namespace citygraph::datagen::internal
