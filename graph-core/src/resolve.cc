#include "resolve.h"

#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <functional>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "adj_order.h"
#include "citygraph/huge_pages.h"
#include "codec.h"
#include "resolve_check.h"
#include "resolve_props.h"

namespace citygraph::internal {
namespace {

class Resolver {
 public:
  Resolver(const WriteBatch& batch, const SnapshotImpl& snap)
      : batch_(batch), snap_(snap), schema_(snap.schema()) {}

  StatusOr<Resolved> Run() {
    r_.snap = &snap_;
    r_.batch = snap_.last_batch_ + 1;
    r_.time = Timestamp::Now();
    r_.first_vertex = static_cast<VertexId>(snap_.n_);
    r_.first_edge = static_cast<EdgeId>(snap_.m_);
    r_.new_labels = &batch_.new_labels();
    r_.aux = &batch_.aux();
    r_.write_batch = &batch_;
    const auto& labels = batch_.new_labels();
    if (snap_.n_ + labels.size() >= kNoVertex) {
      return ResourceExhausted("the batch would exceed the vertex id space");
    }
    for (size_t i = 0; i < labels.size(); ++i) {
      if (labels[i] >= schema_.labels().size()) {
        return InvalidArgument("new vertex #" + std::to_string(i) + " has unknown label id " +
                               std::to_string(labels[i]));
      }
    }
    // Keys on one side, properties then edges on the other: they read only
    // the batch and the snapshot and fill separate parts of r_, and the key
    // check ends with a serial pass that the other side's parallel work
    // overlaps. Errors are reported in the order keys, properties, edges.
    Status keys, props, edges;
    tbb::parallel_invoke([&] { keys = ResolveKeys(); },
                         [&] {
                           props = ResolveProps();
                           if (props.ok()) edges = ResolveEdges();
                         });
    CG_RETURN_IF_ERROR(keys);
    CG_RETURN_IF_ERROR(props);
    CG_RETURN_IF_ERROR(edges);
    CG_RETURN_IF_ERROR(ResolveEnds());
    std::sort(r_.updates.begin(), r_.updates.end(),
              [](const auto& a, const auto& b) { return a.edge < b.edge; });
    r_.result.batch = r_.batch;
    r_.result.vertex_ids.resize(labels.size());
    std::iota(r_.result.vertex_ids.begin(), r_.result.vertex_ids.end(), r_.first_vertex);
    r_.result.edges_added = r_.new_edges.size();
    r_.result.edges_updated = r_.updates.size();
    return std::move(r_);
  }

 private:
  LabelId LabelOf(VertexId v) const {
    return v >= snap_.n_ ? batch_.new_labels()[v - snap_.n_] : snap_.label(v);
  }
  std::string LabelName(VertexId v) const { return schema_.labels()[LabelOf(v)].name; }

  // `what` is a callable naming the operation; called only on error.
  template <typename What>
  Status Ref(VertexRef ref, const What& what, VertexId* out) const {
    if (ref.is_new) {
      if (ref.value >= batch_.new_labels().size()) {
        return InvalidArgument(what() + ": new vertex #" + std::to_string(ref.value) +
                               " was not added by this batch");
      }
      *out = static_cast<VertexId>(snap_.n_ + ref.value);
    } else {
      if (ref.value >= snap_.n_) {
        return NotFound(what() + ": vertex " + std::to_string(ref.value) + " does not exist");
      }
      *out = ref.value;
    }
    return Status::OK();
  }

  template <typename What>
  Status CheckSource(SourceId id, const What& what) const {
    if (id >= snap_.num_sources()) {
      return InvalidArgument(what() + ": source id " + std::to_string(id) +
                             " is not registered (call RegisterSource first)");
    }
    return Status::OK();
  }

  // The hash KeysInBatch files key op `op` under.
  static uint64_t KeyHash(const WriteBatch::KeyOp& op) {
    return std::hash<std::string_view>()(op.value) ^ (uint64_t{op.kind} * 0x9E3779B97F4A7C15ull);
  }

  // Keys given by this batch, found by (kind, value): an open-addressing
  // table of indexes into batch_.keys() (no copy of the key strings), each
  // with 32 bits of its hash, so a probe reads an op and its string only
  // when those bits match.
  class KeysInBatch {
   public:
    explicit KeysInBatch(const std::vector<WriteBatch::KeyOp>& ops) : ops_(ops) {
      size_t cap = 16;
      while (cap < ops.size() * 2) cap <<= 1;
      ReserveParallel(&slots_, cap);
      slots_.assign(cap, Slot{kEmpty, 0});
      mask_ = cap - 1;
    }
    // The index of the first op with the same (kind, value) as ops[i], after
    // recording ops[i] if it is the first; `hash` is KeyHash(ops[i]).
    uint32_t FindOrInsert(uint32_t i, uint64_t hash) {
      const auto& op = ops_[i];
      const auto tag = static_cast<uint32_t>(hash >> 32);
      for (size_t j = hash & mask_;; j = (j + 1) & mask_) {
        Slot& s = slots_[j];
        if (s.op == kEmpty) {
          s = Slot{i, tag};
          return i;
        }
        if (s.tag != tag) continue;
        const auto& other = ops_[s.op];
        if (other.kind == op.kind && other.value == op.value) return s.op;
      }
    }
    // A hint ahead of FindOrInsert(_, hash): loads its first slot.
    void Prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }

   private:
    static constexpr uint32_t kEmpty = UINT32_MAX;
    struct Slot {
      uint32_t op, tag;
    };
    const std::vector<WriteBatch::KeyOp>& ops_;
    std::vector<Slot> slots_;
    size_t mask_ = 0;
  };

  Status ResolveKeys() {
    const auto& ops = batch_.keys();
    auto what_of = [&](const WriteBatch::KeyOp& op) {
      std::string out = "key ";
      if (op.kind < schema_.key_kinds().size()) {
        out.append(schema_.key_kinds()[op.kind]);
      } else {
        out.append("#").append(std::to_string(op.kind));
      }
      return out.append(" '").append(op.value).append("'");
    };
    // The large vectors here are faulted in by all threads first
    // (ReserveParallel): Resolve runs on the committing thread while the
    // other core has little to do, and fresh pages are costly (huge_pages.h).
    // Each op on its own (in parallel on large batches): its vertex, or
    // kNoVertex when the snapshot already gives it that key.
    std::vector<VertexId> vertex;
    ReserveParallel(&vertex, ops.size());
    vertex.assign(ops.size(), kNoVertex);
    // Each op's KeysInBatch hash, taken here in parallel (the serial pass
    // below then only probes, its slots prefetched ahead).
    std::vector<uint64_t> hash;
    ReserveParallel(&hash, ops.size());
    hash.resize(ops.size());
    size_t first_bad = 0;
    Status bad = CheckAll(
        ops.size(),
        [&](size_t i) -> Status {
          const auto& op = ops[i];
          auto what = [&] { return what_of(op); };
          VertexId v = kNoVertex;
          CG_RETURN_IF_ERROR(Ref(op.v, what, &v));
          Status st = schema_.CheckKey(LabelOf(v), op.kind);
          if (!st.ok()) return st.WithContext(what());
          const VertexId owner = snap_.FindKeyInternal(op.kind, op.value);
          if (owner == v) return Status::OK();
          if (owner != kNoVertex) {
            return AlreadyExists(what() + " already belongs to vertex " + std::to_string(owner) +
                                 " (" + LabelName(owner) + ")");
          }
          vertex[i] = v;
          hash[i] = KeyHash(op);
          return Status::OK();
        },
        &first_bad);
    // Keys given twice in the batch, in batch order, up to the first op that
    // failed on its own: the error a single serial loop would report first.
    KeysInBatch in_batch(ops);
    std::vector<VertexId> owner_in_batch(first_bad, kNoVertex);
    ReserveParallel(&r_.keys, first_bad);  // no regrowth (copies, page faults) of a large batch
    constexpr size_t kAhead = 16;
    for (size_t i = 0; i < first_bad; ++i) {
      if (i + kAhead < first_bad && vertex[i + kAhead] != kNoVertex) {
        in_batch.Prefetch(hash[i + kAhead]);
      }
      const VertexId v = vertex[i];
      if (v == kNoVertex) continue;
      const uint32_t first = in_batch.FindOrInsert(static_cast<uint32_t>(i), hash[i]);
      if (first != i) {
        if (owner_in_batch[first] == v) continue;
        return AlreadyExists(what_of(ops[i]) + " is given to two different vertices in this batch");
      }
      owner_in_batch[i] = v;
      r_.keys.push_back(ResolvedKey{v, ops[i].kind, &ops[i].value});
    }
    return bad;
  }

  // Schema::CheckVertexProperty of an op, on its encoded value (decoded
  // only for the message of a violation).
  Status CheckProperty(LabelId label, const WriteBatch::PropOp& op) const {
    const auto& labels = schema_.labels();
    PropType type;
    if (label < labels.size() && op.prop < labels[label].properties.size() &&
        EncodedType(std::string_view(batch_.values()).substr(op.value_at), &type) &&
        type == labels[label].properties[op.prop].type) {
      return Status::OK();
    }
    return schema_.CheckVertexProperty(label, op.prop, batch_.value(op));
  }

  Status ResolveProps() {
    const auto& ops = batch_.props();
    std::vector<VertexId> vs;  // of each op
    ReserveParallel(&vs, ops.size());
    vs.resize(ops.size());
    size_t first_bad = 0;
    CG_RETURN_IF_ERROR(CheckAll(
        ops.size(),
        [&](size_t i) -> Status {
          const auto& op = ops[i];
          VertexId v = kNoVertex;
          CG_RETURN_IF_ERROR(Ref(
              op.v, [&] { return "property #" + std::to_string(i); }, &v));
          Status st = CheckProperty(LabelOf(v), op);
          if (!st.ok()) return st.WithContext("vertex " + std::to_string(v));
          CG_RETURN_IF_ERROR(CheckSource(
              op.source.source, [&] { return "property of vertex " + std::to_string(v); }));
          vs[i] = v;
          return Status::OK();
        },
        &first_bad));
    // Grouped by (vertex, prop, source); the last op of a group wins.
    const std::vector<uint32_t> order =
        PropOrder(batch_, vs, snap_.n_ + batch_.new_labels().size());
    return KeptProps(batch_, snap_, vs, order, &r_.props);
  }

  struct Identity {
    VertexId src, dst;
    EdgeTypeId type;
    int32_t from;
    SourceId source;
    auto operator<=>(const Identity&) const = default;
  };
  static Identity IdOf(const EdgeRecord& e) {
    return Identity{e.src, e.dst, e.type, e.valid_from.days, e.source.source};
  }

  // The existing edge with identity `id`, or kNoEdge.
  EdgeId FindExisting(const Identity& id) {
    const AdjRange adj = snap_.out_edges(id.src);
    if (adj.size() <= 16) {
      for (const AdjEntry& a : adj) {
        if (a.nbr == id.dst && IdOf(snap_.edge(a.edge)) == id) return a.edge;
      }
      return kNoEdge;
    }
    auto& index = hub_index_[id.src];
    if (index.empty()) {
      for (const AdjEntry& a : adj) index.emplace_back(IdOf(snap_.edge(a.edge)), a.edge);
      std::sort(index.begin(), index.end());
    }
    auto it = std::lower_bound(index.begin(), index.end(), std::make_pair(id, EdgeId{0}));
    return it != index.end() && it->first == id ? it->second : kNoEdge;
  }

  Status ResolveEdges() {
    const auto& specs = batch_.edges();
    std::vector<EdgeRecord> recs;
    ReserveParallel(&recs, specs.size());
    recs.resize(specs.size());
    // Upsert identities can only match when the graph already has edges.
    std::vector<EdgeId> existing;
    if (snap_.m_ > 0) existing.assign(specs.size(), kNoEdge);
    // Validates spec i into recs[i]; thread-safe (reads only).
    auto check = [&](size_t i) -> Status {
      const EdgeSpec& s = specs[i];
      if (s.type >= schema_.edge_types().size()) {
        return InvalidArgument("edge #" + std::to_string(i) + " has unknown edge type id " +
                               std::to_string(s.type));
      }
      auto what = [&] {
        return "edge #" + std::to_string(i) + " (" + schema_.edge_types()[s.type].name + ")";
      };
      EdgeRecord& rec = recs[i];
      CG_RETURN_IF_ERROR(Ref(
          s.src, [&] { return what() + " source"; }, &rec.src));
      CG_RETURN_IF_ERROR(Ref(
          s.dst, [&] { return what() + " target"; }, &rec.dst));
      Status st = schema_.CheckEdge(s.type, LabelOf(rec.src), LabelOf(rec.dst), s.props);
      if (!st.ok()) return st.WithContext(what());
      if (s.valid_to < s.valid_from) {
        return InvalidArgument(what() + ": valid_to " + s.valid_to.ToString() +
                               " is before valid_from " + s.valid_from.ToString());
      }
      CG_RETURN_IF_ERROR(CheckSource(s.source.source, what));
      rec.type = s.type;
      rec.valid_from = s.valid_from;
      rec.valid_to = s.valid_to;
      rec.source = SourceRef{s.source.source, s.source.record, r_.batch};
      return Status::OK();
    };
    if (existing.empty()) {
      size_t first_bad = 0;
      CG_RETURN_IF_ERROR(CheckAll(specs.size(), check, &first_bad));
    } else {
      for (size_t i = 0; i < specs.size(); ++i) {
        CG_RETURN_IF_ERROR(check(i));
        const EdgeRecord& rec = recs[i];
        if (rec.src < snap_.n_ && rec.dst < snap_.n_) existing[i] = FindExisting(IdOf(rec));
      }
    }
    // Upserts of existing edges, in batch order (the last one wins).
    std::vector<uint32_t> fresh;  // spec indexes of new-edge candidates, when not all are
    for (size_t i = 0; i < existing.size(); ++i) {
      const EdgeId e = existing[i];
      if (e == kNoEdge) {
        fresh.push_back(static_cast<uint32_t>(i));
        continue;
      }
      const EdgeRecord& cur = snap_.edge(e);
      Properties stored;
      if (!DecodeProps(snap_.eprops_blob(e), &stored)) return Corruption("edge properties");
      auto it = update_index_.find(e);
      if (it == update_index_.end() && cur.valid_to == recs[i].valid_to &&
          cur.source.record == recs[i].source.record && stored == specs[i].props) {
        continue;  // identical: nothing changes
      }
      auto [pos, inserted] = update_index_.emplace(e, r_.updates.size());
      if (inserted) r_.updates.push_back(ResolvedEdgeUpdate{e, cur, std::string()});
      ResolvedEdgeUpdate& u = r_.updates[pos->second];
      u.record = recs[i];
      u.props_enc.clear();
      EncodeProps(specs[i].props, &u.props_enc);
      u.props_changed = true;
    }
    const bool all_fresh = existing.empty() || fresh.size() == specs.size();
    if (all_fresh) fresh.clear();
    std::vector<EdgeRecord> cand;
    if (all_fresh) {
      cand = std::move(recs);
    } else {
      cand.reserve(fresh.size());
      for (uint32_t i : fresh) cand.push_back(recs[i]);
    }
    recs = {};
    auto spec_of = [&](size_t c) -> const EdgeSpec& { return specs[all_fresh ? c : fresh[c]]; };
    if (snap_.m_ + cand.size() >= kNoEdge) {
      return ResourceExhausted("the batch would exceed the edge id space");
    }
    // Out keys of the new edges; equal identities are adjacent, the first
    // one (smallest index) leading. Duplicates inside the batch collapse onto
    // the first one's id, taking the last one's values.
    std::vector<AdjKey> keys = SortedOutKeys(cand, snap_.n_ + batch_.new_labels().size());
    bool duplicates = false;
    for (size_t k = 0; k + 1 < keys.size() && !duplicates; ++k) {
      duplicates = keys[k].SameIdentity(keys[k + 1]);
    }
    // The output is large and filled here, by one thread: its pages are
    // faulted in on all threads first (huge_pages.h).
    std::vector<const Properties*> props_of;  // of each new edge: its spec's
    ReserveParallel(&props_of, cand.size());
    props_of.resize(cand.size());
    if (!duplicates) {
      for (size_t c = 0; c < cand.size(); ++c) props_of[c] = &spec_of(c).props;
    } else {
      // Compacted in place (no second copy of the edges and keys): kept
      // edge number `kept` takes its identity's last values. Safe because
      // kept <= c <= winner[c], so no slot is written before it is read.
      std::vector<uint32_t> winner;  // first index -> last index
      ReserveParallel(&winner, cand.size());
      winner.assign(cand.size(), UINT32_MAX);
      for (size_t k = 0; k < keys.size();) {
        size_t j = k;
        while (j + 1 < keys.size() && keys[j + 1].SameIdentity(keys[k])) ++j;
        winner[keys[k].index] = keys[j].index;
        k = j + 1;
      }
      std::vector<uint32_t>& rank = winner;  // reused: first index -> its new number
      size_t kept = 0;
      for (size_t c = 0; c < cand.size(); ++c) {
        const uint32_t w = winner[c];
        if (w == UINT32_MAX) continue;
        cand[kept] = cand[w];
        props_of[kept] = &spec_of(w).props;
        rank[c] = static_cast<uint32_t>(kept++);
      }
      cand.resize(kept);
      props_of.resize(kept);
      size_t out = 0;
      for (const AdjKey& key : keys) {
        if (rank[key.index] == UINT32_MAX) continue;
        keys[out] = key;
        keys[out++].index = rank[key.index];
      }
      keys.resize(out);
    }
    r_.new_edges = std::move(cand);
    r_.out_keys = std::move(keys);
    ConcatenateBuilt(
        props_of.size(),
        [&](size_t begin, size_t end, uint64_t* sizes, std::string* out) {
          for (size_t i = begin; i < end; ++i) {
            if (out == nullptr) {
              sizes[i - begin] = EncodedPropsSize(*props_of[i]);
            } else {
              const size_t before = out->size();
              EncodeProps(*props_of[i], out);
              sizes[i - begin] = out->size() - before;
            }
          }
        },
        &r_.new_edge_props.offsets, &r_.new_edge_props.blob);
    return Status::OK();
  }

  Status ResolveEnds() {
    for (const auto& op : batch_.ends()) {
      const std::string what = "SetEdgeValidTo(edge " + std::to_string(op.edge) + ")";
      if (op.edge >= snap_.m_) return NotFound(what + ": no such edge");
      auto it = update_index_.find(op.edge);
      const EdgeRecord& cur =
          it == update_index_.end() ? snap_.edge(op.edge) : r_.updates[it->second].record;
      if (op.valid_to < cur.valid_from) {
        return InvalidArgument(what + ": valid_to " + op.valid_to.ToString() +
                               " is before valid_from " + cur.valid_from.ToString());
      }
      if (cur.valid_to == op.valid_to) continue;
      auto [pos, inserted] = update_index_.emplace(op.edge, r_.updates.size());
      if (inserted) {
        r_.updates.push_back(
            ResolvedEdgeUpdate{op.edge, cur, std::string(snap_.eprops_blob(op.edge))});
      }
      ResolvedEdgeUpdate& u = r_.updates[pos->second];
      u.record.valid_to = op.valid_to;
      u.record.source.batch = r_.batch;
    }
    return Status::OK();
  }

  const WriteBatch& batch_;
  const SnapshotImpl& snap_;
  const Schema& schema_;
  Resolved r_;
  std::unordered_map<VertexId, std::vector<std::pair<Identity, EdgeId>>> hub_index_;
  std::unordered_map<EdgeId, size_t> update_index_;
};

}  // namespace

StatusOr<Resolved> Resolve(const WriteBatch& batch, const SnapshotImpl& snap) {
  return Resolver(batch, snap).Run();
}

}  // namespace citygraph::internal
