// Source mappings: how one department file becomes vertices, keys,
// properties and edges. A mapping is a YAML file (format documented with a
// worked example in ingest/README.md); LoadMapping parses it and checks it
// against the schema, so a mapping that names an unknown label, edge type,
// property, key kind, normaliser or an undeclared column is refused before
// anything is read or loaded.
//
// Thread-safety: a Mapping is an immutable value once loaded; share freely.
#ifndef CITYGRAPH_INGEST_MAPPING_H_
#define CITYGRAPH_INGEST_MAPPING_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/ingest/normalize.h"
#include "citygraph/schema.h"
#include "citygraph/status.h"
#include "citygraph/types.h"

namespace citygraph::ingest {

enum class FileFormat { kCsv, kTsv, kJsonl };

// One declared input column (a CSV/TSV header name or a JSON Lines field).
struct ColumnSpec {
  std::string name;
  std::vector<std::string> normalizer_names;
  std::vector<Normalizer> chain;  // applied left to right to a non-empty raw value
  bool required = false;          // an empty value rejects the row
};

// Where a value comes from: a column (index into Mapping::columns) or a
// constant written in the mapping.
struct ValueSource {
  int column = -1;       // -1: constant
  std::string constant;  // used when column < 0
  bool present() const { return column >= 0 || !constant.empty(); }
};

// What to do with a row whose key value is empty or fails its normaliser.
enum class KeyPolicy {
  kReject,   // reject the row
  kSkip,     // drop this vertex (and the edges that use it), keep the row
  kResolve,  // Person only: resolve probabilistically (entity resolution)
};

// A condition on a normalised column value; a vertex or edge with
// conditions is only taken from rows where all of them hold.
struct Condition {
  enum class Kind { kEquals, kNotEquals, kPrefix, kNotPrefix, kEmpty, kNotEmpty };
  Kind kind = Kind::kEquals;
  int column = -1;
  std::vector<std::string> values;
};

struct PropertyMapping {
  std::string name;
  PropId prop = 0;
  PropType type = PropType::kString;
  ValueSource value;
};

// Columns that feed probabilistic entity resolution for a Person vertex.
struct MatchColumns {
  int name = -1, birth_date = -1, sex = -1, address = -1, phone = -1;
};

struct VertexMapping {
  std::string alias;  // how edges refer to it ("owner", "house")
  std::string label_name;
  LabelId label = 0;
  std::string key_kind_name;
  KeyKindId key_kind = 0;
  ValueSource key;
  std::vector<Normalizer> key_chain;  // the key kind's default normaliser if the column has none
  std::vector<std::string> key_chain_names;  // the names of key_chain's normalisers
  KeyPolicy on_missing = KeyPolicy::kReject;
  KeyPolicy on_invalid = KeyPolicy::kReject;
  std::vector<PropertyMapping> properties;
  MatchColumns match;
  std::vector<Condition> when;
};

struct EdgeMapping {
  std::string type_name;
  EdgeTypeId type = 0;
  int from = -1, to = -1;              // indexes into Mapping::vertices
  int valid_from = -1, valid_to = -1;  // date columns, -1 = open
  std::vector<PropertyMapping> properties;
  std::vector<Condition> when;
};

// A row validation rule; a row that breaks one is rejected.
struct RuleMapping {
  enum class Kind { kNotBefore, kRange, kOneOf };
  Kind kind = Kind::kRange;
  int column = -1;
  int other = -1;                   // kNotBefore: column must not be before `other`
  double min = 0, max = 0;          // kRange (inclusive)
  std::vector<std::string> values;  // kOneOf (compared after normalisation)
  std::string text;                 // the rule as written, for reject reasons
};

// Fellegi-Sunter parameters of one compared field: m = P(agree | same
// entity), u = P(agree | different entities). Agreement adds log2(m/u),
// disagreement adds log2((1-m)/(1-u)); a value missing on either side adds 0.
struct FieldWeights {
  double m = 0.95, u = 0.01;
};

struct ResolutionConfig {
  FieldWeights name{0.97, 0.0005};
  FieldWeights birth_date{0.97, 0.0001};
  FieldWeights sex{0.99, 0.5};
  FieldWeights address{0.85, 0.0005};
  FieldWeights phone{0.85, 0.00001};
  double name_similar_weight = 4.0;  // names one character apart
  double upper = 18.0;               // score >= upper: merge
  double lower = 9.0;                // lower <= score < upper: possible match for review
  double ambiguity_margin = 3.0;     // best two within this margin: review, not merge
  size_t max_block = 500;            // candidates taken from one block at most
};

struct Mapping {
  std::string path;  // the mapping file
  std::string department;
  std::string file;         // data file path (after resolving against the data directory)
  std::string source_name;  // the file as registered with the database: the path
                            // as written in the mapping (after glob expansion)
  FileFormat format = FileFormat::kCsv;
  std::string encoding = "UTF-8";
  char delimiter = ',';
  char quote = '"';  // '\0': no quoting
  bool header = true;
  std::vector<ColumnSpec> columns;
  std::vector<VertexMapping> vertices;
  std::vector<EdgeMapping> edges;
  std::vector<RuleMapping> rules;
  int grid_column = -1;  // grid cell code, for the per-grid quality report
  int date_column = -1;  // report date, for report recency
  int subject = 0;       // the vertex the row is about (record -> entity links)
  ResolutionConfig resolution;

  int FindColumn(std::string_view name) const;
};

// Parses mapping YAML. `path` names the mapping in messages. A relative data
// file path is resolved against `data_dir`, or the mapping's directory when
// `data_dir` is empty. InvalidArgument naming the mapping and the entry
// for invalid YAML, a missing field, an unknown label / edge type /
// property / key kind / normaliser, a column used but not declared, an edge
// whose endpoint labels the schema does not allow, or a bad rule.
StatusOr<Mapping> ParseMapping(std::string_view yaml_text, const std::string& path,
                               const Schema& schema, const std::string& data_dir = "");

// Reads and parses a mapping file. IOError naming the file if unreadable.
StatusOr<Mapping> LoadMapping(const std::string& path, const Schema& schema,
                              const std::string& data_dir = "");

// A mapping whose `file` is a glob pattern ("grid/reports/*.csv") stands for
// one source per matching file. Returns one mapping per file, sorted by
// path; a mapping without wildcards is returned as is. NotFound naming the
// pattern when nothing matches.
StatusOr<std::vector<Mapping>> ExpandFiles(const Mapping& mapping);

}  // namespace citygraph::ingest

#endif  // CITYGRAPH_INGEST_MAPPING_H_
