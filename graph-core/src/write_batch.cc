#include <algorithm>
#include <cstdint>
#include <exception>

#include "citygraph/graph.h"
#include "citygraph/huge_pages.h"
#include "codec.h"

namespace citygraph {
namespace {

// Huge pages over a large reserved vector's buffer: filling it then takes one
// page fault per 2 MiB instead of one per 4 KiB.
template <typename T>
void AdviseBuffer(const std::vector<T>& v) {
  AdviseHugePages(v.data(), v.capacity() * sizeof(T));
}

}  // namespace

// A bulk batch holds tens of millions of these: keep the field order.
static_assert(sizeof(WriteBatch::PropOp) <= 32);

// Room reserved and faulted in for the encoded values, per property op: a
// tag, and for strings a length and the text (names, numbers, addresses;
// 23.7 bytes per op in all at the 100K demo city).
constexpr size_t kValueBytesPerOp = 24;

VertexRef WriteBatch::AddVertex(LabelId label) {
  new_labels_.push_back(label);
  return VertexRef::New(static_cast<uint32_t>(new_labels_.size() - 1));
}

void WriteBatch::AddKey(VertexRef v, KeyKindId kind, std::string value) {
  keys_.push_back(KeyOp{v, kind, std::move(value)});
}

void WriteBatch::SetProperty(VertexRef v, PropId prop, const Value& value, SourceRef source) {
  const size_t at = values_.size();
  internal::EncodeValue(value, &values_);
  const size_t size = values_.size() - at;
  props_.push_back(PropOp{v, source, prop,
                          static_cast<uint16_t>(std::min<size_t>(size, PropOp::kLongValue)), at});
}

std::string_view WriteBatch::encoded_value(const PropOp& op) const {
  // A short value's bytes are known without reading them (the sizing pass
  // of a bulk write touches no value).
  if (op.value_size != PropOp::kLongValue) {
    return std::string_view(values_.data() + op.value_at, op.value_size);
  }
  return internal::FirstValue(std::string_view(values_).substr(op.value_at));
}

Value WriteBatch::value(const PropOp& op) const {
  Value v;
  if (op.value_at >= values_.size()) return v;  // not an op of this batch
  internal::Reader r(std::string_view(values_).substr(op.value_at));
  if (!internal::DecodeValue(&r, &v)) return Value();
  return v;
}

void WriteBatch::AddEdge(EdgeSpec edge) { edges_.push_back(std::move(edge)); }

void WriteBatch::SetEdgeValidTo(EdgeId edge, Date valid_to) {
  ends_.push_back(EndOp{edge, valid_to});
}

void WriteBatch::PutAux(std::string ns, std::string key, std::string value) {
  aux_.push_back(AuxOp{std::move(ns), std::move(key), std::move(value)});
}

void WriteBatch::Reserve(size_t vertices, size_t keys, size_t props, size_t edges) {
  try {
    new_labels_.reserve(new_labels_.size() + vertices);
    keys_.reserve(keys_.size() + keys);
    props_.reserve(props_.size() + props);
    values_.reserve(values_.size() + props * kValueBytesPerOp);
    edges_.reserve(edges_.size() + edges);
  } catch (const std::exception&) {
    // Only a hint (an over-estimate may exceed what the system lends):
    // the batch grows as it would have without it.
  }
  AdviseBuffer(keys_);
  AdviseBuffer(props_);
  AdviseHugePages(values_.data(), values_.capacity());
  AdviseBuffer(edges_);
}

void WriteBatch::Populate(size_t vertices, size_t keys, size_t props, size_t edges) {
  auto room = [](auto& v, size_t n) {
    const size_t count = std::min(n, v.capacity() - v.size());
    PopulateParallel(v.data() + v.size(), count * sizeof(v[0]));
  };
  room(new_labels_, vertices);
  room(keys_, keys);
  room(props_, props);
  PopulateParallel(values_.data() + values_.size(),
                   std::min(props * kValueBytesPerOp, values_.capacity() - values_.size()));
  room(edges_, edges);
}

size_t WriteBatch::num_ops() const {
  return new_labels_.size() + keys_.size() + props_.size() + edges_.size() + ends_.size() +
         aux_.size();
}

void WriteBatch::ReleaseProperties() {
  std::vector<PropOp>().swap(props_);
  std::string().swap(values_);
}

void WriteBatch::ReleaseEdges() { std::vector<EdgeSpec>().swap(edges_); }

void WriteBatch::Clear() {
  new_labels_.clear();
  keys_.clear();
  props_.clear();
  values_.clear();
  edges_.clear();
  ends_.clear();
  aux_.clear();
}

}  // namespace citygraph
