// Compiled normaliser chains: fast paths that give ApplyChain's results.
#include "chain.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <charconv>
#include <cstdint>
#include <system_error>

#include "citygraph/keys.h"
#include "normalize_internal.h"

namespace citygraph::ingest::internal {
namespace {

// CollapseSpaces(s) == s: trimmed, and every white-space run is one ASCII
// space (no other white space, no two spaces in a row).
bool IsCollapsed(std::string_view s) {
  if (s != TrimSpaces(s)) return false;
  bool prev_space = false;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= '\t' && b <= '\r') || b == 0xC2 || b == 0xE3) return false;
    const bool space = b == ' ';
    if (space && prev_space) return false;
    prev_space = space;
  }
  return true;
}

// The bytes the fast paths look for, by class: white space (as
// IsPlainText defines it: 0x09..0x0D, 0x20), 0xC2, 0xE2, and the two that
// start full-width forms (0xE3, 0xEF; HasWideBytes).
constexpr uint8_t kSpaceByte = 1, kC2Byte = 2, kE2Byte = 4, kWideByte = 8;
constexpr std::array<uint8_t, 256> kByteClass = [] {
  std::array<uint8_t, 256> t{};
  for (int b = '\t'; b <= '\r'; ++b) t[b] = kSpaceByte;
  t[' '] = kSpaceByte;
  t[0xC2] = kC2Byte;
  t[0xE2] = kE2Byte;
  t[0xE3] = t[0xEF] = kWideByte;
  return t;
}();

// The union of the classes of the bytes of `s`: one branch-free pass
// instead of a scan per step. Text of 8 bytes or more is read 16 bytes at
// a time (blocks may overlap: a byte counted twice changes no union).
uint8_t ByteClasses(std::string_view s) {
  uint8_t c = 0;
  const size_t n = s.size();
#if defined(__SSE2__)
  if (n >= 8) {
    const char* p = s.data();
    const __m128i nine = _mm_set1_epi8(9), four = _mm_set1_epi8(4);
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i c2 = _mm_set1_epi8(static_cast<char>(0xC2));
    const __m128i e2 = _mm_set1_epi8(static_cast<char>(0xE2));
    const __m128i e3 = _mm_set1_epi8(static_cast<char>(0xE3));
    const __m128i ef = _mm_set1_epi8(static_cast<char>(0xEF));
    __m128i any_space = _mm_setzero_si128(), any_c2 = any_space, any_e2 = any_space;
    __m128i any_wide = any_space;
    auto add = [&](__m128i v) {
      // 0x09..0x0D: v - 9 is, unsigned, at most 4.
      const __m128i t = _mm_sub_epi8(v, nine);
      const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(t, four), t);
      any_space = _mm_or_si128(any_space, _mm_or_si128(control, _mm_cmpeq_epi8(v, space)));
      any_c2 = _mm_or_si128(any_c2, _mm_cmpeq_epi8(v, c2));
      any_e2 = _mm_or_si128(any_e2, _mm_cmpeq_epi8(v, e2));
      any_wide = _mm_or_si128(any_wide, _mm_or_si128(_mm_cmpeq_epi8(v, e3), _mm_cmpeq_epi8(v, ef)));
    };
    if (n < 16) {  // the first and the last 8 bytes
      add(_mm_unpacklo_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)),
                             _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + n - 8))));
    } else {
      for (size_t i = 0;; i += 16) {
        if (i + 16 > n) i = n - 16;
        add(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
        if (i + 16 == n) break;
      }
    }
    if (_mm_movemask_epi8(any_space) != 0) c |= kSpaceByte;
    if (_mm_movemask_epi8(any_c2) != 0) c |= kC2Byte;
    if (_mm_movemask_epi8(any_e2) != 0) c |= kE2Byte;
    if (_mm_movemask_epi8(any_wide) != 0) c |= kWideByte;
    return c;
  }
#endif
  for (size_t i = 0; i < n; ++i) c |= kByteClass[static_cast<unsigned char>(s[i])];
  return c;
}

// NormalizeIdNumber(s) == s: `s` is a canonical identity number, 17 ASCII
// digits and a digit or 'X' (NormalizeIdNumber returns such text as it is
// when its region, date and check character are valid), and it passes
// IdNumberBirthDate, whose check is NormalizeIdNumber's (keys.h) and which
// allocates nothing on success.
bool IsCanonicalIdNumber(std::string_view s) {
  if (s.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  if ((s[17] < '0' || s[17] > '9') && s[17] != 'X') return false;
  return keys::IdNumberBirthDate(s).ok();
}

// Without these bytes `s` is plain text (IsPlainText): collapse and
// fullwidth leave it as it is, and so does name when it is not empty.
constexpr uint8_t kNotPlain = kSpaceByte | kC2Byte | kWideByte;

}  // namespace

CompiledChain::CompiledChain(const std::vector<std::string>& names,
                             const std::vector<Normalizer>& chain) {
  const bool named = names.size() == chain.size();
  for (size_t i = 0; i < chain.size(); ++i) {
    Step step;
    step.fn = chain[i];
    if (named) {
      static constexpr std::array<std::pair<std::string_view, Kind>, 9> kKinds = {{
          {"trim", Kind::kTrim},
          {"collapse", Kind::kCollapse},
          {"fullwidth", Kind::kFullwidth},
          {"upper", Kind::kUpper},
          {"lower", Kind::kLower},
          {"name", Kind::kName},
          {"date", Kind::kDate},
          {"amount", Kind::kAmount},
          {"id_number", Kind::kIdNumber},
      }};
      for (const auto& [name, kind] : kKinds) {
        if (names[i] == name) step.kind = kind;
      }
    }
    steps_.push_back(std::move(step));
  }
}

Status CompiledChain::Apply(std::string_view raw, std::string* out,
                            std::optional<Date>* date) const {
  std::string_view view;
  CG_RETURN_IF_ERROR(ApplyView(raw, out, &view, date));
  // Unless the last step wrote all of `*out`, the value is elsewhere.
  if (view.data() != out->data() || view.size() != out->size()) out->assign(view);
  return Status::OK();
}

Status CompiledChain::ApplyView(std::string_view raw, std::string* buf, std::string_view* view,
                                std::optional<Date>* date) const {
  // The current value is a view of `raw`, of one of two scratch buffers or
  // (written by the last step) of `*buf`; a step that writes uses a buffer
  // `cur` is not in.
  thread_local std::string scratch[2];
  int next = 0;
  bool last = false, in_scratch = false;
  auto fresh = [&]() -> std::string& {
    if (last) {
      buf->clear();
      return *buf;
    }
    std::string& b = scratch[next];
    next ^= 1;
    b.clear();
    return b;
  };
  std::string_view cur = raw;
  // Sets `cur` to a buffer `fresh` gave.
  auto set = [&](std::string& b) {
    cur = b;
    in_scratch = !last;
  };
  // A normaliser's own result, moved (not copied) into its buffer.
  auto call = [&](const Normalizer& fn) -> Status {
    StatusOr<std::string> r = fn(cur);
    if (!r.ok()) return r.status();
    std::string& b = fresh();
    b = std::move(r).value();
    set(b);
    return Status::OK();
  };
  // ByteClasses(cur), computed when a step first needs it after `cur`
  // changed (-1: not yet).
  int classes = -1;
  auto classes_of_cur = [&]() -> uint8_t {
    if (classes < 0) classes = ByteClasses(cur);
    return static_cast<uint8_t>(classes);
  };
  for (size_t i = 0; i < steps_.size(); ++i) {
    const Step& step = steps_[i];
    last = i + 1 == steps_.size();
    const std::string_view before = cur;
    switch (step.kind) {
      case Kind::kTrim:
        cur = TrimSpaces(cur);
        break;
      case Kind::kCollapse:
        if ((classes_of_cur() & kNotPlain) == 0 || IsCollapsed(cur)) break;
        CG_RETURN_IF_ERROR(call(step.fn));
        break;
      case Kind::kFullwidth:
        if ((classes_of_cur() & kWideByte) == 0) break;  // !HasWideBytes(cur)
        CG_RETURN_IF_ERROR(call(step.fn));
        break;
      case Kind::kUpper:
      case Kind::kLower: {
        std::string& b = fresh();
        b.assign(cur);
        for (char& c : b) {
          if (step.kind == Kind::kUpper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
          if (step.kind == Kind::kLower && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        }
        set(b);
        break;
      }
      case Kind::kName:
        // NormalizeName(s) == s for non-empty plain text without middle-dot
        // variants (all of which start with byte 0xE2, 0xE3 or 0xEF).
        if (!cur.empty() && (classes_of_cur() & (kNotPlain | kE2Byte)) == 0) break;
        CG_RETURN_IF_ERROR(call(step.fn));
        break;
      case Kind::kDate: {
        CG_ASSIGN_OR_RETURN(Ymd ymd, ParseYmd(cur));
        std::string& b = fresh();
        AppendIsoDate(ymd, &b);
        set(b);
        // ParseYmd checked the date; its ISO text parses back to it.
        if (last && date != nullptr) *date = Date::FromYmd(ymd.year, ymd.month, ymd.day).value();
        break;
      }
      case Kind::kAmount: {
        CG_ASSIGN_OR_RETURN(double v, ParseAmount(cur));
        std::array<char, 64> digits;
        const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), v);
        if (ec != std::errc()) {
          CG_RETURN_IF_ERROR(call(step.fn));
          break;
        }
        std::string& b = fresh();
        b.assign(digits.data(), end);
        set(b);
        break;
      }
      case Kind::kIdNumber:
        if (IsCanonicalIdNumber(cur)) break;  // no 18-byte string to allocate
        CG_RETURN_IF_ERROR(call(step.fn));
        break;
      case Kind::kCall:
        CG_RETURN_IF_ERROR(call(step.fn));
        break;
    }
    if (cur.data() != before.data() || cur.size() != before.size()) classes = -1;
  }
  // The scratch buffers are the next call's: the value moves to `*buf`.
  if (in_scratch) {
    buf->assign(cur);
    cur = *buf;
  }
  *view = cur;
  return Status::OK();
}

}  // namespace citygraph::ingest::internal
