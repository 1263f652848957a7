// Reading, decoding and splitting department files.
#include "citygraph/ingest/source_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "citygraph/ingest/encoding.h"
#include "citygraph/keys.h"
#include "normalize_internal.h"

namespace citygraph::ingest {
namespace {

// A record spans at most this many physical lines (quoted line breaks);
// past that the quote is taken as stray and the record ends at its first line.
constexpr int kMaxLinesPerRecord = 20;

// Maps the regular file at `path` read-only (its pages populated now, on
// the opening thread). Returns nullptr, with `*size` 0, when it cannot be
// mapped (not a regular file, empty, or mmap failed): the caller reads it.
void* MapWhole(const std::string& path, size_t* size) {
  *size = 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st;
  void* p = MAP_FAILED;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd,
               0);
  }
  ::close(fd);
  if (p == MAP_FAILED) return nullptr;
  *size = static_cast<size_t>(st.st_size);
  return p;
}

StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open data file " + path);
  std::string data;
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) return IOError("cannot read data file " + path);
  in.seekg(0);
  data.resize(static_cast<size_t>(size));
  if (size > 0 && !in.read(data.data(), size)) return IOError("cannot read data file " + path);
  return data;
}

// Finds the end of the record starting at `pos` (index of its '\n' or
// text.size()) and counts the physical lines it spans.
size_t RecordEnd(std::string_view text, size_t pos, char quote, int* lines) {
  size_t nl = text.find('\n', pos);
  if (nl == std::string_view::npos) nl = text.size();
  *lines = 1;
  if (quote == '\0' || std::memchr(text.data() + pos, quote, nl - pos) == nullptr) return nl;
  bool in_quotes = false;
  size_t i = pos;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == quote) {
      in_quotes = !in_quotes;
    } else if (c == '\n') {
      if (!in_quotes) return i;
      if (++*lines > kMaxLinesPerRecord) {
        *lines = 1;
        return nl;
      }
    }
  }
  if (in_quotes) *lines = static_cast<int>(std::count(text.begin() + pos, text.end(), '\n')) + 1;
  return text.size();
}

std::string_view StripCr(std::string_view s) {
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

}  // namespace

Status SplitFieldViews(std::string_view text, char delimiter, char quote,
                       std::vector<std::string_view>* fields, std::string* unquoted) {
  fields->clear();
  bool reserved = false;  // `*unquoted` holds room for all of `text`
  size_t i = 0;
  const size_t n = text.size();
  while (true) {
    if (quote != '\0' && i < n && text[i] == quote) {
      const size_t begin = ++i;
      bool closed = false, escaped = false;
      while (i < n) {
        if (text[i] == quote) {
          if (i + 1 < n && text[i + 1] == quote) {
            escaped = true;
            i += 2;
            continue;
          }
          closed = true;
          break;
        }
        ++i;
      }
      if (!closed) {
        return InvalidArgument("unterminated quote in field " + std::to_string(fields->size() + 1));
      }
      std::string_view inner = text.substr(begin, i - begin);
      ++i;  // the closing quote
      if (i < n && text[i] != delimiter) {
        return InvalidArgument("text after the closing quote of field " +
                               std::to_string(fields->size() + 1));
      }
      if (escaped) {
        // Unescaped text is never longer than `text`: with room for all of
        // it reserved once, appending never moves earlier fields' bytes.
        if (!reserved) {
          unquoted->clear();
          unquoted->reserve(n);
          reserved = true;
        }
        const size_t at = unquoted->size();
        for (size_t k = 0; k < inner.size(); ++k) {
          unquoted->push_back(inner[k]);
          if (inner[k] == quote) ++k;  // the second quote of a pair
        }
        fields->push_back(std::string_view(*unquoted).substr(at));
      } else {
        fields->push_back(inner);
      }
    } else {
      size_t end = text.find(delimiter, i);
      if (end == std::string_view::npos) end = n;
      fields->push_back(text.substr(i, end - i));
      i = end;
    }
    if (i >= n) break;
    ++i;  // delimiter
    if (i == n) {
      fields->push_back(text.substr(n));
      break;
    }
  }
  return Status::OK();
}

Status SplitFields(std::string_view text, char delimiter, char quote,
                   std::vector<std::string>* fields) {
  thread_local std::vector<std::string_view> views;
  thread_local std::string unquoted;
  CG_RETURN_IF_ERROR(SplitFieldViews(text, delimiter, quote, &views, &unquoted));
  // Written into the vector's existing strings, so a caller reusing the
  // vector row after row reuses their capacity.
  fields->resize(views.size());
  for (size_t i = 0; i < views.size(); ++i) (*fields)[i].assign(views[i]);
  return Status::OK();
}

namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// ExtractJsonFields for the flat records department files hold: an object
// whose values are strings without escapes, non-negative integers of at most
// 18 digits, true, false or null, and whose mapped keys occur once. Returns
// false (values unspecified) on anything else, valid or not, which the
// full parser then reads; where it returns true the values are the parser's.
bool ExtractFlatJson(std::string_view t, const Mapping& mapping, std::vector<std::string>* values) {
  const size_t n = t.size();
  size_t i = 0;
  auto skip = [&] {
    while (i < n && IsJsonSpace(t[i])) ++i;
  };
  // A string without escapes or control characters, valid UTF-8 (as the
  // parser requires); `*out` its contents. No byte of a multi-byte UTF-8
  // character is a quote, so the first quote ends the string.
  auto str = [&](std::string_view* out) {
    if (i >= n || t[i] != '"') return false;
    const size_t begin = ++i;
    while (i < n && t[i] != '"') {
      const auto c = static_cast<unsigned char>(t[i]);
      if (c < 0x20 || c == '\\') return false;
      ++i;
    }
    if (i >= n) return false;
    *out = t.substr(begin, i - begin);
    ++i;
    return IsUtf8(*out);
  };
  values->assign(mapping.columns.size(), std::string());
  uint64_t seen = 0;  // mapped columns met (the first 64; more: full parser)
  if (mapping.columns.size() > 64) return false;
  skip();
  if (i >= n || t[i] != '{') return false;
  ++i;
  skip();
  if (i < n && t[i] == '}') {
    ++i;
  } else {
    while (true) {
      std::string_view key, value;
      if (!str(&key)) return false;
      skip();
      if (i >= n || t[i] != ':') return false;
      ++i;
      skip();
      if (i >= n) return false;
      const char c = t[i];
      bool is_null = false;
      if (c == '"') {
        if (!str(&value)) return false;
      } else if (c >= '0' && c <= '9') {
        const size_t begin = i;
        while (i < n && t[i] >= '0' && t[i] <= '9') ++i;
        value = t.substr(begin, i - begin);
        if (value.size() > 18 || (value.size() > 1 && value[0] == '0')) return false;
        if (i < n && !IsJsonSpace(t[i]) && t[i] != ',' && t[i] != '}') return false;
      } else {
        for (std::string_view word : {"true", "false", "null"}) {
          if (t.substr(i, word.size()) == word) value = word;
        }
        if (value.empty()) return false;
        i += value.size();
        is_null = value == "null";
      }
      for (size_t col = 0; col < mapping.columns.size(); ++col) {
        if (mapping.columns[col].name != key) continue;
        if (seen & (uint64_t{1} << col)) return false;
        seen |= uint64_t{1} << col;
        if (!is_null) (*values)[col].assign(value);
      }
      skip();
      if (i < n && t[i] == ',') {
        ++i;
        skip();
        continue;
      }
      if (i < n && t[i] == '}') {
        ++i;
        break;
      }
      return false;
    }
  }
  skip();
  return i == n;
}

}  // namespace

Status ExtractJsonFields(std::string_view text, const Mapping& mapping,
                         std::vector<std::string>* values) {
  if (ExtractFlatJson(text, mapping, values)) return Status::OK();
  values->assign(mapping.columns.size(), std::string());
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("not valid JSON");
  if (!j.is_object()) return InvalidArgument("not a JSON object");
  for (size_t c = 0; c < mapping.columns.size(); ++c) {
    auto it = j.find(mapping.columns[c].name);
    if (it == j.end() || it->is_null()) continue;
    if (it->is_string()) {
      (*values)[c] = it->get<std::string>();
    } else {
      (*values)[c] = it->dump();
    }
  }
  return Status::OK();
}

SourceFile::~SourceFile() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
}

StatusOr<std::unique_ptr<SourceFile>> SourceFile::Open(const Mapping& m) {
  auto f = std::make_unique<SourceFile>();
  // UTF-8 files (most of them, and the largest) are used where they lie in
  // the page cache: mapped, not copied into hundreds of MB of fresh memory.
  // Files in other encodings are converted from the mapping, which is then
  // released.
  std::string_view bytes;
  f->map_ = MapWhole(m.file, &f->map_size_);
  if (f->map_ != nullptr) {
    bytes = std::string_view(static_cast<const char*>(f->map_), f->map_size_);
  } else {
    CG_ASSIGN_OR_RETURN(f->text_, ReadWhole(m.file));
    bytes = f->text_;
  }
  f->size_bytes_ = bytes.size();
  std::string converted;
  StatusOr<std::string_view> utf8 = ToUtf8View(bytes, m.encoding, &converted);
  if (!utf8.ok()) {
    return InvalidArgument("data file " + m.file + " is not valid " + m.encoding + ": " +
                           utf8.status().message());
  }
  std::string_view text = *utf8;
  if (text.data() == converted.data()) {
    f->text_ = std::move(converted);
    text = f->text_;
    if (f->map_ != nullptr) {
      ::munmap(f->map_, f->map_size_);
      f->map_ = nullptr;
      f->map_size_ = 0;
    }
  }
  char quote = m.format == FileFormat::kJsonl ? '\0' : m.quote;

  uint32_t line = 1;
  size_t pos = 0;
  bool need_header = m.header && m.format != FileFormat::kJsonl;
  std::string_view header_text;
  bool have_header = false;
  f->records_.reserve(text.size() / 64 + 1);
  while (pos < text.size()) {
    int lines = 1;
    size_t end = RecordEnd(text, pos, quote, &lines);
    std::string_view rec = StripCr(text.substr(pos, end - pos));
    if (need_header && !have_header) {
      header_text = rec;
      have_header = true;
    } else if (!internal::TrimSpaces(rec).empty()) {
      f->records_.push_back(RawRecord{line, rec});
    }
    line += static_cast<uint32_t>(lines);
    pos = end + 1;
  }

  if (m.format == FileFormat::kJsonl) {
    if (!f->records_.empty()) {
      std::vector<std::string> values;
      Status s = ExtractJsonFields(f->records_.front().text, m, &values);
      if (!s.ok()) {
        return InvalidArgument("data file " + m.file + " is not JSON Lines: line " +
                               std::to_string(f->records_.front().line) + ": " + s.message());
      }
    }
    return f;
  }
  if (m.header) {
    if (!have_header) return InvalidArgument("data file " + m.file + " is empty (no header line)");
    std::vector<std::string> names;
    Status s = SplitFields(header_text, m.delimiter, quote, &names);
    if (!s.ok()) {
      return InvalidArgument("data file " + m.file + ": header line: " + s.message());
    }
    for (auto& n : names) n = std::string(keys::TrimSpaces(n));
    f->num_fields_ = names.size();
    for (const ColumnSpec& c : m.columns) {
      auto it = std::find(names.begin(), names.end(), c.name);
      if (it == names.end()) {
        std::string have;
        for (const auto& n : names) have += (have.empty() ? "" : ", ") + n;
        return InvalidArgument("data file " + m.file + " has no column '" + c.name +
                               "' (declared in mapping " + m.path + "); its header has: " + have);
      }
      f->column_fields_.push_back(static_cast<int>(it - names.begin()));
    }
  } else {
    f->num_fields_ = m.columns.size();
    for (size_t i = 0; i < m.columns.size(); ++i) f->column_fields_.push_back(static_cast<int>(i));
  }
  return f;
}

}  // namespace citygraph::ingest
