#include "text_file.h"

#include <strings.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace citygraph::algo::internal {

StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return IOError("cannot open " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return IOError("cannot read " + path);
  return text;
}

Status WriteWholeFile(const std::string& path, std::string_view text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return IOError("cannot create " + path + ": " + std::strerror(errno));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) return IOError("cannot write " + path);
  return Status::OK();
}

size_t SplitFields(std::string_view line, std::string_view* fields, size_t max) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  size_t count = 0, i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == line.size()) break;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (count < max) fields[count] = line.substr(i, j - i);
    ++count;
    i = j;
  }
  return count;
}

bool ParseInt64(std::string_view field, int64_t* out) {
  auto [p, ec] = std::from_chars(field.data(), field.data() + field.size(), *out);
  return ec == std::errc() && p == field.data() + field.size();
}

bool ParseDouble(std::string_view field, double* out) {
  std::string_view body = field;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if ((body.size() == 3 && strncasecmp(body.data(), "inf", 3) == 0) ||
      (body.size() == 8 && strncasecmp(body.data(), "infinity", 8) == 0)) {
    *out = negative ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), *out);
  if (ec != std::errc() || p != body.data() + body.size()) return false;
  if (negative) *out = -*out;
  return true;
}

}  // namespace citygraph::algo::internal
