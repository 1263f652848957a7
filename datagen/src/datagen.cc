// Generate(): builds the world, writes the department files, then the truth.
#include "citygraph/datagen/datagen.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "table_writer.h"
#include "truth.h"
#include "world.h"
#include "write_departments.h"

namespace citygraph::datagen {
namespace {

struct RateField {
  const char* name;
  double NoiseRates::*field;
};
constexpr RateField kRateFields[] = {{"id15", &NoiseRates::id15},
                                     {"lower_x", &NoiseRates::lower_x},
                                     {"fullwidth", &NoiseRates::fullwidth},
                                     {"spaces", &NoiseRates::spaces},
                                     {"credit_lower", &NoiseRates::credit_lower},
                                     {"missing_id", &NoiseRates::missing_id},
                                     {"duplicate", &NoiseRates::duplicate},
                                     {"malformed", &NoiseRates::malformed},
                                     {"homonym", &NoiseRates::homonym}};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Position of a department file in the manifest, counts and
// record_entities.csv (README order; report days by date).
int FileRank(const std::string& path) {
  static const char* kOrder[] = {
      "police/", "housing/",        "market/",           "vehicles/",     "civil/",
      "court/",  "grid/grid_areas", "grid/grid_workers", "grid/reports/", "telecom/"};
  for (int i = 0; i < static_cast<int>(std::size(kOrder)); ++i) {
    if (path.rfind(kOrder[i], 0) == 0) return i;
  }
  return static_cast<int>(std::size(kOrder));
}

}  // namespace

std::vector<std::string> NoiseRateNames() {
  std::vector<std::string> names;
  for (const RateField& f : kRateFields) names.emplace_back(f.name);
  return names;
}

bool SetNoiseRate(NoiseRates* rates, std::string_view name, double rate, std::string* error) {
  for (const RateField& f : kRateFields) {
    if (name != f.name) continue;
    if (!(rate >= 0.0 && rate <= 1.0)) {
      *error =
          "noise rate " + std::string(name) + " must be in [0, 1], got " + std::to_string(rate);
      return false;
    }
    rates->*f.field = rate;
    return true;
  }
  std::string known;
  for (const RateField& f : kRateFields) known += std::string(known.empty() ? "" : ", ") + f.name;
  *error = "unknown noise rate '" + std::string(name) + "' (known: " + known + ")";
  return false;
}

bool ParseNoiseAssignment(NoiseRates* rates, std::string_view text, std::string* error) {
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    *error = "noise setting '" + std::string(text) + "' is not NAME=RATE";
    return false;
  }
  const std::string value(Trim(text.substr(eq + 1)));
  char* end = nullptr;
  const double rate = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size()) {
    *error = "noise setting '" + std::string(text) + "': rate is not a number";
    return false;
  }
  return SetNoiseRate(rates, Trim(text.substr(0, eq)), rate, error);
}

bool LoadNoiseFile(const std::string& path, NoiseRates* rates, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read noise file " + path;
    return false;
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string_view t = Trim(line);
    if (t.empty() || t.front() == '#') continue;
    std::string e;
    if (!ParseNoiseAssignment(rates, t, &e)) {
      *error = path + ":" + std::to_string(number) + ": " + e;
      return false;
    }
  }
  return true;
}

Result Generate(const Options& options) {
  using namespace internal;
  Result result;
  if (options.persons < 50) {
    result.error = "--persons must be at least 50";
    return result;
  }
  if (options.persons > 20000000) {  // 7-digit certificate numbers run out beyond
    result.error = "--persons must be at most 20000000";
    return result;
  }
  if (options.out_dir.empty()) {
    result.error = "no output directory given";
    return result;
  }
  World w;
  w.seed = options.seed;
  w.noise = options.noise;
  Rng rng(options.seed, 1);
  BuildCity(&w, rng, options.persons);
  BuildPopulation(&w, rng, options.persons);
  ChooseDibao(&w, rng);
  PlantHomonyms(&w, rng);
  AssignIds(&w, rng);
  BuildExtraHouses(&w, rng);
  BuildBusinesses(&w, rng);
  BuildVehicles(&w, rng);
  PlantDibaoCases(&w, rng);
  BuildMoves(&w, rng);
  BuildCases(&w, rng);
  BuildPhones(&w, rng);
  BuildReports(&w, rng);

  // Department files are written by two threads; each file has its own random
  // stream, so the bytes do not depend on the interleaving.
  WriteContext ctx, ctx_b;
  ctx.out_dir = ctx_b.out_dir = options.out_dir;
  ctx.seed = ctx_b.seed = options.seed;
  ctx.noise = ctx_b.noise = options.noise;
  bool ok_b = true;
  std::thread second([&] {
    ok_b = WriteProperty(w, &ctx_b) && WriteBusinesses(w, &ctx_b) && WriteVehicles(w, &ctx_b) &&
           WriteTelecom(w, &ctx_b);
  });
  bool ok = WriteHukou(w, &ctx) && WriteDibao(w, &ctx) && WriteCourt(w, &ctx) &&
            WriteGridStructure(w, &ctx) && WriteReports(&w, &ctx);
  second.join();
  if (ok && !ok_b) ctx.error = ctx_b.error;
  ok = ok && ok_b;
  if (ok) {
    for (FileInfo& f : ctx_b.files) ctx.files.push_back(std::move(f));
    std::stable_sort(ctx.files.begin(), ctx.files.end(), [](const FileInfo& a, const FileInfo& b) {
      return FileRank(a.path) < FileRank(b.path);
    });
  }
  OutputFile entities;
  ok = ok &&
       entities.Open(ctx.out_dir + "/truth/record_entities.csv", Encoding::kUtf8, &ctx.error) &&
       entities.Write("file,line,entity_kind,entity_key,status,detail,noise\n", &ctx.error);
  for (FileInfo& f : ctx.files) {
    ok = ok && entities.Write(f.entities, &ctx.error);
    std::string().swap(f.entities);
  }
  ok = ok && entities.Close(&ctx.error) && WriteManifest(w, options.persons, &ctx) &&
       WriteHomonymsTruth(w, &ctx) && WriteConflictsTruth(w, &ctx) && WriteLocateTruth(w, &ctx) &&
       WritePathsTruth(w, &ctx) && WriteCountsTruth(w, &ctx);
  if (!ok) {
    result.error = ctx.error.empty() ? "generation failed" : ctx.error;
    return result;
  }
  result.ok = true;
  Summary& s = result.summary;
  s.persons = w.persons.size();
  s.households = w.households.size();
  s.houses = w.houses.size();
  s.businesses = w.businesses.size();
  s.vehicles = w.vehicles.size();
  s.cases = w.cases.size();
  s.reports = w.reports.size();
  s.files = ctx.files.size();
  for (const FileInfo& f : ctx.files) s.rows += f.counts.rows;
  return result;
}

}  // namespace citygraph::datagen
