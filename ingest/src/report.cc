// Quality report rendering and the reject writer.
#include "citygraph/ingest/report.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

namespace citygraph::ingest {
namespace {

nlohmann::json CountsJson(const QualityCounts& c, Date as_of) {
  nlohmann::json j;
  j["rows"] = c.rows;
  j["loaded"] = c.loaded;
  j["rejected"] = c.rejected;
  j["duplicates"] = c.duplicates;
  j["missing_keys"] = c.missing_keys;
  j["invalid_keys"] = c.invalid_keys;
  j["matched"] = c.matched;
  j["unresolved"] = c.unresolved;
  j["review"] = c.review;
  j["rejects_by_reason"] = c.rejects_by_reason;
  if (c.latest != Date::Min()) {
    j["latest_report"] = c.latest.ToString();
    j["days_since_latest"] = as_of.days - c.latest.days;
  } else {
    j["latest_report"] = nullptr;
    j["days_since_latest"] = nullptr;
  }
  return j;
}

std::string Reasons(const QualityCounts& c) {
  std::string s;
  for (const auto& [k, n] : c.rejects_by_reason) {
    s += (s.empty() ? "" : " ") + k + "=" + std::to_string(n);
  }
  return s;
}

std::string Row(const std::string& name, const QualityCounts& c, Date as_of) {
  char buf[512];
  std::string recency = c.latest == Date::Min() ? "-" : std::to_string(as_of.days - c.latest.days);
  std::snprintf(
      buf, sizeof(buf), "%-44s %9llu %9llu %8llu %6llu %6llu %6llu %7llu %6llu %5s  %s\n",
      name.c_str(), static_cast<unsigned long long>(c.rows),
      static_cast<unsigned long long>(c.loaded), static_cast<unsigned long long>(c.rejected),
      static_cast<unsigned long long>(c.duplicates),
      static_cast<unsigned long long>(c.missing_keys),
      static_cast<unsigned long long>(c.invalid_keys), static_cast<unsigned long long>(c.matched),
      static_cast<unsigned long long>(c.unresolved), recency.c_str(), Reasons(c).c_str());
  return buf;
}

std::string Header(const char* first) {
  char buf[256];
  std::snprintf(buf, sizeof(buf), "%-44s %9s %9s %8s %6s %6s %6s %7s %6s %5s  %s\n", first, "rows",
                "loaded", "rejected", "dups", "nokey", "badkey", "matched", "unres", "days",
                "rejects by reason");
  return buf;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void QualityCounts::Add(const QualityCounts& o) {
  rows += o.rows;
  loaded += o.loaded;
  rejected += o.rejected;
  duplicates += o.duplicates;
  missing_keys += o.missing_keys;
  invalid_keys += o.invalid_keys;
  matched += o.matched;
  unresolved += o.unresolved;
  review += o.review;
  for (const auto& [k, n] : o.rejects_by_reason) rejects_by_reason[k] += n;
  latest = std::max(latest, o.latest);
}

QualityCounts QualityReport::Totals() const {
  QualityCounts t;
  for (const auto& s : sources) t.Add(s.counts);
  return t;
}

Date QualityReport::AsOf() const { return Totals().latest; }

std::string QualityReport::ToJson() const {
  Date as_of = AsOf();
  nlohmann::json j;
  j["mode"] = mode;
  j["seconds"] = seconds;
  nlohmann::json phase_seconds = nlohmann::json::object();
  for (const auto& [name, secs] : phases) phase_seconds[name] = secs;
  j["phases"] = std::move(phase_seconds);
  j["as_of"] = as_of == Date::Min() ? nlohmann::json(nullptr) : nlohmann::json(as_of.ToString());
  j["totals"] = CountsJson(Totals(), as_of);
  nlohmann::json src = nlohmann::json::array();
  for (const auto& s : sources) {
    nlohmann::json e = CountsJson(s.counts, as_of);
    e["source"] = s.source;
    e["department"] = s.department;
    e["file"] = s.file;
    src.push_back(std::move(e));
  }
  j["sources"] = std::move(src);
  nlohmann::json grids = nlohmann::json::array();
  for (const auto& [code, c] : this->grids) {
    nlohmann::json e = CountsJson(c, as_of);
    e["grid"] = code;
    grids.push_back(std::move(e));
  }
  j["grids"] = std::move(grids);
  return j.dump(2);
}

std::string QualityReport::PhasesText() const {
  std::string out;
  char buf[64];
  for (const auto& [name, secs] : phases) {
    std::snprintf(buf, sizeof buf, "%s%s %.1f s", out.empty() ? "" : ", ", name.c_str(), secs);
    out += buf;
  }
  return out;
}

std::string QualityReport::ToTable() const {
  Date as_of = AsOf();
  std::ostringstream out;
  out << "Sources (days = days between the newest report and " << as_of.ToString() << ")\n";
  out << Header("source");
  for (const auto& s : sources) out << Row(s.file, s.counts, as_of);
  if (!grids.empty()) {
    std::vector<std::pair<std::string, QualityCounts>> g(grids.begin(), grids.end());
    std::stable_sort(g.begin(), g.end(), [](const auto& a, const auto& b) {
      return a.second.rejected + a.second.unresolved > b.second.rejected + b.second.unresolved;
    });
    size_t n = std::min<size_t>(20, g.size());
    out << "\nGrid cells: " << grids.size() << " (the " << n
        << " with the most rejected and unresolved rows)\n";
    out << Header("grid");
    for (size_t i = 0; i < n; ++i) out << Row(g[i].first, g[i].second, as_of);
  }
  out << "\n" << Header("") << Row("TOTAL", Totals(), as_of);
  return out.str();
}

RejectWriter::~RejectWriter() { Close().IgnoreError(); }

Status RejectWriter::Open(const std::string& path) {
  CG_RETURN_IF_ERROR(Close());
  f_ = std::fopen(path.c_str(), "w");
  if (f_ == nullptr) return IOError("cannot create reject file " + path);
  path_ = path;
  jsonl_ = path.size() >= 6 && path.compare(path.size() - 6, 6, ".jsonl") == 0;
  if (!jsonl_) std::fputs("file,line,column,raw,kind,reason\n", f_);
  return Status::OK();
}

Status RejectWriter::Write(const Reject& r) {
  if (f_ == nullptr) return FailedPrecondition("reject writer is not open");
  std::string line;
  if (jsonl_) {
    nlohmann::json j = {{"file", r.file}, {"line", r.line}, {"column", r.column},
                        {"raw", r.raw},   {"kind", r.kind}, {"reason", r.reason}};
    line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } else {
    line = CsvField(r.file) + "," + std::to_string(r.line) + "," + CsvField(r.column) + "," +
           CsvField(r.raw) + "," + CsvField(r.kind) + "," + CsvField(r.reason) + "\n";
  }
  if (std::fwrite(line.data(), 1, line.size(), f_) != line.size()) {
    return IOError("cannot write reject file " + path_);
  }
  return Status::OK();
}

Status RejectWriter::Close() {
  if (f_ == nullptr) return Status::OK();
  int rc = std::fclose(f_);
  f_ = nullptr;
  if (rc != 0) return IOError("cannot write reject file " + path_);
  return Status::OK();
}

}  // namespace citygraph::ingest
