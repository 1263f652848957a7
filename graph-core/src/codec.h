// Byte encodings shared by the RocksDB store and the in-memory blobs:
// property values, observation lists, key lists, edge records. Integers are
// big-endian (key_encoding.h) so the same helpers serve keys and values.
#ifndef CITYGRAPH_SRC_CODEC_H_
#define CITYGRAPH_SRC_CODEC_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "citygraph/graph.h"
#include "citygraph/key_encoding.h"

namespace citygraph::internal {

// Sequential reader over an encoded buffer; ok() turns false on underflow.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool ok() const { return ok_; }
  bool done() const { return pos_ >= data_.size(); }
  size_t pos() const { return pos_; }
  uint8_t U8();
  uint16_t U16();
  uint32_t U32();
  uint64_t U64();
  int32_t I32() { return static_cast<int32_t>(U32() ^ 0x80000000u); }
  int64_t I64() { return static_cast<int64_t>(U64() ^ 0x8000000000000000ull); }
  std::string_view Bytes(size_t n);

 private:
  bool Need(size_t n);
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void EncodeValue(const Value& v, std::string* out);
// The bytes EncodeValue(v) appends.
size_t EncodedValueSize(const Value& v);
bool DecodeValue(Reader* r, Value* v);
// Steps over one encoded value without materialising it; false (and
// r->ok() false or an unknown type tag) if it does not decode.
bool SkipValue(Reader* r);
// The encoded value `data` starts with (empty if it does not decode), and
// its type (false for an empty value or one that does not decode).
std::string_view FirstValue(std::string_view data);
bool EncodedType(std::string_view data, PropType* type);

// A vertex's observation list (sorted by prop, then batch). Each
// observation is prop (u16), source, record and batch (u32), then its value.
constexpr size_t kObservationHeader = 14;
void EncodeObservation(const PropertyObservation& o, std::string* out);
bool DecodeObservations(std::string_view data, std::vector<PropertyObservation>* out);
// Whether an observation list decodes and names only properties below
// `props` (the number its vertex's label has), without materialising it.
bool ObservationsOk(std::string_view data, size_t props);
Value LatestValue(std::string_view data, PropId prop);

// Edge properties as (prop, value) pairs.
void EncodeProps(const Properties& props, std::string* out);
// The bytes EncodeProps(props) appends.
size_t EncodedPropsSize(const Properties& props);
bool DecodeProps(std::string_view data, Properties* out);

// The aux column family's key of (namespace, key), or of a key prefix:
// namespace length (u16), namespace, key. Appended to *out.
void EncodeAuxKey(std::string_view ns, std::string_view key, std::string* out);

// A vertex's key list as (kind, value) pairs, each encoded as kind (u16),
// value length (u32) and the value's bytes.
using KeyList = std::vector<std::pair<KeyKindId, std::string>>;
constexpr size_t kKeyHeader = 6;
void EncodeKey(KeyKindId kind, std::string_view value, std::string* out);
bool DecodeKeys(std::string_view data, KeyList* out);
// Whether the encoded list holds (kind, value).
bool KeysContain(std::string_view data, KeyKindId kind, std::string_view value);

// The edge column family's value: fixed record then encoded properties
// (EncodeProps).
void EncodeEdge(const EdgeRecord& e, std::string_view props_encoded, std::string* out);
bool DecodeEdge(std::string_view data, EdgeRecord* e, std::string_view* props);

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_CODEC_H_
