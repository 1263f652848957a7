// The synthetic world: every entity and dated fact, before it is written out
// as department files. Indexes between vectors are uint32 positions.
#ifndef CITYGRAPH_DATAGEN_SRC_WORLD_H_
#define CITYGRAPH_DATAGEN_SRC_WORLD_H_

#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "citygraph/datagen/datagen.h"
#include "civil_date.h"
#include "rng.h"

namespace citygraph::datagen::internal {

inline constexpr int32_t kNone = -1;

struct District {
  const char* name;
  const char* code;
  double weight;  // rough population share
};
inline constexpr int kNumDistricts = 13;
extern const District kDistricts[kNumDistricts];

enum class AreaLevel : uint8_t { kDistrict, kStreet, kCommunity, kGrid };

struct Area {
  std::string code;
  std::string name;
  AreaLevel level;
  int32_t parent;  // area index, kNone for districts
  uint8_t district;
  std::vector<std::string> roads;  // streets only
};

enum Relation : uint8_t { kHead, kSpouse, kChild, kParent, kGrandchild, kSibling };
const char* RelationName(uint8_t relation);

struct Person {
  std::string name;
  std::string id;  // canonical 18 characters
  Day birth = 0;
  uint8_t sex = 0;  // 1 male, 0 female
  uint8_t relation = kHead;
  const char* ethnic = "汉";
  uint32_t household = 0;
  Day member_from = 0;
  int32_t phone = kNone;  // current phone index
  int32_t homonym = kNone;
};

struct Household {
  std::string no;
  uint8_t district = 0;
  uint32_t first_member = 0;
  uint32_t size = 0;
  uint32_t house = 0;  // hukou house
  Day registered = 0;
  int32_t rent_house = kNone;  // where the household lives now if not the hukou house
  Day move_date = 0;
  int32_t prev_rent_house = kNone;  // an earlier rented house, if moved twice
  Day prev_move_date = 0;
  bool dibao = false;  // receives DIBAO on the audit date
};

struct House {
  std::string cert;
  std::string address;
  uint32_t grid = 0;  // index into World::grids
  uint16_t building = 0, unit = 0, room = 0;
  int32_t area_dm2 = 0;  // floor area in 0.01 m²
};

struct Ownership {
  uint32_t house;
  uint32_t owner;  // person, or business if `business`
  bool business;
  uint16_t share_pct;  // 100 or 50
  Day from, to;
};

enum BusinessStatus : uint8_t { kActive, kRevoked, kDeregistered };

struct Business {
  std::string code;
  std::string name;
  std::string address;
  bool individual = true;
  uint32_t rep = 0;
  uint32_t grid = 0;
  Day established = 0;
  Day ended = kNever;
  uint8_t status = kActive;
};

struct Vehicle {
  std::string plate;
  const char* brand;
  uint8_t type;  // 0 小型轿车, 1 小型普通客车, 2 轻型货车
  bool new_energy;
  Day first_reg;
};

struct VehicleOwnership {
  uint32_t vehicle;
  uint32_t owner;
  bool business;
  Day from, to;
  uint8_t end_kind;  // 0 still, 1 transferred, 2 deregistered
};

struct CaseParty {
  uint32_t entity;  // person or business
  bool business;
  bool debtor;
};

struct Case {
  std::string no;
  uint8_t district;
  Day filed;
  Day closed;      // kNever if open
  uint8_t status;  // 0 执行中, 1 终结本次执行程序, 2 执行完毕
  int64_t amount_fen;
  std::vector<CaseParty> parties;
};

struct Dibao {
  uint32_t household;
  std::string cert;
  Day from, to;
  int64_t amount_fen;
};

struct Phone {
  std::string number;
  uint32_t person;
  Day from, to;
  uint32_t addr_house;  // house whose address was given at sign-up
};

struct Worker {
  std::string no, name, phone;
  uint32_t grid;
  Day since;
};

enum ReportKind : uint8_t { kRental, kVisit, kHazard };

struct Report {
  std::string no;
  Day date;
  uint32_t worker;
  uint32_t grid;
  uint8_t kind;
  uint32_t house;
  int32_t person;     // kNone for hazards
  uint32_t line = 0;  // line in its daily file, set by the writer
};

struct World {
  uint64_t seed = 0;
  NoiseRates noise;
  std::vector<Area> areas;
  std::vector<uint32_t> grids;                        // grid index -> area index
  std::vector<std::vector<uint32_t>> district_grids;  // district -> grid indexes
  std::vector<std::vector<uint32_t>> grid_workers;    // grid -> worker indexes
  std::vector<Person> persons;
  std::vector<Household> households;
  std::vector<House> houses;
  std::vector<Ownership> ownerships;
  std::vector<Business> businesses;
  std::vector<Vehicle> vehicles;
  std::vector<VehicleOwnership> vehicle_owns;
  std::vector<Case> cases;
  std::vector<Dibao> dibao;
  std::vector<Phone> phones;
  std::vector<Worker> workers;
  std::vector<Report> reports;
  std::vector<std::pair<uint32_t, uint32_t>> homonym_pairs;
  std::vector<uint32_t> extra_houses;                      // houses that are nobody's hukou house
  std::vector<std::pair<uint32_t, uint32_t>> dibao_twins;  // (twin, dibao member) to get assets
  std::unordered_set<uint64_t> used_phones;
  std::unordered_set<std::string> used_codes;  // credit codes and plates

  const std::string& DistrictCode(uint32_t d) const { return areas[d].code; }
  const Area& GridArea(uint32_t grid) const { return areas[grids[grid]]; }
  std::string HukouAddress(uint32_t person) const {
    return houses[households[persons[person].household].house].address;
  }
  bool IsAdult(uint32_t person) const;
};

// Builders, in the order Generate() calls them (README "The city").
void BuildCity(World* w, Rng& rng, uint64_t persons);
void BuildPopulation(World* w, Rng& rng, uint64_t persons);
void ChooseDibao(World* w, Rng& rng);
void PlantHomonyms(World* w, Rng& rng);
void AssignIds(World* w, Rng& rng);
void BuildExtraHouses(World* w, Rng& rng);
void BuildBusinesses(World* w, Rng& rng);
void BuildVehicles(World* w, Rng& rng);
void PlantDibaoCases(World* w, Rng& rng);
void BuildMoves(World* w, Rng& rng);
void BuildCases(World* w, Rng& rng);
void BuildPhones(World* w, Rng& rng);
void BuildReports(World* w, Rng& rng);

// Shared helpers of the builders.
uint32_t NewHouse(World* w, Rng& rng, uint32_t grid, int first_year);
int32_t RandomAdult(const World& w, Rng& rng, bool exclude_dibao);
Day RandomDay(Rng& rng, Day lo, Day hi);  // inclusive
uint32_t NewBusiness(World* w, Rng& rng, bool individual, uint32_t rep, Day established, Day ended,
                     uint8_t status);
uint32_t NewVehicle(World* w, Rng& rng, Day first_reg);
std::string NewPhoneNumber(World* w, Rng& rng);
inline Day AddYears(Day d, int years) {
  int y, m, dd;
  CivilFromDays(d, &y, &m, &dd);
  if (m == 2 && dd == 29) dd = 28;
  return DaysFromCivil(y + years, m, dd);
}

}  // namespace citygraph::datagen::internal

#endif  // CITYGRAPH_DATAGEN_SRC_WORLD_H_
