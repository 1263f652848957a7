// Test helper for kill_test: runs an incremental ingest and prints
// "ACK <first_line> <last_line>" after each committed (durable) batch.
// Usage: ingest_kill_helper DB_DIR MAPPING_FILE BATCH_ROWS
#include <cstdio>
#include <cstdlib>
#include <string>

#include "citygraph/graph.h"
#include "citygraph/ingest/ingester.h"
#include "citygraph/ingest/mapping.h"

int main(int argc, char** argv) {
  using namespace citygraph;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DB MAPPING BATCH_ROWS\n", argv[0]);
    return 2;
  }
  auto db = Database::Open(argv[1]);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 1;
  }
  auto m = ingest::LoadMapping(argv[2], *(*db)->schema());
  if (!m.ok()) {
    std::fprintf(stderr, "%s\n", m.status().ToString().c_str());
    return 1;
  }
  ingest::IngestOptions opt;
  opt.mode = ingest::IngestMode::kIncremental;
  opt.batch_rows = std::strtoul(argv[3], nullptr, 10);
  opt.on_commit = [](const ingest::BatchAck& a) {
    std::printf("ACK %u %u\n", a.first_line, a.last_line);
    std::fflush(stdout);
  };
  auto r = ingest::Ingest(db->get(), {*m}, opt);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    return 1;
  }
  std::printf("DONE\n");
  return 0;
}
