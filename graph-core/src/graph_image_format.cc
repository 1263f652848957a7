#include "graph_image_format.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

namespace citygraph::internal::image {
namespace {

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull, kP2 = 0xC2B2AE3D27D4EB4Full,
                   kP3 = 0x165667B19E3779F9ull;

// Each step is a bijection of `w` (and of `acc`), so changing any one word
// of a block always changes its hash.
uint64_t Round(uint64_t acc, uint64_t w) { return std::rotl(acc + w * kP2, 31) * kP1; }

uint64_t Mix(uint64_t h) {
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

uint64_t Load64(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// A fast non-cryptographic hash (four independent multiply-rotate lanes).
uint64_t HashBytes(const char* p, size_t len) {
  uint64_t a = kP1, b = kP2, c = kP3, d = 0;
  size_t i = 0;
  for (; i + 32 <= len; i += 32) {
    a = Round(a, Load64(p + i));
    b = Round(b, Load64(p + i + 8));
    c = Round(c, Load64(p + i + 16));
    d = Round(d, Load64(p + i + 24));
  }
  for (; i + 8 <= len; i += 8) a = Round(a, Load64(p + i));
  uint64_t tail = 0;
  if (len > i) std::memcpy(&tail, p + i, len - i);
  b = Round(b, tail ^ (len - i));
  return Mix(std::rotl(a, 1) + std::rotl(b, 7) + std::rotl(c, 12) + std::rotl(d, 18) + len);
}

}  // namespace

uint64_t HeaderSum(const Header& h, std::string_view identity) {
  std::string bytes(reinterpret_cast<const char*>(&h), sizeof h);
  bytes.append(identity);
  return HashBytes(bytes.data(), bytes.size());
}

uint64_t BlockSum(const char* p, size_t len, size_t block) {
  return Mix(HashBytes(p, len) + (block + 1) * kP3);
}

uint64_t SectionSum(const char* p, size_t len) {
  uint64_t sum = 0;
  for (size_t b = 0; b * kBlock < len; ++b) {
    sum += BlockSum(p + b * kBlock, std::min(kBlock, len - b * kBlock), b);
  }
  return sum;
}

}  // namespace citygraph::internal::image
