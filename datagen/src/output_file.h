// The one seam through which datagen writes files: buffered, optionally
// re-encoded from UTF-8 to GB18030 (glibc iconv), errors as messages.
#ifndef CITYGRAPH_DATAGEN_SRC_OUTPUT_FILE_H_
#define CITYGRAPH_DATAGEN_SRC_OUTPUT_FILE_H_

#include <cstdio>
#include <string>
#include <string_view>

namespace citygraph::datagen::internal {

enum class Encoding { kUtf8, kGb18030 };

class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();

  // Creates parent directories and opens `path` for writing (truncating).
  bool Open(const std::string& path, Encoding encoding, std::string* error);
  // Appends UTF-8 text; flushes to disk in large chunks.
  bool Write(std::string_view utf8, std::string* error);
  // Flushes and closes; false with *error when any write failed.
  bool Close(std::string* error);

 private:
  bool Flush(std::string* error);

  std::FILE* file_ = nullptr;
  std::string path_;
  Encoding encoding_ = Encoding::kUtf8;
  std::string buffer_;
  std::string converted_;
  void* iconv_ = nullptr;  // iconv_t
};

}  // namespace citygraph::datagen::internal

#endif  // CITYGRAPH_DATAGEN_SRC_OUTPUT_FILE_H_
