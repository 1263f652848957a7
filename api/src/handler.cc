// The call framework (session, matrix, audit, errors) and the session,
// health, stats and audit methods.
#include "handler.h"

#include <ctime>

#include "citygraph/query/context.h"
#include "citygraph_constants.h"
#include "convert.h"

namespace citygraph::api::internal {

Date Today() { return Date{static_cast<int32_t>(std::time(nullptr) / 86400)}; }

std::string DigestOfBytes(std::string_view method, std::string_view bytes) {
  std::string data(method);
  data.push_back('\0');
  data.append(bytes);
  return Sha256Hex(data);
}

namespace {
int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

void Handler::Run(Method method, const std::string& token, const std::string& digest,
                  const std::function<Status(CallContext&)>& body) {
  state_->calls[static_cast<int>(method)].fetch_add(1, std::memory_order_relaxed);
  AuditRecord rec;
  rec.time_micros = NowMicros();
  rec.method = std::string(MethodName(method));
  rec.params_digest = digest;
  CallContext ctx;
  Status st;
  auto session = state_->sessions->Check(token);
  if (!session.ok()) {
    st = session.status();
  } else {
    ctx.session = *session;
    rec.user = session->user;
    rec.role = std::string(RoleName(session->role));
    if (!IsAllowed(session->role, method)) {
      st = PermissionDenied("role " + rec.role + " may not call " + rec.method);
    } else {
      try {
        st = body(ctx);
      } catch (const std::exception& e) {
        st = Internal(std::string("unexpected exception: ") + e.what());
      }
    }
  }
  rec.purpose = ctx.purpose;
  rec.result_count = st.ok() ? ctx.result_count : 0;
  rec.outcome = OutcomeName(st);
  rec.detail = st.ok() ? ctx.detail : (ctx.detail.empty() ? "" : ctx.detail + "; ") + st.message();
  if (rec.detail.size() > 512) rec.detail.resize(512);
  if (ctx.durable_audit && st.ok()) {
    Status a = state_->audit->AppendDurable(std::move(rec));
    if (!a.ok()) throw ToApiError(Internal("audit entry not durable: " + a.message()));
  } else {
    state_->audit->Submit(std::move(rec));
  }
  if (!st.ok()) throw ToApiError(st);
}

void Handler::authenticate(rpc::Session& out, const std::string& user,
                           const std::string& password) {
  state_->calls[static_cast<int>(Method::kAuthenticate)].fetch_add(1, std::memory_order_relaxed);
  AuditRecord rec;
  rec.time_micros = NowMicros();
  rec.method = "authenticate";
  rec.params_digest = DigestOfBytes("authenticate", user);  // never the password
  rec.user = user.size() > 64 ? user.substr(0, 64) : user;
  Status st;
  auto u = state_->users.Authenticate(user, password);
  if (!u.ok()) {
    st = u.status();
  } else {
    SessionInfo info;
    auto token = state_->sessions->Create(u->name, u->role, &info);
    if (!token.ok()) {
      st = token.status();
    } else {
      out.token = *token;
      out.user = u->name;
      out.role = std::string(RoleName(u->role));
      out.expires_at_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(info.expires_at.time_since_epoch())
              .count();
      rec.role = out.role;
      rec.result_count = 1;
    }
  }
  rec.outcome = OutcomeName(st);
  if (!st.ok()) rec.detail = st.message();
  state_->audit->Submit(std::move(rec));
  if (!st.ok()) throw ToApiError(st);
}

void Handler::signout(const std::string& token) {
  Run(Method::kSignout, token, DigestOfBytes("signout", ""),
      [&](CallContext&) { return state_->sessions->Remove(token); });
}

void Handler::health(rpc::Health& out, const std::string& token) {
  Run(Method::kHealth, token, DigestOfBytes("health", ""), [&](CallContext& ctx) {
    out.status = state_->draining.load() ? "draining" : "ok";
    out.version = rpc::g_citygraph_constants.VERSION;
    out.api_version_major = rpc::g_citygraph_constants.API_VERSION_MAJOR;
    out.uptime_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - state_->started)
                        .count();
    out.server_time = Timestamp::Now().ToString();
    ctx.result_count = 1;
    return Status::OK();
  });
}

void Handler::stats(rpc::Stats& out, const std::string& token) {
  Run(Method::kStats, token, DigestOfBytes("stats", ""), [&](CallContext& ctx) {
    DatabaseStats s = state_->db->Stats();
    out.num_vertices = static_cast<int64_t>(s.num_vertices);
    out.num_edges = static_cast<int64_t>(s.num_edges);
    for (const auto& [label, n] : s.vertices_per_label) {
      if (LabelVisible(ctx.session.role, label)) out.vertices_per_label[label] = n;
    }
    for (const auto& [type, n] : s.edges_per_type) out.edges_per_type[type] = n;
    out.memory_bytes = static_cast<int64_t>(s.memory_bytes);
    out.disk_bytes = static_cast<int64_t>(s.disk_bytes);
    for (Method m : AllMethods()) {
      out.calls_per_method[std::string(MethodName(m))] =
          state_->calls[static_cast<int>(m)].load(std::memory_order_relaxed);
    }
    out.active_sessions = static_cast<int64_t>(state_->sessions->Count());
    out.audit_entries = static_cast<int64_t>(state_->audit->size());
    out.uptime_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - state_->started)
                        .count();
    ctx.result_count = 1;
    return Status::OK();
  });
}

void Handler::auditQuery(std::vector<rpc::AuditEntry>& out, const std::string& token,
                         const rpc::AuditQuery& query) {
  Run(Method::kAuditQuery, token, DigestOf("auditQuery", query), [&](CallContext& ctx) {
    if (query.limit < 0 || query.limit > 100'000) {
      return ResourceExhausted("audit limit must be within 0..100000");
    }
    CG_RETURN_IF_ERROR(state_->audit->Flush());
    CG_ASSIGN_OR_RETURN(auto entries,
                        ReadAudit(*state_->audit_store, query.__isset.user ? query.user : "",
                                  query.__isset.method ? query.method : "",
                                  static_cast<uint64_t>(std::max<int64_t>(query.from_seq, 0)),
                                  static_cast<size_t>(query.limit)));
    for (const AuditEntry& e : entries) {
      rpc::AuditEntry r;
      r.seq = static_cast<int64_t>(e.seq);
      r.time = Timestamp{e.record.time_micros}.ToString();
      r.user = e.record.user;
      r.role = e.record.role;
      r.method = e.record.method;
      r.purpose = e.record.purpose;
      r.params_digest = e.record.params_digest;
      r.result_count = e.record.result_count;
      r.outcome = e.record.outcome;
      r.detail = e.record.detail;
      r.prev_hash = e.prev_hash;
      r.hash = e.hash;
      out.push_back(std::move(r));
    }
    ctx.result_count = static_cast<int64_t>(out.size());
    return Status::OK();
  });
}

void Handler::auditVerify(rpc::AuditVerifyResult& out, const std::string& token) {
  Run(Method::kAuditVerify, token, DigestOfBytes("auditVerify", ""), [&](CallContext& ctx) {
    CG_RETURN_IF_ERROR(state_->audit->Flush());
    CG_ASSIGN_OR_RETURN(AuditVerifyReport report, VerifyAudit(*state_->audit_store));
    out.ok = report.ok();
    out.entries = static_cast<int64_t>(report.entries);
    out.problems = report.problems;
    out.head_hash = report.head_hash;
    ctx.result_count = out.entries;
    return Status::OK();
  });
}

query::Limits Handler::LimitsFor(const rpc::RequestOptions* options) const {
  const ServerOptions& o = state_->options;
  query::Limits limits;
  int deadline = o.default_deadline_ms;
  int rows = o.default_max_rows;
  if (options != nullptr && options->__isset.deadline_ms && options->deadline_ms > 0) {
    deadline = std::min(options->deadline_ms, o.max_deadline_ms);
  }
  if (options != nullptr && options->__isset.max_rows && options->max_rows > 0) {
    rows = std::min(options->max_rows, o.max_rows);
  }
  limits.timeout = std::chrono::milliseconds(deadline);
  limits.max_rows = static_cast<size_t>(rows);
  return limits;
}

StatusOr<std::optional<Date>> Handler::AsOfFor(const rpc::RequestOptions* options) const {
  if (options == nullptr || !options->__isset.as_of || options->as_of.empty()) {
    return std::optional<Date>(Today());
  }
  auto d = Date::Parse(options->as_of);
  if (!d.ok()) return d.status().WithContext("options.as_of");
  return std::optional<Date>(*d);
}

StatusOr<VertexId> Handler::Resolve(const Snapshot& snap, const rpc::EntityRef& ref,
                                    Role role) const {
  VertexId v = kNoVertex;
  if (ref.__isset.id) {
    if (ref.id < 0 || static_cast<uint64_t>(ref.id) >= snap.num_vertices()) {
      return NotFound("no vertex with id " + std::to_string(ref.id));
    }
    v = static_cast<VertexId>(ref.id);
  } else if (ref.__isset.key && !ref.key.empty()) {
    std::string spec = ref.__isset.kind && !ref.kind.empty() ? ref.kind + ":" + ref.key : ref.key;
    CG_ASSIGN_OR_RETURN(v, query::ResolveKey(snap, spec));
  } else {
    return InvalidArgument("entity reference needs an id or a key");
  }
  const std::string& label = snap.schema().labels()[snap.label(v)].name;
  if (!LabelVisible(role, label)) {
    return PermissionDenied("role " + std::string(RoleName(role)) + " may not see " + label +
                            " vertices");
  }
  return v;
}

std::vector<std::string> Handler::VisibleLabels(const Schema& schema, Role role,
                                                const std::vector<std::string>& requested) const {
  std::vector<std::string> out;
  if (requested.empty()) {
    if (role == Role::kAdmin || role == Role::kInvestigator) return out;  // all
    for (const auto& l : schema.labels()) {
      if (LabelVisible(role, l.name)) out.push_back(l.name);
    }
    return out;
  }
  for (const auto& l : requested) {
    if (LabelVisible(role, l)) out.push_back(l);
  }
  return out;  // empty for a non-empty request: the caller refuses
}

}  // namespace citygraph::api::internal
