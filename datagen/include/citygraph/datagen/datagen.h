// citygraph_datagen: generates a synthetic Wuhan — the files ten city
// departments would send about the same persons, households, houses,
// businesses, vehicles, court cases, allowances and grid reports, messy in
// documented ways — together with the ground truth (OUT/truth/) that ingest,
// entity resolution and the mission queries are scored against.
// datagen/README.md specifies every file, column, noise rate and truth file.
//
// Deterministic: the same Options give byte-identical output on every
// platform (own PRNG, own mapping of random bits to ranges, one output order).
//
// Thread-safety: Generate() touches only its own state and the output
// directory; concurrent calls must use different output directories.
#ifndef CITYGRAPH_DATAGEN_DATAGEN_H_
#define CITYGRAPH_DATAGEN_DATAGEN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace citygraph::datagen {

// Probabilities of each kind of noise (README.md, "Noise"). Each is in [0, 1].
struct NoiseRates {
  double id15 = 0.03;
  double lower_x = 0.5;
  double fullwidth = 0.01;
  double spaces = 0.02;
  double credit_lower = 0.01;
  double missing_id = 0.02;
  double duplicate = 0.01;
  double malformed = 0.002;
  double homonym = 0.002;
};

// Names accepted by SetNoiseRate, in README order.
std::vector<std::string> NoiseRateNames();

// Sets the rate called `name` (e.g. "id15"). Returns false and fills *error
// when the name is unknown or the rate is outside [0, 1].
bool SetNoiseRate(NoiseRates* rates, std::string_view name, double rate, std::string* error);

// Parses "NAME=RATE" (as the CLI's --noise takes it) and sets it.
// Returns false and fills *error (naming the text) when it does not parse.
bool ParseNoiseAssignment(NoiseRates* rates, std::string_view text, std::string* error);

// Reads a noise file: one "NAME = RATE" per line, blank lines and lines
// starting with '#' ignored. Returns false and fills *error with
// "<path>:<line>: <problem>" on the first bad line or when the file cannot be
// read. Rates not named keep their current value.
bool LoadNoiseFile(const std::string& path, NoiseRates* rates, std::string* error);

struct Options {
  uint64_t persons = 1000;  // 50 .. 20,000,000
  uint64_t seed = 1;
  std::string out_dir;  // created if missing; existing files are overwritten
  NoiseRates noise;
};

// What was generated (entity counts as in truth/counts.json).
struct Summary {
  uint64_t persons = 0;
  uint64_t households = 0;
  uint64_t houses = 0;
  uint64_t businesses = 0;
  uint64_t vehicles = 0;
  uint64_t cases = 0;
  uint64_t reports = 0;
  uint64_t files = 0;  // department files written (report days count each)
  uint64_t rows = 0;   // data rows over all department files
};

struct Result {
  bool ok = false;
  std::string error;  // set when !ok: what failed (e.g. the path that could not be written)
  Summary summary;
};

// Generates the city described by `options` into options.out_dir.
// On failure (bad options, unwritable directory, encoding failure) returns
// ok=false with the error; files already written may remain.
Result Generate(const Options& options);

}  // namespace citygraph::datagen

#endif  // CITYGRAPH_DATAGEN_DATAGEN_H_
