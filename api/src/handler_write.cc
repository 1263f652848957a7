// upsert: a batch of records through a named ingest mapping.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "citygraph/ingest/ingester.h"
#include "citygraph/ingest/mapping.h"
#include "citygraph/ingest/report.h"
#include "convert.h"
#include "handler.h"

namespace citygraph::api::internal {
namespace {

namespace fs = std::filesystem;

bool SafeName(const std::string& s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return s[0] != '.';
}

// Removes its directory on destruction.
struct TempDir {
  fs::path path;
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

}  // namespace

Status Handler::DoUpsert(CallContext& ctx, const rpc::UpsertRequest& req, rpc::UpsertResult& out) {
  ctx.durable_audit = true;
  ctx.purpose = "mapping " + req.mapping;
  if (req.records.size() > static_cast<size_t>(state_->options.max_upsert_records)) {
    return ResourceExhausted("upsert batch of " + std::to_string(req.records.size()) +
                             " records exceeds the maximum of " +
                             std::to_string(state_->options.max_upsert_records));
  }
  if (state_->options.mappings_dir.empty()) {
    return FailedPrecondition("this server has no --mappings directory: upsert is disabled");
  }
  if (!SafeName(req.mapping)) return InvalidArgument("invalid mapping name '" + req.mapping + "'");
  std::string source_file = req.source_file.empty() ? "upsert.csv" : req.source_file;
  if (!SafeName(source_file)) {
    return InvalidArgument("invalid source_file '" + source_file + "' (a plain file name)");
  }
  for (const std::string& r : req.records) {
    if (r.find('\n') != std::string::npos || r.find('\r') != std::string::npos) {
      return InvalidArgument("a record must be one line (no line breaks)");
    }
  }
  fs::path mapping_path = fs::path(state_->options.mappings_dir) / (req.mapping + ".yaml");
  if (!fs::exists(mapping_path)) return NotFound("no mapping named '" + req.mapping + "'");
  CG_ASSIGN_OR_RETURN(ingest::Mapping mapping,
                      ingest::LoadMapping(mapping_path.string(), *state_->db->schema()));
  if (mapping.header && (!req.__isset.header || req.header.empty())) {
    return InvalidArgument("mapping '" + req.mapping + "' expects a header line (header)");
  }
  if (req.records.empty()) return Status::OK();

  // One upsert at a time: the ingest library runs one Ingest per database.
  static std::mutex upsert_mu;
  static std::atomic<uint64_t> counter{0};
  std::lock_guard lock(upsert_mu);
  TempDir dir;
  dir.path = fs::temp_directory_path() /
             ("citygraph-upsert-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::error_code ec;
  fs::create_directories(dir.path, ec);
  if (ec) return IOError("cannot create " + dir.path.string() + ": " + ec.message());
  fs::path data = dir.path / source_file;
  {
    std::ofstream f(data, std::ios::binary);
    if (mapping.header) f << req.header << "\n";
    for (const std::string& r : req.records) f << r << "\n";
    if (!f) return IOError("cannot write " + data.string());
  }
  mapping.file = data.string();
  mapping.source_name = "upsert/" + req.mapping + "/" + source_file;
  mapping.encoding = "UTF-8";  // Thrift strings are UTF-8 whatever the department file uses

  ingest::RejectWriter rejects;
  fs::path rejects_path = dir.path / "rejects.jsonl";
  CG_RETURN_IF_ERROR(rejects.Open(rejects_path.string()));
  ingest::IngestOptions opt;
  opt.mode = ingest::IngestMode::kIncremental;
  opt.batch_rows = req.records.size() + 1;  // one atomic batch for the keyed rows
  opt.rejects = &rejects;
  BatchId last_batch = 0;
  opt.on_commit = [&](const ingest::BatchAck& a) { last_batch = std::max(last_batch, a.batch); };
  auto before = state_->db->GetSnapshot();
  size_t v0 = before->num_vertices(), e0 = before->num_edges();
  auto report = ingest::Ingest(state_->db, {mapping}, opt);
  state_->data_version.fetch_add(1);
  Status closed = rejects.Close();
  if (!report.ok()) return report.status();
  CG_RETURN_IF_ERROR(closed);
  ingest::QualityCounts totals = report->Totals();
  out.accepted = static_cast<int64_t>(totals.loaded);
  out.rejected = static_cast<int64_t>(totals.rejected);
  out.batch = last_batch;
  auto after = state_->db->GetSnapshot();
  out.vertices_added = static_cast<int64_t>(after->num_vertices() - v0);
  out.edges_added = static_cast<int64_t>(after->num_edges() - e0);
  std::ifstream rf(rejects_path);
  std::string line;
  while (std::getline(rf, line) && out.rejects.size() < 1000) {
    try {
      auto j = nlohmann::json::parse(line);
      rpc::Reject r;
      // Line 1 of the temp file is the header when the mapping has one.
      int64_t file_line = j.value("line", 0);
      r.line = mapping.header ? file_line - 1 : file_line;
      r.column = j.value("column", "");
      r.value = j.value("raw", "");
      r.reason = j.value("reason", "");
      out.rejects.push_back(std::move(r));
    } catch (const nlohmann::json::exception&) {
      // A reject line that does not parse is skipped; the count above stays right.
    }
  }
  ctx.result_count = out.accepted;
  ctx.detail = "accepted=" + std::to_string(out.accepted) +
               " rejected=" + std::to_string(out.rejected) + " batch=" + std::to_string(out.batch);
  return Status::OK();
}

}  // namespace citygraph::api::internal
