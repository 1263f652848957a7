// Ingest orchestration: check every file, then per file a oneTBB pipeline
// (split -> parse/normalise in parallel -> resolve/write in order -> person
// index in order, one chunk behind).
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
// Rows between a serial stage's prefetch hint for a row and its use.
constexpr size_t kAhead = 8;

struct Chunk {
  size_t begin = 0, end = 0;
  std::vector<internal::ParsedRow> rows;
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

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
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

  // 3. Load file by file.
  for (size_t fi = 0; fi < mappings.size(); ++fi) {
    const Mapping& m = mappings[fi];
    std::unique_ptr<SourceFile> file = std::move(files[fi]);
    internal::RowParser parser(m, *file);
    CG_RETURN_IF_ERROR(loader.BeginSource(&m, sids[fi], fi));
    const auto& records = file->records();
    size_t next = 0;
    Status error;
    std::atomic<bool> failed{false};
    try {
      tbb::parallel_pipeline(
          8, tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order,
                                            [&](tbb::flow_control& fc) -> Chunk* {
                                              if (next >= records.size() || failed.load()) {
                                                fc.stop();
                                                return nullptr;
                                              }
                                              Chunk* c = pool.Take().release();
                                              c->begin = next;
                                              c->end = std::min(records.size(), next + kChunkRows);
                                              next = c->end;
                                              return c;
                                            }) &
                 tbb::make_filter<Chunk*, Chunk*>(tbb::filter_mode::parallel,
                                                  [&](Chunk* c) {
                                                    c->rows.resize(c->end - c->begin);
                                                    for (size_t i = c->begin; i < c->end; ++i) {
                                                      parser.Parse(records[i],
                                                                   &c->rows[i - c->begin]);
                                                    }
                                                    return c;
                                                  }) &
                 tbb::make_filter<Chunk*, Chunk*>(
                     tbb::filter_mode::serial_in_order,
                     [&](Chunk* c) {
                       if (failed.load()) return c;
                       auto& rows = c->rows;
                       for (size_t i = 0; i < rows.size(); ++i) {
                         if (i + kAhead < rows.size()) loader.PrefetchAdd(rows[i + kAhead]);
                         Status s = loader.AddRow(rows[i]);
                         if (!s.ok()) {
                           error = s;
                           failed.store(true);
                           return c;
                         }
                       }
                       if (options.on_progress && Since(last_progress) > 0.5) {
                         last_progress = Clock::now();
                         IngestProgress p = progress;
                         p.rows = loader.rows();
                         p.bytes_done +=
                             file->size_bytes() * c->end / std::max<size_t>(1, records.size());
                         p.seconds = Since(start);
                         options.on_progress(p);
                       }
                       return c;
                     }) &
                 // The person index is filled one chunk behind, on whichever
                 // thread is free, so the two serial stages overlap.
                 tbb::make_filter<Chunk*, void>(tbb::filter_mode::serial_in_order, [&](Chunk* c) {
                   std::unique_ptr<Chunk> owned(c);
                   if (failed.load()) return;
                   const auto& rows = c->rows;
                   for (size_t i = 0; i < rows.size(); ++i) {
                     if (i + kAhead < rows.size()) loader.PrefetchIndex(rows[i + kAhead]);
                     loader.IndexRow(rows[i]);
                   }
                   pool.Give(std::move(owned));
                 }));
    } catch (const std::exception& e) {
      return Internal(std::string("ingest pipeline of ") + m.file + ": " + e.what());
    }
    CG_RETURN_IF_ERROR(error);
    CG_RETURN_IF_ERROR(loader.EndSource());
    progress.files_done = fi + 1;
    progress.bytes_done += file->size_bytes();
    if (options.on_progress) {
      IngestProgress p = progress;
      p.rows = loader.rows();
      p.seconds = Since(start);
      options.on_progress(p);
    }
  }
  CG_RETURN_IF_ERROR(loader.Finish());
  // The loader's tables and the pooled rows hold millions of small
  // allocations: freed in the background, not on the caller's time.
  internal::DestroyLater(std::move(loader_owner));
  internal::DestroyLater(std::move(pool_owner));
  report.seconds = Since(start);
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
