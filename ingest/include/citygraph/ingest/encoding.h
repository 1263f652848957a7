// Conversion of department files from their declared character encoding to
// UTF-8, whole or chunk by chunk, through glibc iconv.
//
// Supported encodings (names case-insensitive, '-' and '_' optional):
// "UTF-8" (validated; a leading byte-order mark is removed), "GB18030",
// "GBK" (also accepted: "CP936"), "GB2312". A byte-order mark at the start of
// a GB18030 file (U+FEFF) is removed as well.
//
// Thread-safety: ToUtf8 is thread-safe. A Utf8Converter holds conversion state
// and must be used by one thread at a time; use one converter per file.
#ifndef CITYGRAPH_INGEST_ENCODING_H_
#define CITYGRAPH_INGEST_ENCODING_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "citygraph/status.h"

namespace citygraph::ingest {

// Converts `bytes` in `encoding` to UTF-8. Returns InvalidArgument for an
// unsupported encoding name, or for the first invalid or truncated byte
// sequence, naming the encoding and its byte offset in `bytes`
// ("invalid GB18030 byte sequence at byte offset 17").
StatusOr<std::string> ToUtf8(std::string_view bytes, std::string_view encoding);

// ToUtf8 without a copy where none is needed: UTF-8 `bytes` are validated
// and the result is `bytes` without its byte-order mark (a view into
// `bytes`); other encodings are converted into `*converted` (replacing its
// contents) and the result views it. The same errors as ToUtf8.
StatusOr<std::string_view> ToUtf8View(std::string_view bytes, std::string_view encoding,
                                      std::string* converted);

// Whether all of `s` is valid UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF) — the check ToUtf8 makes of UTF-8 input.
bool IsUtf8(std::string_view s);

// Converts a stream chunk by chunk. Chunks may split a multi-byte character
// anywhere; incomplete trailing bytes are carried over to the next Convert.
// Byte offsets in errors count from the start of the stream.
//
//   CG_ASSIGN_OR_RETURN(auto conv, Utf8Converter::Create("GB18030"));
//   while (read chunk) CG_RETURN_IF_ERROR(conv->Convert(chunk, &out));
//   CG_RETURN_IF_ERROR(conv->Finish());
class Utf8Converter {
 public:
  // InvalidArgument for an unsupported encoding name.
  static StatusOr<std::unique_ptr<Utf8Converter>> Create(std::string_view encoding);

  virtual ~Utf8Converter() = default;

  // Appends the UTF-8 conversion of `chunk` (plus any bytes carried over) to
  // `*out`. On an invalid sequence returns InvalidArgument; the converter is
  // then unusable (every later call returns the same error).
  virtual Status Convert(std::string_view chunk, std::string* out) = 0;

  // Ends the stream: InvalidArgument if bytes of an incomplete character
  // remain ("truncated GBK byte sequence at byte offset N").
  virtual Status Finish() = 0;

  // Total bytes passed to Convert so far.
  virtual uint64_t bytes_in() const = 0;

  // Canonical encoding name: "UTF-8", "GB18030", "GBK" or "GB2312".
  virtual std::string_view encoding() const = 0;
};

}  // namespace citygraph::ingest

#endif  // CITYGRAPH_INGEST_ENCODING_H_
