// `citygraph gen`: writes a synthetic city (department files + ground truth)
// with citygraph_datagen; datagen/README.md describes the output.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "citygraph/datagen/datagen.h"
#include "commands.h"

namespace citygraph::cli {
namespace {

struct GenArgs {
  uint64_t persons = 1000;
  uint64_t seed = 1;
  std::string out;
  std::string noise_file;
  std::vector<std::string> noise;
};

void RunGen(const GenArgs& args) {
  datagen::Options options;
  options.persons = args.persons;
  options.seed = args.seed;
  options.out_dir = args.out;
  std::string error;
  if (!args.noise_file.empty() &&
      !datagen::LoadNoiseFile(args.noise_file, &options.noise, &error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return SetExitCode(2);
  }
  for (const std::string& n : args.noise) {
    if (!datagen::ParseNoiseAssignment(&options.noise, n, &error)) {
      std::fprintf(stderr, "error: %s\n", error.c_str());
      return SetExitCode(2);
    }
  }
  const auto start = std::chrono::steady_clock::now();
  const datagen::Result r = datagen::Generate(options);
  if (!r.ok) {
    std::fprintf(stderr, "error: %s\n", r.error.c_str());
    return SetExitCode(1);
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const datagen::Summary& s = r.summary;
  std::printf(
      "generated %s in %.2f s: %llu persons, %llu households, %llu houses, %llu businesses, "
      "%llu vehicles, %llu cases, %llu reports; %llu files, %llu rows\n",
      args.out.c_str(), secs, static_cast<unsigned long long>(s.persons),
      static_cast<unsigned long long>(s.households), static_cast<unsigned long long>(s.houses),
      static_cast<unsigned long long>(s.businesses), static_cast<unsigned long long>(s.vehicles),
      static_cast<unsigned long long>(s.cases), static_cast<unsigned long long>(s.reports),
      static_cast<unsigned long long>(s.files), static_cast<unsigned long long>(s.rows));
}

}  // namespace

void RegisterGenCommands(CLI::App& app) {
  auto args = std::make_shared<GenArgs>();
  CLI::App* gen = app.add_subcommand(
      "gen", "Generate a synthetic city: department files and ground truth (datagen/README.md)");
  gen->add_option("--persons", args->persons, "Number of persons (50 .. 20000000)")
      ->capture_default_str();
  gen->add_option("--seed", args->seed, "Random seed; same seed, same bytes")
      ->capture_default_str();
  gen->add_option("--out", args->out, "Output directory")->required();
  gen->add_option("--noise-file", args->noise_file, "File of 'NAME = RATE' lines");
  std::string names;
  for (const std::string& n : datagen::NoiseRateNames()) names += (names.empty() ? "" : ", ") + n;
  gen->add_option("--noise", args->noise, "NAME=RATE, repeatable; names: " + names);
  gen->callback([args] { RunGen(*args); });
}

}  // namespace citygraph::cli
