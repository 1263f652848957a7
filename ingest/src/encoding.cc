#include "citygraph/ingest/encoding.h"

#include <iconv.h>

#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace citygraph::ingest {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Maps a user-written encoding name to its canonical name, "" if unsupported.
std::string_view CanonicalEncoding(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (c == '-' || c == '_' || c == ' ') continue;
    key.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
  }
  if (key == "UTF8") return "UTF-8";
  if (key == "GB18030") return "GB18030";
  if (key == "GBK" || key == "CP936") return "GBK";
  if (key == "GB2312" || key == "EUCCN") return "GB2312";
  return "";
}

Status Unsupported(std::string_view name) {
  return InvalidArgument("unsupported encoding '" + std::string(name) +
                         "' (supported: UTF-8, GB18030, GBK, GB2312)");
}

Status InvalidAt(std::string_view encoding, uint64_t offset) {
  return InvalidArgument("invalid " + std::string(encoding) + " byte sequence at byte offset " +
                         std::to_string(offset));
}

Status TruncatedAt(std::string_view encoding, uint64_t offset) {
  return InvalidArgument("truncated " + std::string(encoding) + " byte sequence at byte offset " +
                         std::to_string(offset) + " (end of input)");
}

// Classifies the UTF-8 sequence starting at s[i]: returns its length when
// complete and valid, 0 when invalid, and -1 when it is a valid prefix cut off
// by the end of `s`.
int Utf8SequenceAt(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  int len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // <= U+10FFFF
  } else {
    return 0;
  }
  for (int k = 1; k < len; ++k) {
    if (i + k >= s.size()) return -1;
    const auto b = static_cast<unsigned char>(s[i + k]);
    const unsigned char l = k == 1 ? lo : 0x80;
    const unsigned char h = k == 1 ? hi : 0xBF;
    if (b < l || b > h) return 0;
  }
  return len;
}

// The length of the longest prefix of `s` made of whole, valid UTF-8
// sequences. `*stop` tells what follows it: 1 nothing (all of `s` is
// valid), 0 an invalid sequence, -1 a valid sequence cut off by the end.
size_t ValidUtf8Prefix(std::string_view s, int* stop) {
  size_t i = 0;
  const size_t n = s.size();
  const char* const p = s.data();
  while (i < n) {
    // Fast paths, each taking only what Utf8SequenceAt accepts: eight ASCII
    // bytes at once, and the three-byte sequences of Chinese text whose lead
    // (0xE1..0xEC, 0xEE, 0xEF) allows any continuation bytes 0x80..0xBF.
    if (n - i >= 8) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const auto b0 = static_cast<unsigned char>(p[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    if (b0 >= 0xE1 && b0 != 0xED && b0 <= 0xEF && n - i >= 3 &&
        (static_cast<unsigned char>(p[i + 1]) & 0xC0) == 0x80 &&
        (static_cast<unsigned char>(p[i + 2]) & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    const int len = Utf8SequenceAt(s, i);
    if (len <= 0) {
      *stop = len;
      return i;
    }
    i += static_cast<size_t>(len);
  }
  *stop = 1;
  return i;
}

// Shared state: error latch, stream offset, bytes carried between chunks and
// removal of a byte-order mark at the start of the output.
class ConverterBase : public Utf8Converter {
 public:
  explicit ConverterBase(std::string_view encoding) : encoding_(encoding) {}

  Status Convert(std::string_view chunk, std::string* out) final {
    if (!error_.ok()) return error_;
    bytes_in_ += chunk.size();
    std::string joined;
    std::string_view input = chunk;
    if (!carry_.empty()) {
      joined = std::move(carry_);
      joined.append(chunk);
      input = joined;
      carry_.clear();
    }
    const size_t out_start = out->size();
    size_t consumed = 0;
    error_ = ConvertSome(input, out, &consumed);
    if (!error_.ok()) return error_;
    carry_.assign(input.substr(consumed));
    offset_ += consumed;
    if (!bom_checked_ && out->size() > out_start) {
      bom_checked_ = true;
      if (std::string_view(*out).substr(out_start).starts_with(kBom)) {
        out->erase(out_start, kBom.size());
      }
    }
    return Status::OK();
  }

  Status Finish() final {
    if (!error_.ok()) return error_;
    if (!carry_.empty()) error_ = TruncatedAt(encoding_, offset_);
    return error_;
  }

  uint64_t bytes_in() const final { return bytes_in_; }
  std::string_view encoding() const final { return encoding_; }

 protected:
  // Converts a prefix of `input`, appending to `*out`; sets `*consumed` to the
  // bytes used. Bytes left over must be an incomplete final character.
  // Errors carry offsets relative to `offset()`.
  virtual Status ConvertSome(std::string_view input, std::string* out, size_t* consumed) = 0;

  uint64_t offset() const { return offset_; }

 private:
  std::string_view encoding_;
  Status error_;
  std::string carry_;
  uint64_t offset_ = 0;  // stream offset of the first byte not yet converted
  uint64_t bytes_in_ = 0;
  bool bom_checked_ = false;
};

class Utf8Validator final : public ConverterBase {
 public:
  Utf8Validator() : ConverterBase("UTF-8") {}

 protected:
  Status ConvertSome(std::string_view input, std::string* out, size_t* consumed) override {
    int stop = 1;
    const size_t i = ValidUtf8Prefix(input, &stop);
    if (stop == 0) return InvalidAt("UTF-8", offset() + i);
    out->append(input.substr(0, i));
    *consumed = i;
    return Status::OK();
  }
};

class IconvConverter final : public ConverterBase {
 public:
  IconvConverter(std::string_view encoding, iconv_t cd) : ConverterBase(encoding), cd_(cd) {}
  ~IconvConverter() override { iconv_close(cd_); }
  IconvConverter(const IconvConverter&) = delete;
  IconvConverter& operator=(const IconvConverter&) = delete;

 protected:
  Status ConvertSome(std::string_view input, std::string* out, size_t* consumed) override {
    // iconv's API takes char** for input though it never writes through it.
    char* in = const_cast<char*>(input.data());
    size_t in_left = input.size();
    size_t used = out->size();
    while (in_left > 0) {
      // Chinese text grows by at most 3/2 in UTF-8 (2-byte GBK -> 3 bytes).
      out->resize(used + in_left * 2 + 16);
      char* dst = out->data() + used;
      size_t dst_left = out->size() - used;
      const size_t r = iconv(cd_, &in, &in_left, &dst, &dst_left);
      used = static_cast<size_t>(dst - out->data());
      if (r != static_cast<size_t>(-1)) continue;
      const uint64_t at = offset() + static_cast<uint64_t>(in - input.data());
      if (errno == E2BIG) continue;
      if (errno == EINVAL) break;  // incomplete character at the end: carried over
      out->resize(used);
      return InvalidAt(encoding(), at);
    }
    out->resize(used);
    *consumed = input.size() - in_left;
    return Status::OK();
  }

 private:
  iconv_t cd_;
};

// GB18030's two-byte codes (lead 0x81..0xFE, trail 0x40..0xFE but 0x7F) as
// glibc iconv converts each of them: the UTF-8 bytes in the low 24 bits and
// their count (2 or 3) in the high 8, or 0 where iconv refuses the code or
// gives anything else. Built once, by iconv itself, so a lookup gives
// exactly iconv's output.
class Gb18030Pairs {
 public:
  static const Gb18030Pairs& Get() {
    static const Gb18030Pairs table;
    return table;
  }
  uint32_t Find(unsigned char lead, unsigned char trail) const {
    if (lead < 0x81 || lead > 0xFE || trail < 0x40 || trail > 0xFE) return 0;
    return utf8_[(lead - 0x81) * kTrails + (trail - 0x40)];
  }

 private:
  static constexpr int kTrails = 0xFE - 0x40 + 1;
  Gb18030Pairs() : utf8_(126 * kTrails, 0) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) return;  // every lookup fails
    for (int lead = 0x81; lead <= 0xFE; ++lead) {
      for (int trail = 0x40; trail <= 0xFE; ++trail) {
        if (trail == 0x7F) continue;
        char in[2] = {static_cast<char>(lead), static_cast<char>(trail)};
        char out[8];
        char* src = in;
        char* dst = out;
        size_t in_left = 2, out_left = sizeof(out);
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
        if (iconv(cd, &src, &in_left, &dst, &out_left) == static_cast<size_t>(-1)) continue;
        const size_t n = sizeof(out) - out_left;
        if (in_left != 0 || n < 2 || n > 3) continue;
        uint32_t e = static_cast<uint32_t>(n) << 24;
        for (size_t k = 0; k < n; ++k)
          e |= static_cast<uint32_t>(static_cast<unsigned char>(out[k])) << (8 * k);
        utf8_[(lead - 0x81) * kTrails + (trail - 0x40)] = e;
      }
    }
    iconv_close(cd);
  }
  std::vector<uint32_t> utf8_;
};

// GB18030 text made only of ASCII and two-byte codes, converted by table
// (iconv's output, without calling iconv per character). Returns false,
// `*out` unspecified, on anything else (four-byte codes, invalid bytes):
// the caller then converts with iconv, which also reports errors.
bool Gb18030PairsToUtf8(std::string_view in, std::string* out) {
  const Gb18030Pairs& pairs = Gb18030Pairs::Get();
  out->resize(in.size() + in.size() / 2 + 8);  // two bytes give at most three
  char* o = out->data();
  const char* p = in.data();
  const char* const end = p + in.size();
  while (p < end) {
    if (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        std::memcpy(o, p, 8);
        o += 8;
        p += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x80) {
      *o++ = static_cast<char>(c);
      ++p;
      continue;
    }
    if (end - p < 2) return false;
    const uint32_t e = pairs.Find(c, static_cast<unsigned char>(p[1]));
    if (e == 0) return false;
    const uint32_t n = e >> 24;
    if constexpr (std::endian::native == std::endian::little) {
      // All four bytes at once: the fourth (the count) is overwritten by
      // the next character or cut by the final resize; the room reserved
      // above (half the input plus 8) always holds it.
      std::memcpy(o, &e, 4);
    } else {
      for (uint32_t k = 0; k < n; ++k) o[k] = static_cast<char>(e >> (8 * k));
    }
    o += n;
    p += 2;
  }
  out->resize(static_cast<size_t>(o - out->data()));
  if (std::string_view(*out).starts_with(kBom)) out->erase(0, kBom.size());
  return true;
}

}  // namespace

StatusOr<std::unique_ptr<Utf8Converter>> Utf8Converter::Create(std::string_view encoding) {
  const std::string_view canonical = CanonicalEncoding(encoding);
  if (canonical.empty()) return Unsupported(encoding);
  if (canonical == "UTF-8") return std::unique_ptr<Utf8Converter>(new Utf8Validator());
  const std::string from(canonical);
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return InvalidArgument("encoding '" + std::string(encoding) +
                           "' is not available from iconv on this system");
  }
  return std::unique_ptr<Utf8Converter>(new IconvConverter(canonical, cd));
}

bool IsUtf8(std::string_view s) {
  int stop = 1;
  return ValidUtf8Prefix(s, &stop) == s.size() && stop == 1;
}

StatusOr<std::string_view> ToUtf8View(std::string_view bytes, std::string_view encoding,
                                      std::string* converted) {
  if (CanonicalEncoding(encoding) != "UTF-8") {
    CG_ASSIGN_OR_RETURN(*converted, ToUtf8(bytes, encoding));
    return std::string_view(*converted);
  }
  int stop = 1;
  const size_t valid = ValidUtf8Prefix(bytes, &stop);
  if (stop == 0) return InvalidAt("UTF-8", valid);
  if (stop < 0) return TruncatedAt("UTF-8", valid);
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
  return bytes;
}

StatusOr<std::string> ToUtf8(std::string_view bytes, std::string_view encoding) {
  std::string out;
  if (CanonicalEncoding(encoding) == "GB18030" && Gb18030PairsToUtf8(bytes, &out)) return out;
  CG_ASSIGN_OR_RETURN(std::unique_ptr<Utf8Converter> conv, Utf8Converter::Create(encoding));
  out.clear();
  out.reserve(bytes.size() + bytes.size() / 2);
  CG_RETURN_IF_ERROR(conv->Convert(bytes, &out));
  CG_RETURN_IF_ERROR(conv->Finish());
  return out;
}

}  // namespace citygraph::ingest
