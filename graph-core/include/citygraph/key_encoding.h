// Order-preserving key encoding for RocksDB keys.
//
// Unsigned integers are written big-endian, so bytewise order equals numeric
// order. Signed integers (int32 days of a Date, int64) have their sign bit
// flipped first, so negative numbers sort before positive ones. Strings are
// appended raw (callers put them last in a key, or length-prefix them).
//
// Thread-safety: pure functions.
#ifndef CITYGRAPH_KEY_ENCODING_H_
#define CITYGRAPH_KEY_ENCODING_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "citygraph/types.h"

namespace citygraph::keyenc {

// Writes `v` big-endian at `p` (which has room for 4 bytes); returns p + 4.
// For keys built in a fixed buffer on hot paths.
inline char* StoreU32(char* p, uint32_t v) {
  p[0] = static_cast<char>(v >> 24);
  p[1] = static_cast<char>(v >> 16);
  p[2] = static_cast<char>(v >> 8);
  p[3] = static_cast<char>(v);
  return p + 4;
}

// Appenders: each builds its bytes on the stack and appends them at once.
inline void PutU16(std::string* out, uint16_t v) {
  const char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  out->append(b, 2);
}
inline void PutU32(std::string* out, uint32_t v) {
  char b[4];
  StoreU32(b, v);
  out->append(b, 4);
}
inline void PutU64(std::string* out, uint64_t v) {
  char b[8];
  StoreU32(StoreU32(b, static_cast<uint32_t>(v >> 32)), static_cast<uint32_t>(v));
  out->append(b, 8);
}
inline void PutI32(std::string* out, int32_t v) {
  PutU32(out, static_cast<uint32_t>(v) ^ 0x80000000u);
}
inline void PutI64(std::string* out, int64_t v) {
  PutU64(out, static_cast<uint64_t>(v) ^ 0x8000000000000000ull);
}
inline void PutDate(std::string* out, Date d) { PutI32(out, d.days); }

// Readers. Precondition: `p` points at enough bytes (callers check sizes).
inline uint16_t GetU16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>((u[0] << 8) | u[1]);
}
inline uint32_t GetU32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}
inline uint64_t GetU64(const char* p) { return (uint64_t{GetU32(p)} << 32) | GetU32(p + 4); }
inline int32_t GetI32(const char* p) { return static_cast<int32_t>(GetU32(p) ^ 0x80000000u); }
inline int64_t GetI64(const char* p) {
  return static_cast<int64_t>(GetU64(p) ^ 0x8000000000000000ull);
}
inline Date GetDate(const char* p) { return Date{GetI32(p)}; }

}  // namespace citygraph::keyenc

#endif  // CITYGRAPH_KEY_ENCODING_H_
