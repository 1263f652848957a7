#include <sys/mman.h>

#include <cstdint>
#include <exception>

#include "citygraph/graph.h"

namespace citygraph {
namespace {

// Asks for transparent huge pages over the whole 2 MiB pages inside a
// large reserved vector's buffer: filling it then takes one page fault per
// 2 MiB instead of one per 4 KiB. Only advice; 4 KiB pages work too.
template <typename T>
void AdviseHugePages(const std::vector<T>& v) {
#ifdef MADV_HUGEPAGE
  constexpr uintptr_t kHuge = uintptr_t{1} << 21;
  const uintptr_t begin = reinterpret_cast<uintptr_t>(v.data());
  const uintptr_t end = begin + v.capacity() * sizeof(T);
  const uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1), last = end & ~(kHuge - 1);
  if (last > first) {
    (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
  }
#else
  (void)v;
#endif
}

}  // namespace

VertexRef WriteBatch::AddVertex(LabelId label) {
  new_labels_.push_back(label);
  return VertexRef::New(static_cast<uint32_t>(new_labels_.size() - 1));
}

void WriteBatch::AddKey(VertexRef v, KeyKindId kind, std::string value) {
  keys_.push_back(KeyOp{v, kind, std::move(value)});
}

void WriteBatch::SetProperty(VertexRef v, PropId prop, Value value, SourceRef source) {
  props_.push_back(PropOp{v, prop, std::move(value), source});
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
    edges_.reserve(edges_.size() + edges);
  } catch (const std::exception&) {
    // Only a hint (an over-estimate may exceed what the system lends):
    // the batch grows as it would have without it.
  }
  AdviseHugePages(keys_);
  AdviseHugePages(props_);
  AdviseHugePages(edges_);
}

size_t WriteBatch::num_ops() const {
  return new_labels_.size() + keys_.size() + props_.size() + edges_.size() + ends_.size() +
         aux_.size();
}

void WriteBatch::Clear() {
  new_labels_.clear();
  keys_.clear();
  props_.clear();
  edges_.clear();
  ends_.clear();
  aux_.clear();
}

}  // namespace citygraph
