// The graph image: a binary copy of a finished BaseGraph (labels, edge
// table, vertex observations, key lists, edge properties, both CSRs and the
// key index slots), written when a writer closes the database and read on
// the next open instead of scanning RocksDB and rebuilding the CSR.
//
// The image is a cache, never the source of truth. It is trusted only when
//  - its stamp equals the database's: the graph generation (store.h: a
//    counter, with the time it was advanced, that every write changing the
//    graph or its sources advances in the same atomic RocksDB write, or, for
//    a bulk ingest, in a synced write before it; writes of aux records alone
//    leave it, so they do not make the image stale), the DB identity and the
//    vertex / edge counters; and
//  - it is of this build's format version and layout, its sections add up
//    to the file's size, the header and every section pass their checksums,
//    and its contents pass the checks of ReadImage.
// Anything else (a stale, torn, truncated, foreign or forged image) makes
// ReadImage fail and the caller scans RocksDB. The file is written to a
// temporary name and renamed into place; it is not fsynced, as a torn file
// fails its checks. Layout: graph_image_format.h.
//
// Thread-safety: one writer per file (the database's writer); readers may
// read while a writer replaces the file (the rename is atomic).
#ifndef CITYGRAPH_SRC_GRAPH_IMAGE_H_
#define CITYGRAPH_SRC_GRAPH_IMAGE_H_

#include <cstdint>
#include <string>

#include "base_graph.h"
#include "citygraph/status.h"

namespace citygraph::internal {

// What the image must agree with to be trusted.
struct ImageStamp {
  uint64_t generation = 0;        // graph generation (store.h)
  int64_t generation_micros = 0;  // when it was advanced
  std::string identity;           // RocksDB DB identity
  uint64_t n = 0, m = 0;          // vertex and edge counters
  bool operator==(const ImageStamp&) const = default;
};

// The image file inside a database directory.
std::string ImagePath(const std::string& dir);

// Writes `base` (finished: CSR and key index built) stamped with `stamp` to
// `path`, replacing any previous image. IOError on failure
// (the previous image, if any, is left in place).
Status WriteImage(const std::string& path, const ImageStamp& stamp, const BaseGraph& base);

// Fills every field of `base` (edge pages created with `version`) from the
// image at `path`, if its stamp equals `expect` and it verifies: format
// version and layout, section sizes against the counts and the file size,
// checksums, and every id, offset, list and index the graph will be read
// through (graph_image_format.h, VerifyContents), with labels and edge types
// known to `schema`. Whatever the file holds, it returns a Status, never
// crashes and allocates no more than the file's size warrants.
// NotFound when there is no image, FailedPrecondition when it is stale,
// Corruption (the message says what failed) when it is damaged, truncated,
// of another format version or does not verify, ResourceExhausted when
// memory runs out; `base` is then unspecified. The result needs no Finish().
Status ReadImage(const std::string& path, const ImageStamp& expect, const Schema& schema,
                 uint64_t version, BaseGraph* base);

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_GRAPH_IMAGE_H_
