// glibc iconv as the ingest tests' own, independent encoder and decoder.
#ifndef CITYGRAPH_TESTS_INGEST_ICONV_UTIL_H_
#define CITYGRAPH_TESTS_INGEST_ICONV_UTIL_H_

#include <gtest/gtest.h>
#include <iconv.h>

#include <optional>
#include <string>

namespace citygraph::ingest::testing {

// `bytes` converted from encoding `from` to `to` by iconv, or nullopt where
// iconv refuses them (an invalid, unencodable or truncated sequence).
inline std::optional<std::string> Iconv(const std::string& bytes, const char* from,
                                        const char* to) {
  iconv_t cd = iconv_open(to, from);
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << from << " -> " << to;
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string in = bytes, out(bytes.size() * 4 + 16, '\0');
  char* src = in.data();
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  const size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
  iconv_close(cd);
  if (r == static_cast<size_t>(-1) || src_left != 0) return std::nullopt;
  out.resize(out.size() - dst_left);
  return out;
}

}  // namespace citygraph::ingest::testing

#endif  // CITYGRAPH_TESTS_INGEST_ICONV_UTIL_H_
