// Internal: turns one raw record into normalised, typed, validated values
// (or a reject). Runs in the parallel stage of the ingest pipeline.
#ifndef CITYGRAPH_INGEST_SRC_ROW_PARSER_H_
#define CITYGRAPH_INGEST_SRC_ROW_PARSER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "chain.h"
#include "citygraph/ingest/mapping.h"
#include "citygraph/ingest/report.h"
#include "citygraph/ingest/resolver.h"
#include "citygraph/ingest/source_file.h"
#include "citygraph/types.h"
#include "prefetch.h"

namespace citygraph::ingest::internal {

enum class KeyState : uint8_t { kOk, kMissing, kInvalid };

struct ParsedVertex {
  bool present = false;  // false: skipped (optional vertex without key)
  KeyState key_state = KeyState::kOk;
  bool resolve = false;     // needs probabilistic entity resolution
  bool has_match = false;   // false: `match` and `block_keys` are as default
  VertexId id = kNoVertex;  // incremental mode: set by the loader when it applies the row
  std::string key;
  uint64_t key_hash = 0;  // TextHash(key, key kind)
  Properties props;
  // Last, so that resetting a vertex without them touches less memory.
  MatchRecord match;
  BlockKeys block_keys;  // of match
};

struct ParsedEdge {
  bool present = false;
  Date valid_from = Date::Min();
  Date valid_to = Date::Max();
  Properties props;
};

// The fields every stage reads come first, in two cache lines (each row
// is written by a parse thread and read by the serial stage on another
// core, so every line it spans is a transfer); the rarely used reject last.
struct ParsedRow {
  uint32_t line = 0;
  bool rejected = false;
  bool has_date = false;
  bool needs_resolution = false;
  bool applied = false;  // incremental mode: the loader added its operations (ids set)
  uint64_t hash = 0;     // of the record text, for duplicate detection
  Date date = Date::Min();
  int missing_keys = 0, invalid_keys = 0;
  std::vector<ParsedVertex> vertices;
  std::vector<ParsedEdge> edges;
  std::string grid;
  Reject reject;
};

static_assert(sizeof(ParsedRow) - sizeof(Reject) <= 128, "PrefetchRow's hot lines");

// Hints given some rows before a stage reads `row` (or, kWrite, resets and
// refills it) when another core had it last, in steps, each reading only
// what the one before brought in: 0, its hot lines (the first 128 bytes:
// every field but the reject); 1, its vertices' and edges' lines; 2, their
// property arrays. Changes nothing.
inline void PrefetchRow(const ParsedRow& row, int step, Intent intent = Intent::kRead) {
  if (step == 0) {
    PrefetchLines(&row, 128, intent);
  } else if (step == 1) {
    PrefetchLines(row.vertices.data(), row.vertices.size() * sizeof(ParsedVertex), intent);
    PrefetchLines(row.edges.data(), row.edges.size() * sizeof(ParsedEdge), intent);
  } else {
    for (const ParsedVertex& pv : row.vertices) {
      PrefetchLines(pv.props.data(), pv.props.size() * sizeof(pv.props[0]), intent);
    }
    for (const ParsedEdge& pe : row.edges) {
      PrefetchLines(pe.props.data(), pe.props.size() * sizeof(pe.props[0]), intent);
    }
  }
}

// Returns `row` to the state of a default-constructed ParsedRow, keeping the
// capacity of its vectors and strings (rows are reused chunk after chunk).
// The reject is left as it is: it is only read when `rejected` is set.
void ResetRow(ParsedRow* row);

class RowParser {
 public:
  RowParser(const Mapping& mapping, const SourceFile& file);

  // Fills `*out` from `rec`; `*out` may hold an earlier row (it is reset
  // first). Thread-safe (const).
  void Parse(const RawRecord& rec, ParsedRow* out) const;

 private:
  bool Fail(ParsedRow* out, const std::string& column, std::string_view raw,
            const std::string& kind, const std::string& reason) const;

  const Mapping& m_;
  const SourceFile& file_;
  // Per column: the vertex whose key it is (failures follow that vertex's key
  // policy), or -1.
  std::vector<int> key_vertex_;
  std::vector<CompiledChain> chains_;      // per column
  std::vector<CompiledChain> key_chains_;  // per vertex: its key kind's chain
  // Per vertex: its key column's chain already ends with its key chain's
  // only normaliser, one that gives its own results back unchanged
  // (id_number, phone), so the key chain would change nothing.
  std::vector<bool> key_normalized_;
};

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_ROW_PARSER_H_
