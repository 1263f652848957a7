#include "city_reader.h"

#include <iconv.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "citygraph/datagen/datagen.h"

namespace citygraph::datagen::testing {

const std::string& SmallCity() {
  static const std::string dir = [] {
    std::string d = "/tmp/citygraph_datagen_test_" + std::to_string(getpid());
    Options o;
    o.persons = 3000;
    // CITYGRAPH_DATAGEN_TEST_SEED lets a developer try other cities by hand.
    const char* seed = std::getenv("CITYGRAPH_DATAGEN_TEST_SEED");
    o.seed = seed != nullptr ? std::strtoull(seed, nullptr, 10) : 7;
    o.out_dir = d;
    o.noise.credit_lower = 0.05;  // few credit codes in a small city: make the noise show
    const Result r = Generate(o);
    if (!r.ok) throw std::runtime_error("generation failed: " + r.error);
    return d;
  }();
  // Registered after `dir` is constructed, so it runs before `dir` is destroyed.
  static const bool cleanup = [] {
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(SmallCity(), ignored);
    });
    return true;
  }();
  (void)cleanup;
  return dir;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Gb18030ToUtf8(const std::string& bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* dst = out.data();
  size_t out_left = out.size();
  const size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1)) throw std::runtime_error("bad GB18030");
  out.resize(out.size() - out_left);
  return out;
}

std::vector<Line> ReadLines(const std::string& path, bool gb18030) {
  std::string text = ReadBytes(path);
  if (gb18030) text = Gb18030ToUtf8(text);
  std::vector<Line> lines;
  size_t start = 0;
  uint32_t n = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back({++n, text.substr(start, end - start)});
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> SplitFields(const std::string& line, char sep) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back().push_back(c);
      }
    } else if (c == '"' && sep == ',') {
      quoted = true;
    } else if (c == sep) {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

int Table::Col(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Table ReadTable(const std::string& path, char sep, bool gb18030) {
  Table t;
  for (const Line& l : ReadLines(path, gb18030)) {
    if (l.number == 1) {
      t.header = SplitFields(l.text, sep);
    } else {
      t.rows.push_back({l.number, SplitFields(l.text, sep)});
    }
  }
  return t;
}

std::map<std::pair<std::string, uint32_t>, EntityRow> ReadEntities(const std::string& dir) {
  std::map<std::pair<std::string, uint32_t>, EntityRow> out;
  const Table t = ReadTable(dir + "/truth/record_entities.csv", ',', false);
  for (const auto& [line, f] : t.rows) {
    out[{f.at(0), static_cast<uint32_t>(std::stoul(f.at(1)))}] = {f.at(2), f.at(3), f.at(4),
                                                                  f.at(5), f.at(6)};
  }
  return out;
}

int32_t Ymd(int y, int m, int d) {
  using namespace std::chrono;
  return static_cast<int32_t>(sys_days(year_month_day{year{y}, month{static_cast<unsigned>(m)},
                                                      day{static_cast<unsigned>(d)}})
                                  .time_since_epoch()
                                  .count());
}

namespace {
bool ValidYmd(int y, int m, int d) {
  using namespace std::chrono;
  return year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}
      .ok();
}
bool AllDigits(const std::string& s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}
// 2^(17-i) mod 11: the MOD 11-2 weights, computed rather than tabled.
char IdCheck(const std::string& first17) {
  int sum = 0, weight = 1;
  for (int i = 16; i >= 0; --i) {
    weight = weight * 2 % 11;
    sum += (first17[i] - '0') * weight;
  }
  const int v = (12 - sum % 11) % 11;
  return v == 10 ? 'X' : static_cast<char>('0' + v);
}
const std::string kCreditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
}  // namespace

bool ValidIdNumber(const std::string& id) {
  if (id.size() != 18 || !AllDigits(id.substr(0, 17))) return false;
  if (!ValidYmd(std::stoi(id.substr(6, 4)), std::stoi(id.substr(10, 2)),
                std::stoi(id.substr(12, 2)))) {
    return false;
  }
  return IdCheck(id.substr(0, 17)) == id[17];
}

bool ValidCreditCode(const std::string& code) {
  if (code.size() != 18) return false;
  int sum = 0, weight = 1;  // weights 3^i mod 31
  for (int i = 0; i < 17; ++i) {
    const size_t v = kCreditChars.find(code[i]);
    if (v == std::string::npos) return false;
    sum += static_cast<int>(v) * weight;
    weight = weight * 3 % 31;
  }
  return kCreditChars[(31 - sum % 31) % 31] == code[17];
}

std::optional<std::string> NormalizeId(const std::string& raw) {
  std::string s;
  for (size_t i = 0; i < raw.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c == ' ') continue;
    if (c == 0xEF && i + 2 < raw.size() && static_cast<unsigned char>(raw[i + 1]) == 0xBC) {
      const unsigned char d = static_cast<unsigned char>(raw[i + 2]);
      if (d >= 0x90 && d <= 0x99) {
        s.push_back(static_cast<char>('0' + d - 0x90));
        i += 2;
        continue;
      }
    }
    s.push_back(c == 'x' ? 'X' : static_cast<char>(c));
  }
  if (s.size() == 15 && AllDigits(s)) {
    s = s.substr(0, 6) + "19" + s.substr(6);
    s.push_back(IdCheck(s));
  }
  if (!ValidIdNumber(s)) return std::nullopt;
  return s;
}

std::optional<std::string> NormalizeCredit(const std::string& raw) {
  std::string s;
  for (char c : raw) {
    if (c == ' ') continue;
    s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (!ValidCreditCode(s)) return std::nullopt;
  return s;
}

std::optional<int32_t> ParseAnyDate(const std::string& t) {
  int y = 0, m = 0, d = 0;
  if (t.find("年") != std::string::npos) {
    if (std::sscanf(t.c_str(), "%d年%d月%d日", &y, &m, &d) != 3) return std::nullopt;
  } else if (t.find('/') != std::string::npos) {
    if (std::sscanf(t.c_str(), "%d/%d/%d", &y, &m, &d) != 3) return std::nullopt;
  } else if (t.find('-') != std::string::npos) {
    if (std::sscanf(t.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return std::nullopt;
  } else if (t.size() == 8 && AllDigits(t)) {
    y = std::stoi(t.substr(0, 4));
    m = std::stoi(t.substr(4, 2));
    d = std::stoi(t.substr(6, 2));
  } else {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31 || !ValidYmd(y, m, d)) return std::nullopt;
  return Ymd(y, m, d);
}

}  // namespace citygraph::datagen::testing
