// Reads a generated city back for the datagen tests, with code written
// independently of the generator: department files (GB18030 decoded with
// iconv), truth/record_entities.csv, identity-number / credit-code validation
// and normalisation, and the four date styles.
#ifndef CITYGRAPH_TESTS_DATAGEN_CITY_READER_H_
#define CITYGRAPH_TESTS_DATAGEN_CITY_READER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace citygraph::datagen::testing {

// A city generated once per test binary (3,000 persons, seed 7, default
// noise but credit_lower 0.05) in a
// temporary directory; returns that directory.
const std::string& SmallCity();

std::string ReadBytes(const std::string& path);
std::string Gb18030ToUtf8(const std::string& bytes);

struct Line {
  uint32_t number;  // 1-based physical line
  std::string text;
};
// Lines of a UTF-8 or GB18030 file (decoded to UTF-8), without '\n'.
std::vector<Line> ReadLines(const std::string& path, bool gb18030);
// Splits one CSV (RFC 4180 quoting) or TSV line.
std::vector<std::string> SplitFields(const std::string& line, char sep);

struct Table {
  std::vector<std::string> header;
  std::vector<std::pair<uint32_t, std::vector<std::string>>> rows;  // (line, fields)
  int Col(const std::string& name) const;                           // -1 if absent
};
Table ReadTable(const std::string& path, char sep, bool gb18030);

struct EntityRow {
  std::string kind, key, status, detail, noise;
};
// truth/record_entities.csv keyed by (file, line).
std::map<std::pair<std::string, uint32_t>, EntityRow> ReadEntities(const std::string& dir);

bool ValidIdNumber(const std::string& id18);
bool ValidCreditCode(const std::string& code18);
// Canonical 18-character id from a noisy spelling, or nullopt if invalid.
std::optional<std::string> NormalizeId(const std::string& raw);
// Canonical credit code from a noisy spelling, or nullopt if invalid.
std::optional<std::string> NormalizeCredit(const std::string& raw);

// Days since 1970-01-01 of a date in any of the four styles; nullopt when
// it does not parse or is impossible. Empty text is "no date".
std::optional<int32_t> ParseAnyDate(const std::string& text);
int32_t Ymd(int y, int m, int d);
inline constexpr int32_t kForever = INT32_MAX;

}  // namespace citygraph::datagen::testing

#endif  // CITYGRAPH_TESTS_DATAGEN_CITY_READER_H_
