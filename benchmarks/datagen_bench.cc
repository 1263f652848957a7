// datagen_bench: generates a city of --persons persons and prints the wall
// time and the peak resident memory of this process. Run under
// /usr/bin/time -v for an independent figure; see "## datagen" in BENCHMARKS.md.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "citygraph/datagen/datagen.h"

int main(int argc, char** argv) {
  CLI::App app{"Time citygraph_datagen's Generate()"};
  citygraph::datagen::Options options;
  options.persons = 1000000;
  options.seed = 1;
  app.add_option("--persons", options.persons)->capture_default_str();
  app.add_option("--seed", options.seed)->capture_default_str();
  app.add_option("--out", options.out_dir)->required();
  CLI11_PARSE(app, argc, argv);
  const auto start = std::chrono::steady_clock::now();
  const citygraph::datagen::Result r = citygraph::datagen::Generate(options);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!r.ok) {
    std::fprintf(stderr, "error: %s\n", r.error.c_str());
    return 1;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("persons %llu  files %llu  rows %llu  wall %.2f s  peak_rss %.1f MiB\n",
              static_cast<unsigned long long>(r.summary.persons),
              static_cast<unsigned long long>(r.summary.files),
              static_cast<unsigned long long>(r.summary.rows), secs, usage.ru_maxrss / 1024.0);
  return 0;
}
