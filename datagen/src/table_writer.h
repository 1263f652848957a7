// Writes one department file row by row, applying the documented noise
// (identity-number spellings, missing ids, duplicate and malformed rows) and
// recording, for every physical row, its true entity in
// truth/record_entities.csv.
#ifndef CITYGRAPH_DATAGEN_SRC_TABLE_WRITER_H_
#define CITYGRAPH_DATAGEN_SRC_TABLE_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/datagen/datagen.h"
#include "civil_date.h"
#include "output_file.h"
#include "rng.h"

namespace citygraph::datagen::internal {

enum class Format { kCsv, kTsv, kJsonl };

struct FileCounts {
  uint64_t rows = 0, malformed = 0, duplicates = 0, missing_id = 0, id15 = 0, lower_x = 0,
           fullwidth = 0, spaces = 0, credit_lower = 0;
};

struct FileInfo {
  std::string path;  // relative to the output directory
  std::string department;
  Format format;
  Encoding encoding;
  DateStyle date_style;
  FileCounts counts;
  std::string entities;  // this file's lines of truth/record_entities.csv
};

// Shared by the writers of one thread of a Generate() run.
struct WriteContext {
  std::string out_dir;
  uint64_t seed = 0;
  NoiseRates noise;
  std::vector<FileInfo> files;  // in writing order
  std::string error;
};

class TableWriter {
 public:
  // `columns` are the header (CSV/TSV) or the object keys (JSONL).
  TableWriter(WriteContext* ctx, std::string path, std::string department, Format format,
              Encoding encoding, DateStyle date_style, std::vector<std::string> columns);

  bool Open();  // false: ctx->error is set
  // No duplicate or malformed rows in this file (reference tables).
  void DisableRowNoise() { row_noise_ = false; }

  void Text(std::string_view value);
  void Date(Day day);  // empty for kNever
  // An identity-number field with id noise; `may_be_missing` allows missing_id.
  void Id(const std::string& id18, bool may_be_missing);
  // A credit-code field with cc noise.
  void Credit(const std::string& code18);
  // The entity this row is about ("person", "business", "house").
  void Entity(std::string_view kind, std::string_view key);
  // Ends the row; writes it (and any duplicate / malformed copy).
  // Returns the line number of the row itself.
  uint32_t EndRow();

  bool Close();  // false: ctx->error is set

 private:
  void AppendRow(std::string* out, const std::vector<std::string>& fields) const;
  void WriteLine(const std::string& line, std::string_view status, std::string_view detail);

  WriteContext* ctx_;
  FileInfo info_;
  std::vector<std::string> columns_;
  Rng rng_;
  OutputFile out_;
  std::vector<std::string> fields_;
  std::vector<uint8_t> is_date_;
  int id_field_ = -1;  // index of the id / credit field written with a check character
  std::string key_canonical_;
  bool key_is_credit_ = false;
  std::string noise_;
  std::string entity_kind_, entity_key_;
  bool row_noise_ = true;
  uint32_t line_ = 1;  // last line written (the header is line 1)
  std::string scratch_, entity_line_;
};

}  // namespace citygraph::datagen::internal

#endif  // CITYGRAPH_DATAGEN_SRC_TABLE_WRITER_H_
