// The serial resolve-and-write stage of an ingest run.
#include "loader.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "reclaim.h"

namespace citygraph::ingest::internal {
namespace {

constexpr char kMatchNs[] = "er.match";
constexpr char kReviewNs[] = "er.review";
constexpr char kLinksNs[] = "ingest.links";

std::string RecordKey(SourceId sid, uint32_t line) {
  return std::to_string(sid) + ":" + std::to_string(line);
}

std::string Explanation(VertexId vertex, const MatchOutcome& o, const char* decision,
                        bool with_candidate) {
  nlohmann::json j;
  j["vertex"] = vertex;
  j["label"] = "Person";
  j["score"] = o.score;
  j["decision"] = decision;
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : o.fields) {
    fields.push_back({{"field", f.field}, {"agree", f.agree}, {"weight", f.weight}});
  }
  j["fields"] = std::move(fields);
  if (with_candidate) j["candidate"] = o.candidate;
  return j.dump();
}

}  // namespace

Loader::Loader(Database* db, const IngestOptions& options, QualityReport* report)
    : db_(db),
      options_(options),
      report_(report),
      batch_rows_(options.batch_rows != 0                    ? options.batch_rows
                  : options.mode == IngestMode::kIncremental ? 5000
                                                             : 4000000),
      batch_(db->schema()) {}

Status Loader::Init() {
  snap_ = db_->GetSnapshot();
  base_ = static_cast<VertexId>(snap_->num_vertices());
  const Schema& schema = *db_->schema();
  auto person = schema.FindLabel("Person");
  if (person.ok()) {
    person_ = *person;
    auto prop = schema.FindVertexProperty(person_, "unresolved");
    if (prop.ok()) {
      unresolved_prop_ = *prop;
      has_person_ = true;
    }
  }
  if (snap_->num_vertices() > 0) index_.LoadFrom(*snap_);
  return Status::OK();
}

void Loader::ExpectRows(const std::vector<const Mapping*>& mappings,
                        const std::vector<size_t>& rows) {
  rows_by_source_ = rows;
  for (size_t i = 0; i < mappings.size(); ++i) {
    const Mapping& m = *mappings[i];
    size_t props = 0;
    for (const VertexMapping& vm : m.vertices) props += vm.properties.size();
    expected_rows_ += rows[i];
    expected_vertices_ += rows[i] * m.vertices.size();
    expected_keys_ += rows[i] * m.vertices.size();
    expected_props_ += rows[i] * (props + m.vertices.size());  // + unresolved
    likely_props_ += rows[i] * props;
    expected_edges_ += rows[i] * m.edges.size();
  }
  ReserveBatch();
}

void Loader::ReserveBatch() {
  if (options_.mode != IngestMode::kBulk || expected_rows_ <= rows_) return;
  // The share of all expected rows this batch will hold.
  const double f = static_cast<double>(std::min(batch_rows_, expected_rows_ - rows_)) /
                   static_cast<double>(expected_rows_);
  auto part = [&](size_t n) { return static_cast<size_t>(static_cast<double>(n) * f); };
  batch_.Reserve(part(expected_vertices_), part(expected_keys_), part(expected_props_),
                 part(expected_edges_));
  // What the batch will likely fill is faulted in now on both cores: this
  // serial stage, the pipeline's critical path, fills it, and fresh pages
  // cost 1-3 ms per MiB here. That is about one new vertex and key per row (most
  // rows name entities met before), every property once (the unresolved
  // mark is rare) and every edge.
  batch_.Populate(part(expected_rows_), part(expected_rows_), part(likely_props_),
                  part(expected_edges_));
  // The table of the batch's new keys is sized the same way (it grows, by
  // rehashing, if a batch brings more).
  pending_keys_.Reserve(batch_, part(expected_rows_));
}

Status Loader::LoadPrior(SourceId sid) {
  std::string prefix = std::to_string(sid) + ":";
  CG_ASSIGN_OR_RETURN(auto matches, db_->ScanAux(kMatchNs, prefix));
  for (const auto& [key, value] : matches) {
    auto j = nlohmann::json::parse(value, nullptr, false);
    if (j.is_discarded() || !j.contains("vertex")) {
      return Corruption("aux " + std::string(kMatchNs) + " " + key + " does not decode");
    }
    prior_[key] = Prior{j["vertex"].get<VertexId>(), j.value("decision", "") == "merged", false};
  }
  CG_ASSIGN_OR_RETURN(auto reviews, db_->ScanAux(kReviewNs, prefix));
  for (const auto& [key, value] : reviews) {
    auto it = prior_.find(key);
    if (it != prior_.end()) it->second.review = true;
  }
  return Status::OK();
}

Status Loader::BeginSource(const Mapping* m, SourceId sid, size_t source_index) {
  m_ = m;
  sid_ = sid;
  source_index_ = source_index;
  seen_.Reset(source_index < rows_by_source_.size() ? rows_by_source_[source_index] : 0);
  return LoadPrior(sid);
}

VertexRef Loader::Ref(VertexId id) const {
  return id >= base_ ? VertexRef::New(id - base_) : VertexRef::Existing(id);
}

VertexId Loader::NewVertex(LabelId label) {
  VertexId id = base_ + static_cast<VertexId>(batch_.num_new_vertices());
  batch_.AddVertex(label);
  return id;
}

VertexId Loader::KeyVertex(LabelId label, KeyKindId kind, std::string& key, uint64_t hash) {
  uint32_t op = pending_keys_.Find(batch_, kind, key, hash);
  if (op != PendingKeys::kNone) return base_ + batch_.keys()[op].v.value;
  if (snap_->num_vertices() > 0) {
    auto found = snap_->FindByKey(kind, key);
    if (found.ok()) return *found;
  }
  VertexId id = NewVertex(label);
  pending_keys_.Insert(batch_, hash, static_cast<uint32_t>(batch_.keys().size()));
  batch_.AddKey(Ref(id), kind, std::move(key));  // allocated again by the parallel stage
  return id;
}

VertexId Loader::ResolvePerson(const Mapping& m, SourceId sid, const ParsedRow& row,
                               const ParsedVertex& pv, LabelId label, QualityCounts* src,
                               QualityCounts* grid) {
  std::string key = RecordKey(sid, row.line);
  VertexId id = kNoVertex;
  bool merged = false, review = false;
  auto prior = prior_.find(key);
  if (prior != prior_.end() && prior->second.vertex < base_) {
    id = prior->second.vertex;
    merged = prior->second.merged;
    review = prior->second.review;
  } else {
    MatchOutcome o = index_.Resolve(pv.match, m.resolution);
    if (o.decision == MatchDecision::kMerged) {
      id = o.candidate;
      merged = true;
      batch_.PutAux(kMatchNs, key, Explanation(id, o, "merged", false));
    } else {
      id = NewVertex(label);
      if (has_person_ && label == person_) {
        batch_.SetProperty(Ref(id), unresolved_prop_, true, SourceRef{sid, row.line, 0});
      }
      batch_.PutAux(kMatchNs, key, Explanation(id, o, "new", false));
      if (o.decision == MatchDecision::kPossible) {
        review = true;
        batch_.PutAux(kReviewNs, key, Explanation(id, o, "possible", true));
      }
    }
    prior_[key] = Prior{id, merged, review};
  }
  for (QualityCounts* c : {src, grid}) {
    if (c == nullptr) continue;
    if (merged) {
      ++c->matched;
    } else {
      ++c->unresolved;
      if (review) ++c->review;
    }
  }
  return id;
}

Status Loader::Apply(const Mapping& m, SourceId sid, ParsedRow& row, QualityCounts* src,
                     QualityCounts* grid, bool index) {
  std::vector<VertexId>& ids = ids_;
  ids.assign(m.vertices.size(), kNoVertex);
  for (size_t vi = 0; vi < m.vertices.size(); ++vi) {
    ParsedVertex& pv = row.vertices[vi];
    if (!pv.present) continue;
    const VertexMapping& vm = m.vertices[vi];
    VertexId id = pv.resolve ? ResolvePerson(m, sid, row, pv, vm.label, src, grid)
                             : KeyVertex(vm.label, vm.key_kind, pv.key, pv.key_hash);
    ids[vi] = id;
    // Only IndexRow reads the id back, and not in bulk mode: a write would
    // pull the row's line over to this core and back to its parse thread.
    if (options_.mode != IngestMode::kBulk) pv.id = id;
    // The values are copied (encoded) into the batch and left in the row:
    // the parse thread that made them frees them when it reuses the row, so
    // their memory goes back to its own cache instead of crossing threads.
    for (const auto& [prop, value] : pv.props) {
      batch_.SetProperty(Ref(id), prop, value, SourceRef{sid, row.line, 0});
    }
    if (pv.has_match) {
      if (index) {
        index_.Add(id, pv.match, pv.block_keys);
      } else if (options_.mode == IngestMode::kBulk) {
        // Bulk mode resolves its keyless rows only when the load ends: the
        // records are logged (a short append, while the row is in cache),
        // and indexed then as far as those rows need.
        index_.Log(id, pv.match, pv.block_keys);
      }
    }
  }
  if (options_.mode != IngestMode::kBulk) row.applied = true;
  for (size_t ei = 0; ei < m.edges.size(); ++ei) {
    ParsedEdge& pe = row.edges[ei];
    if (!pe.present) continue;
    const EdgeMapping& em = m.edges[ei];
    EdgeSpec e;
    e.type = em.type;
    e.src = Ref(ids[em.from]);
    e.dst = Ref(ids[em.to]);
    e.valid_from = pe.valid_from;
    e.valid_to = pe.valid_to;
    e.source = SourceRef{sid, row.line, 0};
    e.props = std::move(pe.props);
    batch_.AddEdge(std::move(e));
  }
  if (ids[m.subject] != kNoVertex) links_.push_back(RecordLink{sid, row.line, ids[m.subject]});
  for (QualityCounts* c : {src, grid}) {
    if (c != nullptr) ++c->loaded;
  }
  if (batch_row_count_ == 0 || batch_file_ != m.source_name) {
    batch_file_ = m.source_name;
    first_line_ = row.line;
  }
  first_line_ = std::min(first_line_, row.line);
  last_line_ = std::max(last_line_, row.line);
  ++batch_row_count_;
  return Status::OK();
}

QualityCounts* Loader::GridCounts(const std::string& grid) {
  if (grid.empty()) return nullptr;
  auto it = grid_counts_.find(grid);
  if (it != grid_counts_.end()) return it->second;
  QualityCounts* c = &report_->grids[grid];
  grid_counts_.emplace(grid, c);
  return c;
}

void Loader::PrefetchAdd(const ParsedRow& row, int step) const {
  if (step == 0) {
    PrefetchRow(row, 0);  // only its address is known without a wait
    return;
  }
  if (row.rejected) return;
  if (step == 1) {
    seen_.Prefetch(row.hash);
    PrefetchRow(row, 1);
    return;
  }
  if (row.needs_resolution) return;
  for (const ParsedVertex& pv : row.vertices) {
    if (!pv.present) continue;
    if (step == 2) {
      // The edges' property arrays are moved, not read: not fetched here.
      PrefetchLines(pv.props.data(), pv.props.size() * sizeof(pv.props[0]));
      __builtin_prefetch(pv.key.data());
    } else if (step == 3) {
      // The texts the batch copies (long ones live on the heap).
      for (const auto& [prop, value] : pv.props) {
        if (const auto* text = std::get_if<std::string>(&value)) __builtin_prefetch(text->data());
      }
    }
    if (pv.resolve) continue;
    if (step == 2) {
      pending_keys_.Prefetch(pv.key_hash);
    } else if (step == 3) {
      pending_keys_.PrefetchOp(batch_, pv.key_hash);
    } else {
      pending_keys_.PrefetchValue(batch_, pv.key_hash);
    }
  }
}

void Loader::PrefetchIndex(const ParsedRow& row) const {
  if (options_.mode == IngestMode::kBulk || !row.applied) return;  // bulk: Apply logged it
  for (const ParsedVertex& pv : row.vertices) {
    if (pv.present && pv.has_match) index_.Prefetch(pv.block_keys);
  }
}

void Loader::IndexRow(const ParsedRow& row) {
  if (options_.mode == IngestMode::kBulk || !row.applied) return;  // bulk: Apply logged it
  for (const ParsedVertex& pv : row.vertices) {
    if (pv.present && pv.has_match) index_.Add(pv.id, pv.match, pv.block_keys);
  }
}

Status Loader::AddRow(ParsedRow& row) {
  ++rows_;
  QualityCounts* src = &report_->sources[source_index_].counts;
  QualityCounts* grid = GridCounts(row.grid);
  for (QualityCounts* c : {src, grid}) {
    if (c == nullptr) continue;
    ++c->rows;
    c->missing_keys += row.missing_keys;
    c->invalid_keys += row.invalid_keys;
    if (row.has_date && row.date > c->latest) c->latest = row.date;
  }
  if (row.rejected) {
    for (QualityCounts* c : {src, grid}) {
      if (c == nullptr) continue;
      ++c->rejected;
      ++c->rejects_by_reason[row.reject.kind];
    }
    if (options_.rejects != nullptr) CG_RETURN_IF_ERROR(options_.rejects->Write(row.reject));
    return Status::OK();
  }
  if (!seen_.Insert(row.hash)) {
    for (QualityCounts* c : {src, grid}) {
      if (c != nullptr) ++c->duplicates;
    }
  }
  if (row.needs_resolution) {
    deferred_.push_back(Deferred{m_, sid_, source_index_, std::move(row)});
    return Status::OK();
  }
  CG_RETURN_IF_ERROR(Apply(*m_, sid_, row, src, grid, /*index=*/false));
  return MaybeCommit();
}

Status Loader::MaybeCommit() {
  if (batch_row_count_ < batch_rows_) return Status::OK();
  return Commit(false);
}

Status Loader::ResolveDeferred(bool last) {
  const auto start = std::chrono::steady_clock::now();
  const double written = write_seconds_;
  // Keyed rows first, so the index knows their persons. Their ids are already
  // assigned (base_ + position in the pending batch), so a bulk load keeps them
  // in the same batch instead of paying an extra BulkWrite (CSR rebuild);
  // incremental mode commits them first (one atomic batch per file part).
  if (options_.mode != IngestMode::kBulk) CG_RETURN_IF_ERROR(Commit(false));
  if (options_.mode == IngestMode::kBulk) {
    std::vector<const MatchRecord*> probes;
    for (const Deferred& d : deferred_) {
      for (const ParsedVertex& pv : d.row.vertices) {
        if (pv.present && pv.resolve) probes.push_back(&pv.match);
      }
    }
    index_.IndexLogged(probes);
  }
  for (Deferred& d : deferred_) {
    QualityCounts* src = &report_->sources[d.source_index].counts;
    QualityCounts* grid = GridCounts(d.row.grid);
    CG_RETURN_IF_ERROR(Apply(*d.m, d.sid, d.row, src, grid, /*index=*/true));
    if (batch_row_count_ >= batch_rows_) CG_RETURN_IF_ERROR(Commit(true));
  }
  deferred_.clear();
  if (last) {
    // A bulk load's person index and key table take hundreds of MB, and
    // fresh pages are dear (huge_pages.h).
    std::vector<Deferred>().swap(deferred_);
    index_ = PersonIndex();
    pending_keys_ = PendingKeys();
    seen_.Clear();
    prior_ = {};
  }
  resolve_seconds_ += SecondsSince(start) - (write_seconds_ - written);
  return Commit(true);
}

Status Loader::EndSource() {
  if (options_.mode != IngestMode::kIncremental) return Status::OK();
  return ResolveDeferred();
}

Status Loader::Finish() {
  CG_RETURN_IF_ERROR(ResolveDeferred(/*last=*/true));
  snap_.reset();  // the loader may be destroyed after the database
  return Status::OK();
}

Status Loader::Commit(bool resolved_rows) {
  if (batch_.empty() && links_.empty()) {
    batch_row_count_ = 0;
    return Status::OK();
  }
  // Record -> vertex links, one aux value per source in this batch.
  std::map<SourceId, std::vector<RecordLink>> by_source;
  for (const RecordLink& l : links_) by_source[l.source].push_back(l);
  for (auto& [sid, links] : by_source) {
    std::string value;
    value.reserve(links.size() * 8);
    uint32_t first = links.front().line;
    for (const RecordLink& l : links) {
      first = std::min(first, l.line);
      char buf[8];
      for (int i = 0; i < 4; ++i) {
        buf[i] = static_cast<char>(l.line >> (8 * i));
        buf[4 + i] = static_cast<char>(l.vertex >> (8 * i));
      }
      value.append(buf, 8);
    }
    char key[48];
    std::snprintf(key, sizeof(key), "%u:%c%010u", sid, resolved_rows ? 'd' : 'k', first);
    batch_.PutAux(kLinksNs, key, std::move(value));
  }
  // Bulk: the batch is destroyed below anyway, so the database frees its
  // edge and property ops (most of it) mid-write, once it has read them.
  const auto start = std::chrono::steady_clock::now();
  auto result =
      options_.mode == IngestMode::kBulk ? db_->BulkWriteConsuming(&batch_) : db_->Write(batch_);
  write_seconds_ += SecondsSince(start);
  if (!result.ok()) {
    return result.status().WithContext("writing the batch of " + batch_file_ + " lines " +
                                       std::to_string(first_line_) + "-" +
                                       std::to_string(last_line_));
  }
  for (size_t i = 0; i < result->vertex_ids.size(); ++i) {
    if (result->vertex_ids[i] != base_ + i) {
      return Internal("database assigned vertex id " + std::to_string(result->vertex_ids[i]) +
                      " where " + std::to_string(base_ + i) + " was expected");
    }
  }
  if (options_.on_commit) {
    options_.on_commit(BatchAck{result->batch, batch_file_, first_line_, last_line_,
                                batch_row_count_, resolved_rows});
  }
  // Millions of small strings: freed off this thread.
  DestroyLater(std::move(batch_));
  batch_ = WriteBatch(db_->schema());
  pending_keys_.Clear();
  ReserveBatch();
  links_.clear();
  batch_row_count_ = 0;
  first_line_ = last_line_ = 0;
  snap_ = db_->GetSnapshot();
  base_ = static_cast<VertexId>(snap_->num_vertices());
  return Status::OK();
}

}  // namespace citygraph::ingest::internal
