// Entity-resolution quality against datagen's ground truth.
//
// Truth: truth/record_entities.csv (file,line,entity_kind,entity_key,status,
// ...) and truth/homonyms.csv (name,birth_date,id_a,id_b), see
// datagen/README.md. Links: the record -> vertex links Ingest stored (see
// ReadLinks); a record's file is matched to the source registered under
// the same relative path.
//
// Over the truth records of status ok or duplicate whose entity is a person:
//  - each vertex is owned by the entity with most records on it, and each
//    entity's home vertex is the vertex holding most of its records;
//  - precision = linked records whose vertex is owned by their entity /
//    linked records (a wrong merge lowers it);
//  - recall = records linked to their entity's home vertex / truth records
//    (a split, or a record not loaded, lowers it);
//  - homonym merges = planted homonym pairs whose two identity numbers have
//    records on one vertex (must be 0).
//
// Thread-safety: reads the database's current snapshot; no shared state.
#ifndef CITYGRAPH_INGEST_EVAL_ER_H_
#define CITYGRAPH_INGEST_EVAL_ER_H_

#include <cstdint>
#include <string>

#include "citygraph/graph.h"

namespace citygraph::ingest {

struct ErEvaluation {
  uint64_t truth_records = 0;  // person records of status ok/duplicate
  uint64_t linked = 0;         // of those, linked to a vertex
  uint64_t precise = 0;        // linked to a vertex their entity owns
  uint64_t recalled = 0;       // linked to their entity's home vertex
  uint64_t keyless = 0;        // truth records with noise missing_id
  uint64_t keyless_recalled = 0;
  uint64_t entities = 0;
  uint64_t vertices = 0;
  uint64_t mixed_vertices = 0;  // vertices holding records of two or more entities
  uint64_t homonym_pairs = 0;
  uint64_t homonym_merges = 0;
  double precision() const { return linked ? static_cast<double>(precise) / linked : 0; }
  double recall() const {
    return truth_records ? static_cast<double>(recalled) / truth_records : 0;
  }
  // Multi-line human-readable summary.
  std::string ToText() const;
};

// `truth_dir` is the datagen output directory or its truth/ subdirectory.
// NotFound / InvalidArgument naming the truth file when it is missing or
// malformed.
StatusOr<ErEvaluation> EvaluateEr(const Database& db, const std::string& truth_dir);

}  // namespace citygraph::ingest

#endif  // CITYGRAPH_INGEST_EVAL_ER_H_
