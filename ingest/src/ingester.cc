// Ingest orchestration: check every file, then a oneTBB pipeline over the
// files (split -> parse/normalise in parallel -> resolve/write in order ->
// person index in order, one chunk behind).
#include "citygraph/ingest/ingester.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>

#include "citygraph/ingest/source_file.h"
#include "loader.h"
#include "reclaim.h"
#include "row_parser.h"

namespace citygraph::ingest {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kChunkRows = 2048;
// Rows between a serial stage's prefetch hint for a row and its use; the
// loader's rows take five hints (Loader::PrefetchAdd), each needing the one
// before.
constexpr size_t kAhead = 8;
constexpr size_t kAheadSteps[] = {32, 24, 16, 8, 4};
// The parse stage's hints (PrefetchRow's steps) before it resets a row.
constexpr size_t kParseAhead[] = {6, 4, 2};

struct Chunk {
  size_t file = 0;            // index into the run's files
  size_t begin = 0, end = 0;  // its records [begin, end)
  bool last_of_file = false;
  // rows[0, end - begin) are this chunk's; rows past them are kept from a
  // larger chunk before (their capacity reused), not destroyed.
  std::vector<internal::ParsedRow> rows;
  size_t size() const { return end - begin; }
};

// Chunks handed back by the last stage and taken again by the first, so
// parsed rows keep their vectors' and strings' capacity from chunk to chunk
// (and file to file) instead of being allocated and freed for every row.
class ChunkPool {
 public:
  std::unique_ptr<Chunk> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty()) return std::make_unique<Chunk>();
    std::unique_ptr<Chunk> c = std::move(free_.back());
    free_.pop_back();
    return c;
  }
  void Give(std::unique_ptr<Chunk> c) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(c));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Chunk>> free_;
};

// The parse stage: fills c->rows from its records. Rows are reused, and
// the last stage to read them ran on another core: each row is fetched for
// writing a few rows before it is reset (kParseAhead).
void ParseChunk(const SourceFile& file, const internal::RowParser& parser, Chunk* c) {
  const auto& records = file.records();
  auto& rows = c->rows;
  const size_t n = c->size();
  if (rows.size() < n) rows.resize(n);
  for (size_t k = 0; k < n; ++k) {
    for (int step = 0; step < 3; ++step) {
      const size_t a = k + kParseAhead[step];
      if (a < n) internal::PrefetchRow(rows[a], step, internal::Intent::kWrite);
    }
    parser.Parse(records[c->begin + k], &rows[k]);
  }
}

}  // namespace

StatusOr<QualityReport> Ingest(Database* db, const std::vector<Mapping>& mappings,
                               const IngestOptions& options) {
  const auto start = Clock::now();
  QualityReport report;
  report.mode = options.mode == IngestMode::kBulk ? "bulk" : "incremental";

  // 1. Check every file before loading anything.
  // The checked files are kept (decoded and split) for loading, so each file
  // is read and decoded once; each is released once its rows are loaded.
  IngestProgress progress;
  progress.files_total = mappings.size();
  // Files are opened in parallel; the first failure in mapping order is
  // reported, so the error does not depend on scheduling.
  std::vector<std::unique_ptr<SourceFile>> files(mappings.size());
  std::vector<Status> open_status(mappings.size());
  try {
    tbb::parallel_for(size_t{0}, mappings.size(), [&](size_t i) {
      auto file = SourceFile::Open(mappings[i]);
      if (file.ok()) {
        files[i] = std::move(file).value();
      } else {
        open_status[i] = file.status();
      }
    });
  } catch (const std::exception& e) {
    return Internal(std::string("opening the data files: ") + e.what());
  }
  for (size_t i = 0; i < mappings.size(); ++i) {
    CG_RETURN_IF_ERROR(open_status[i]);
    progress.bytes_total += files[i]->size_bytes();
  }
  const double check_seconds = internal::SecondsSince(start);

  // 2. Register sources.
  std::vector<SourceId> sids;
  for (const Mapping& m : mappings) {
    CG_ASSIGN_OR_RETURN(SourceId sid, db->RegisterSource(m.department, m.source_name));
    sids.push_back(sid);
    report.sources.push_back(SourceQuality{sid, m.department, m.source_name, {}});
  }

  auto pool_owner = std::make_unique<ChunkPool>();
  auto loader_owner = std::make_unique<internal::Loader>(db, options, &report);
  ChunkPool& pool = *pool_owner;
  internal::Loader& loader = *loader_owner;
  CG_RETURN_IF_ERROR(loader.Init());
  {
    std::vector<const Mapping*> ms;
    std::vector<size_t> rows;
    for (size_t i = 0; i < mappings.size(); ++i) {
      ms.push_back(&mappings[i]);
      rows.push_back(files[i]->records().size());
    }
    loader.ExpectRows(ms, rows);
  }
  auto last_progress = Clock::now();

  // 3. Load. One pipeline runs over a group of files: all of them in bulk
  // mode, so the small files (a day's grid reports are a few hundred rows,
  // less than a chunk) overlap instead of each draining the pipeline; one
  // file at a time in incremental mode, where EndSource resolves against the
  // person index, which the last stage fills one chunk behind.
  std::vector<uint64_t> file_bytes(files.size());
  std::vector<size_t> files_rows(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    file_bytes[i] = files[i]->size_bytes();
    files_rows[i] = files[i]->records().size();
  }
  std::vector<std::unique_ptr<internal::RowParser>> parsers(files.size());
  const size_t group = options.mode == IngestMode::kIncremental ? 1 : files.size();
  for (size_t first = 0; first < files.size(); first += group) {
    const size_t last = std::min(files.size(), first + group);
    size_t next_file = first, next_row = 0;
    size_t current = SIZE_MAX;  // the loader's current source
    Status error;
    std::atomic<bool> failed{false};
    auto fail = [&](Status s) {
      error = std::move(s);
      failed.store(true);
    };
    try {
      tbb::parallel_pipeline(
          8,
          // Splits the files into chunks, in order; a file without records
          // still gets one (empty) chunk, so the loader begins and ends it.
          tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order,
                                         [&](tbb::flow_control& fc) -> Chunk* {
                                           if (next_file >= last || failed.load()) {
                                             fc.stop();
                                             return nullptr;
                                           }
                                           if (next_row == 0) {
                                             parsers[next_file] =
                                                 std::make_unique<internal::RowParser>(
                                                     mappings[next_file], *files[next_file]);
                                           }
                                           const size_t n = files[next_file]->records().size();
                                           Chunk* c = pool.Take().release();
                                           c->file = next_file;
                                           c->begin = next_row;
                                           c->end = std::min(n, next_row + kChunkRows);
                                           c->last_of_file = c->end == n;
                                           next_row = c->end;
                                           if (c->last_of_file) {
                                             ++next_file;
                                             next_row = 0;
                                           }
                                           return c;
                                         }) &
              tbb::make_filter<Chunk*, Chunk*>(tbb::filter_mode::parallel,
                                               [&](Chunk* c) {
                                                 ParseChunk(*files[c->file], *parsers[c->file], c);
                                                 return c;
                                               }) &
              tbb::make_filter<Chunk*, Chunk*>(
                  tbb::filter_mode::serial_in_order,
                  [&](Chunk* c) {
                    if (failed.load()) return c;
                    if (c->file != current) {
                      if (current != SIZE_MAX) {
                        if (Status s = loader.EndSource(); !s.ok()) {
                          fail(s);
                          return c;
                        }
                      }
                      current = c->file;
                      Status s = loader.BeginSource(&mappings[current], sids[current], current);
                      if (!s.ok()) {
                        fail(s);
                        return c;
                      }
                    }
                    auto& rows = c->rows;
                    for (size_t i = 0; i < c->size(); ++i) {
                      for (int step = 0; step < 5; ++step) {
                        const size_t ahead = i + kAheadSteps[step];
                        if (ahead < c->size()) loader.PrefetchAdd(rows[ahead], step);
                      }
                      Status s = loader.AddRow(rows[i]);
                      if (!s.ok()) {
                        fail(s);
                        return c;
                      }
                    }
                    if (c->last_of_file) {
                      progress.files_done = c->file + 1;
                      progress.bytes_done += file_bytes[c->file];
                    }
                    if (options.on_progress &&
                        (c->last_of_file || internal::SecondsSince(last_progress) > 0.5)) {
                      last_progress = Clock::now();
                      IngestProgress p = progress;
                      p.rows = loader.rows();
                      if (!c->last_of_file) {
                        const size_t n = std::max<size_t>(1, files_rows[c->file]);
                        p.bytes_done += file_bytes[c->file] * c->end / n;
                      }
                      p.seconds = internal::SecondsSince(start);
                      options.on_progress(p);
                    }
                    return c;
                  }) &
              // The person index is filled one chunk behind, on whichever
              // thread is free, so the two serial stages overlap. A file's
              // memory is released after its last chunk.
              tbb::make_filter<Chunk*, void>(tbb::filter_mode::serial_in_order, [&](Chunk* c) {
                std::unique_ptr<Chunk> owned(c);
                if (!failed.load()) {
                  const auto& rows = c->rows;
                  for (size_t i = 0; i < c->size(); ++i) {
                    if (i + kAhead < c->size()) loader.PrefetchIndex(rows[i + kAhead]);
                    loader.IndexRow(rows[i]);
                  }
                }
                if (c->last_of_file) {
                  parsers[c->file].reset();
                  files[c->file].reset();
                }
                pool.Give(std::move(owned));
              }));
    } catch (const std::exception& e) {
      const size_t at = current == SIZE_MAX ? first : current;
      return Internal(std::string("ingest pipeline of ") + mappings[at].file + ": " + e.what());
    }
    CG_RETURN_IF_ERROR(error);
    if (current != SIZE_MAX) CG_RETURN_IF_ERROR(loader.EndSource());
  }
  // The pooled rows and the loader's tables hold millions of small
  // allocations: freed in the background, not on the caller's time. The
  // rows go before the final commit, which can then reuse their memory.
  internal::DestroyLater(std::move(pool_owner));
  CG_RETURN_IF_ERROR(loader.Finish());
  report.seconds = internal::SecondsSince(start);
  const double resolve = loader.resolve_seconds(), write = loader.write_seconds();
  report.phases = {{"check", check_seconds},
                   {"load", report.seconds - check_seconds - resolve - write},
                   {"resolve", resolve},
                   {"write", write}};
  internal::DestroyLater(std::move(loader_owner));
  return report;
}

StatusOr<std::vector<RecordLink>> ReadLinks(const Database& db) {
  CG_ASSIGN_OR_RETURN(auto entries, db.ScanAux("ingest.links", ""));
  std::vector<RecordLink> out;
  for (const auto& [key, value] : entries) {
    size_t colon = key.find(':');
    if (colon == std::string::npos || value.size() % 8 != 0) {
      return Corruption("aux ingest.links " + key + " does not decode");
    }
    SourceId sid = static_cast<SourceId>(std::stoul(key.substr(0, colon)));
    for (size_t i = 0; i < value.size(); i += 8) {
      uint32_t line = 0, vertex = 0;
      for (int b = 0; b < 4; ++b) {
        line |= static_cast<uint32_t>(static_cast<unsigned char>(value[i + b])) << (8 * b);
        vertex |= static_cast<uint32_t>(static_cast<unsigned char>(value[i + 4 + b])) << (8 * b);
      }
      out.push_back(RecordLink{sid, line, vertex});
    }
  }
  return out;
}

}  // namespace citygraph::ingest
