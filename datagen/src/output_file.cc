#include "output_file.h"

#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace citygraph::datagen::internal {
namespace {
constexpr size_t kFlushAt = 1 << 20;
}

OutputFile::~OutputFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (iconv_ != nullptr) iconv_close(static_cast<iconv_t>(iconv_));
}

bool OutputFile::Open(const std::string& path, Encoding encoding, std::string* error) {
  path_ = path;
  encoding_ = encoding;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) {
    *error = "cannot create directory for " + path + ": " + ec.message();
    return false;
  }
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) {
    *error = "cannot open " + path + " for writing: " + std::strerror(errno);
    return false;
  }
  if (encoding == Encoding::kGb18030) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
      *error = "iconv cannot convert UTF-8 to GB18030: " + std::string(std::strerror(errno));
      return false;
    }
    iconv_ = cd;
  }
  buffer_.reserve(kFlushAt + 4096);
  return true;
}

bool OutputFile::Write(std::string_view utf8, std::string* error) {
  if (utf8.size() >= kFlushAt && encoding_ == Encoding::kUtf8) {  // large: skip the copy
    if (!Flush(error)) return false;
    if (std::fwrite(utf8.data(), 1, utf8.size(), file_) != utf8.size()) {
      *error = "write to " + path_ + " failed: " + std::strerror(errno);
      return false;
    }
    return true;
  }
  buffer_.append(utf8);
  if (buffer_.size() >= kFlushAt) return Flush(error);
  return true;
}

bool OutputFile::Flush(std::string* error) {
  if (buffer_.empty()) return true;
  std::string_view out = buffer_;
  if (encoding_ == Encoding::kGb18030) {
    converted_.resize(buffer_.size() * 2 + 16);
    char* in = buffer_.data();
    size_t in_left = buffer_.size();
    char* dst = converted_.data();
    size_t out_left = converted_.size();
    if (iconv(static_cast<iconv_t>(iconv_), &in, &in_left, &dst, &out_left) ==
        static_cast<size_t>(-1)) {
      *error = path_ + ": GB18030 conversion failed: " + std::strerror(errno);
      return false;
    }
    out = std::string_view(converted_.data(), converted_.size() - out_left);
  }
  if (std::fwrite(out.data(), 1, out.size(), file_) != out.size()) {
    *error = "write to " + path_ + " failed: " + std::strerror(errno);
    return false;
  }
  buffer_.clear();
  return true;
}

bool OutputFile::Close(std::string* error) {
  if (file_ == nullptr) return true;
  bool ok = Flush(error);
  if (std::fclose(file_) != 0 && ok) {
    *error = "closing " + path_ + " failed: " + std::strerror(errno);
    ok = false;
  }
  file_ = nullptr;
  return ok;
}

}  // namespace citygraph::datagen::internal
