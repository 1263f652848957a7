// A department file read whole, converted to UTF-8 and split into records,
// with its header checked against the mapping. Opening a file either fully
// succeeds or fails with an error naming the file, so a file that cannot be
// read (missing, wrong encoding, not the declared format, a declared column
// absent from its header) contributes nothing to the database.
//
// Thread-safety: immutable once opened; SplitFields and ExtractFields are
// pure and may run on many threads at once.
#ifndef CITYGRAPH_INGEST_SOURCE_FILE_H_
#define CITYGRAPH_INGEST_SOURCE_FILE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/ingest/mapping.h"
#include "citygraph/status.h"

namespace citygraph::ingest {

// One record: the 1-based line on which it starts (the header is line 1) and
// its text (without the line end). A quoted CSV field may span lines.
struct RawRecord {
  uint32_t line = 0;
  std::string_view text;
};

class SourceFile {
 public:
  // Reads `mapping.file`, converts it from the declared encoding and splits
  // it into records. Errors (all naming the file): NotFound / IOError when it
  // cannot be read; InvalidArgument for an invalid byte sequence in the
  // declared encoding, a header lacking a declared column, or a JSON Lines
  // file whose first record is not a JSON object.
  // A UTF-8 regular file is mapped into memory, not copied (records view the
  // page cache's own pages): it must not be truncated or rewritten while the
  // SourceFile exists.
  static StatusOr<std::unique_ptr<SourceFile>> Open(const Mapping& mapping);

  SourceFile() = default;
  ~SourceFile();
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;

  const std::vector<RawRecord>& records() const { return records_; }
  // For each of the mapping's columns, its field index in a CSV/TSV row
  // (JSON Lines: unused, fields are looked up by name).
  const std::vector<int>& column_fields() const { return column_fields_; }
  // Number of fields a well-formed CSV/TSV row has.
  size_t num_fields() const { return num_fields_; }
  uint64_t size_bytes() const { return size_bytes_; }

 private:
  std::string text_;     // the file read or converted, unless mapped
  void* map_ = nullptr;  // the file mapped (munmap on destruction)
  size_t map_size_ = 0;
  std::vector<RawRecord> records_;
  std::vector<int> column_fields_;
  size_t num_fields_ = 0;
  uint64_t size_bytes_ = 0;
};

// Splits a CSV/TSV record into fields. `quote` '\0' disables quoting.
// InvalidArgument describing the quoting problem (unterminated quote, text
// after a closing quote).
Status SplitFields(std::string_view text, char delimiter, char quote,
                   std::vector<std::string>* fields);

// SplitFields without copies: the same fields (and errors) as views into
// `text`, except that a quoted field holding a doubled quote is unescaped
// into `*unquoted`, which the views then point into. The views are valid
// while `text` and `*unquoted` are neither changed nor destroyed.
Status SplitFieldViews(std::string_view text, char delimiter, char quote,
                       std::vector<std::string_view>* fields, std::string* unquoted);

// Reads the mapping's columns out of one JSON Lines record: (*values)[i] is
// column i's value as text (strings as is, numbers and booleans printed,
// null or absent as ""). InvalidArgument if the line is not a JSON object.
Status ExtractJsonFields(std::string_view text, const Mapping& mapping,
                         std::vector<std::string>* values);

}  // namespace citygraph::ingest

#endif  // CITYGRAPH_INGEST_SOURCE_FILE_H_
