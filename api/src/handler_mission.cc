// Mission queries: locate (with purpose binding) and paged conflicts.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <span>

#include "citygraph/api/purpose.h"
#include "citygraph/ingest/encoding.h"
#include "citygraph/query/context.h"
#include "convert.h"
#include "handler.h"

namespace citygraph::api::internal {
namespace {

const rpc::RequestOptions* Opts(const auto& req) {
  return req.__isset.options ? &req.options : nullptr;
}

std::string Hex(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

StatusOr<std::string> Unhex(std::string_view s) {
  if (s.size() % 2 != 0) return InvalidArgument("malformed cursor");
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = nib(s[i]), lo = nib(s[i + 1]);
    if (hi < 0 || lo < 0) return InvalidArgument("malformed cursor");
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

void Handler::locate(rpc::LocateResponse& out, const std::string& token,
                     const rpc::LocateRequest& req) {
  Run(Method::kLocate, token, DigestOf("locate", req),
      [&](CallContext& ctx) { return DoLocate(ctx, req, out); });
}

Status Handler::DoLocate(CallContext& ctx, const rpc::LocateRequest& req,
                         rpc::LocateResponse& out) {
  if (req.__isset.purpose) ctx.purpose = req.purpose.case_no;
  if (req.ids.size() > static_cast<size_t>(state_->options.max_locate_batch)) {
    return ResourceExhausted("locate batch of " + std::to_string(req.ids.size()) +
                             " numbers exceeds the maximum of " +
                             std::to_string(state_->options.max_locate_batch));
  }
  // Answers echo each number; Thrift strings are UTF-8, and a client decoding
  // the answer would fail on anything else.
  for (size_t i = 0; i < req.ids.size(); ++i) {
    if (auto utf8 = ingest::ToUtf8(req.ids[i], "UTF-8"); !utf8.ok())
      return InvalidArgument("ids[" + std::to_string(i) +
                             "] is not UTF-8: " + utf8.status().message());
  }
  auto qc = query::QueryContext::FromDatabase(*state_->db);
  const Snapshot& snap = qc.snap();
  CG_ASSIGN_OR_RETURN(auto as_of, AsOfFor(Opts(req)));
  query::Limits limits = LimitsFor(Opts(req));
  limits.max_rows = std::max(limits.max_rows, req.ids.size());

  std::optional<CourtPurpose> purpose;
  if (LocateNeedsPurpose(ctx.session.role)) {
    if (!req.__isset.purpose || req.purpose.case_no.empty()) {
      return PermissionDenied("a court locate must name its execution case (purpose.case_no)");
    }
    CG_ASSIGN_OR_RETURN(purpose, ResolveCourtPurpose(snap, req.purpose.case_no, Today()));
  }
  out.results.resize(req.ids.size());
  std::vector<std::string> asked;
  std::vector<size_t> where;
  int64_t refused = 0;
  auto id_kind = snap.schema().FindKeyKind("id_number");
  for (size_t i = 0; i < req.ids.size() && purpose; ++i) {
    rpc::LocateResult& r = out.results[i];
    r.input = req.ids[i];
    auto norm = query::NormalizeKey("id_number", req.ids[i]);
    if (!norm.ok()) {
      r.status = rpc::LocateStatus::INVALID_ID;
      r.message = norm.status().message();
      continue;
    }
    r.normalized = *norm;
    auto v = id_kind.ok() ? snap.FindByKey(*id_kind, *norm) : StatusOr<VertexId>(id_kind.status());
    if (!v.ok() || !purpose->debtors.count(*v)) {
      r.status = rpc::LocateStatus::REFUSED;
      r.message = "not a debtor of case " + purpose->case_no;
      ++refused;
      continue;
    }
    asked.push_back(req.ids[i]);
    where.push_back(i);
  }
  // Without a purpose every number is asked, in order: no copy of the list.
  std::span<const std::string> ask = purpose ? std::span<const std::string>(asked) : req.ids;
  CG_ASSIGN_OR_RETURN(query::LocateResult located,
                      query::Locate(qc, ask, as_of.value_or(Today()), state_->ranking, limits,
                                    {.household_evidence = false}));  // members sent bare
  // Numbers asked but cut by a limit keep this marker; answered rows replace
  // it through their position in `ask`.
  for (size_t j = 0; j < ask.size(); ++j) {
    rpc::LocateResult& r = out.results[purpose ? where[j] : j];
    r.input = ask[j];
    r.status = rpc::LocateStatus::NOT_ANSWERED;
    r.message = "not looked up: " + located.truncation.detail;
  }
  int64_t found = 0;
  for (const query::LocateRow& row : located.rows) {
    if (row.position >= ask.size()) return Internal("locate returned a row for no input");
    if (row.status == query::LocateStatus::kFound) ++found;
  }
  // Rows go to distinct slots: convert them, and free what is left of each,
  // in parallel (a large batch is thousands of evidenced rows).
  tbb::parallel_for(size_t{0}, located.rows.size(), [&](size_t i) {
    query::LocateRow& row = located.rows[i];
    const size_t pos = row.position;
    out.results[purpose ? where[pos] : pos] = ToLocateResult(std::move(row));
    row = query::LocateRow();
  });
  out.truncation = ToTruncation(located.truncation);
  ctx.result_count = found;
  ctx.detail = "asked=" + std::to_string(req.ids.size()) + " found=" + std::to_string(found);
  if (purpose) ctx.detail += " refused=" + std::to_string(refused);
  return Status::OK();
}

void Handler::conflicts(rpc::ConflictsPage& out, const std::string& token,
                        const rpc::ConflictsRequest& req) {
  Run(Method::kConflicts, token, DigestOf("conflicts", req),
      [&](CallContext& ctx) { return DoConflicts(ctx, req, out); });
}

Status Handler::DoConflicts(CallContext& ctx, const rpc::ConflictsRequest& req,
                            rpc::ConflictsPage& out) {
  if (req.page_size <= 0) return InvalidArgument("page_size must be positive");
  if (req.page_size > state_->options.max_conflicts_page) {
    return ResourceExhausted("page_size " + std::to_string(req.page_size) +
                             " exceeds the maximum of " +
                             std::to_string(state_->options.max_conflicts_page));
  }
  query::ConflictRules rules = state_->rules;
  std::string rules_text;
  if (req.__isset.rules_yaml && !req.rules_yaml.empty()) {
    if (ctx.session.role != Role::kAdmin) {
      return PermissionDenied("only admin may run conflicts with custom rules");
    }
    CG_ASSIGN_OR_RETURN(rules, query::ConflictRules::Parse(req.rules_yaml, "rules_yaml"));
    rules_text = req.rules_yaml;
  }
  if (!req.program.empty()) rules.program = req.program;
  Date as_of = Today();
  if (!req.as_of.empty()) {
    auto d = Date::Parse(req.as_of);
    if (!d.ok()) return d.status().WithContext("as_of");
    as_of = *d;
  }
  std::string after;
  if (!req.cursor.empty()) {
    CG_ASSIGN_OR_RETURN(after, Unhex(req.cursor));
  }
  auto qc = query::QueryContext::FromDatabase(*state_->db);
  std::string key = std::to_string(state_->data_version.load()) + "|" + as_of.ToString() + "|" +
                    rules.program + "|" + Sha256Hex(rules_text);
  std::shared_ptr<const query::ConflictReport> report;
  {
    std::lock_guard lock(state_->conflicts_mu);
    if (state_->conflicts_cache_key == key) report = state_->conflicts_cache;
  }
  if (!report) {
    query::Limits limits = LimitsFor(Opts(req));
    limits.max_rows = std::numeric_limits<size_t>::max();
    CG_ASSIGN_OR_RETURN(query::ConflictReport r, query::FindConflicts(qc, rules, as_of, limits));
    report = std::make_shared<const query::ConflictReport>(std::move(r));
    if (!report->truncation.truncated) {
      std::lock_guard lock(state_->conflicts_mu);
      state_->conflicts_cache = report;
      state_->conflicts_cache_key = key;
    }
  }
  const auto& hh = report->households;
  size_t start = 0;
  if (!after.empty()) {
    start = hh.size();
    for (size_t i = 0; i < hh.size(); ++i) {
      if (hh[i].household.key > after) {
        start = i;
        break;
      }
    }
  }
  size_t end = std::min(hh.size(), start + static_cast<size_t>(req.page_size));
  for (size_t i = start; i < end; ++i) out.households.push_back(ToHouseholdConflict(hh[i]));
  out.next_cursor = end < hh.size() && end > 0 ? Hex(hh[end - 1].household.key) : "";
  out.total = static_cast<int64_t>(hh.size());
  out.truncation = ToTruncation(report->truncation);
  ctx.purpose = "program " + rules.program + " as of " + as_of.ToString();
  ctx.result_count = static_cast<int64_t>(out.households.size());
  return Status::OK();
}

void Handler::upsert(rpc::UpsertResult& out, const std::string& token,
                     const rpc::UpsertRequest& req) {
  Run(Method::kUpsert, token, DigestOf("upsert", req),
      [&](CallContext& ctx) { return DoUpsert(ctx, req, out); });
}

void Handler::runAlgorithm(rpc::AlgorithmResult& out, const std::string& token,
                           const rpc::AlgorithmRequest& req) {
  Run(Method::kRunAlgorithm, token, DigestOf("runAlgorithm", req),
      [&](CallContext& ctx) { return DoAlgorithm(ctx, req, out); });
}

}  // namespace citygraph::api::internal
