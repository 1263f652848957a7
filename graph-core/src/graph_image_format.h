// The graph image's file layout (graph_image.h), shared by its reader, its
// writer and the tests that forge damaged images.
//
// File: Header, then `identity_len` bytes of RocksDB DB identity, then the
// 8-byte header checksum (HeaderSum over both), then the sections in Section
// order, back to back, `bytes[s]` each; nothing after the last. Integers are
// native-endian (`endian` tells a foreign-endian file apart).
//
// The first 24 bytes (magic, version, header_bytes, num_sections,
// block_bytes) keep this meaning in every format version, so a reader tells
// another version's image apart before it interprets anything else. Any
// change to the layout or to the meaning of a section bumps kVersion.
//
// Thread-safety: pure functions.
#ifndef CITYGRAPH_SRC_GRAPH_IMAGE_FORMAT_H_
#define CITYGRAPH_SRC_GRAPH_IMAGE_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "base_graph.h"
#include "citygraph/status.h"

namespace citygraph::internal::image {

inline constexpr char kMagic[8] = {'C', 'G', 'I', 'M', 'A', 'G', 'E', '\0'};
// Format 2 had no version field (magic "CGIMAGE2"); 3 adds it and the
// layout fields, and checks the file size against the sections; 4 stamps the
// image with the graph generation (graph_image.h) instead of RocksDB's
// sequence number and the last batch, so a format 3 image is refused.
inline constexpr uint32_t kVersion = 4;
inline constexpr uint64_t kEndian = 0x0102030405060708ull;
// Checksum block: one edge-table page, so the paged edge table hashes page
// by page; every block of a section but its last is exactly kBlock bytes.
inline constexpr size_t kBlock = EdgeTable::kPageSize * sizeof(EdgeRecord);
inline constexpr uint64_t kMaxIdentity = 4096;

enum Section : int {
  kLabels,     // n LabelId
  kEdges,      // m EdgeRecord
  kVpropOff,   // n + 1 uint64 offsets into kVpropBlob
  kVpropBlob,  // per-vertex observation lists (codec.h)
  kKeyOff,     // n + 1 uint64 offsets into kKeyBlob
  kKeyBlob,    // per-vertex key lists (codec.h)
  kEpropIds,   // ascending EdgeId of the edges that have properties
  kEpropOff,   // kEpropIds count + 1 uint64 offsets into kEpropBlob
  kEpropBlob,  // per-edge property lists (codec.h)
  kOutOff,     // n + 1 uint32 CSR offsets
  kOutAdj,     // m AdjEntry
  kInOff,      // n + 1 uint32 CSR offsets
  kInAdj,      // m AdjEntry
  kKeySlots,   // KeyIndex slot table (a power of two of uint64)
  kNumSections
};

struct Header {
  char magic[8];
  uint32_t version;       // kVersion
  uint32_t header_bytes;  // sizeof(Header)
  uint32_t num_sections;  // kNumSections
  uint32_t block_bytes;   // kBlock
  uint64_t endian;        // kEndian
  uint64_t generation;
  int64_t generation_micros;
  uint64_t n, m;
  uint64_t num_keys;
  uint64_t identity_len;
  uint64_t bytes[kNumSections];
  uint64_t sum[kNumSections];  // SectionSum of each section
};
static_assert(std::is_trivially_copyable_v<Header> &&
              std::has_unique_object_representations_v<Header>);
inline constexpr size_t kPrefixBytes = 24;  // magic .. block_bytes

// The checksum of the header (its checksum field excluded: it follows the
// identity) and the identity.
uint64_t HeaderSum(const Header& h, std::string_view identity);
// The checksum of block `block` (0-based within its section) of `len` bytes.
uint64_t BlockSum(const char* p, size_t len, size_t block);
// The checksum of a whole section held contiguously: the sum of the
// BlockSum of its kBlock pieces (so paged and contiguous copies agree).
uint64_t SectionSum(const char* p, size_t len);

// Checks everything a reader will index with in a BaseGraph filled from an
// image (after its checksums passed, its key slots adopted): labels, edge
// types, key kinds and property ids known to `schema`; edge endpoints; blob
// offsets; that every property and key list decodes and the keys number
// num_keys; that both CSRs are the ones Finish() would build from the edge
// table (ordered, in range, and the same arcs by a 64-bit fingerprint); and
// that the key index finds every key's vertex. OK, or Corruption naming the
// first check that failed. One parallel pass over each array
// (graph_image_check.cc).
Status VerifyContents(const BaseGraph& b, const Schema& schema);

}  // namespace citygraph::internal::image

#endif  // CITYGRAPH_SRC_GRAPH_IMAGE_FORMAT_H_
