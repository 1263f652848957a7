// CityGraph service IDL.
//
// One Thrift service over TCP: TFramedTransport + TBinaryProtocol (optional
// TLS). C++ and Python bindings are generated from this file at build time
// (build/api/gen-cpp, build/gen-py); generated code is never committed.
//
// Versioning: VERSION follows semantic versioning and is returned by
// health(). Fields and methods are only ever added (with new field ids),
// never renumbered or removed, within a major version; clients compare the
// major number.
//
// Sessions: authenticate() returns a token; every other method takes it as
// its first argument and fails with UNAUTHENTICATED when it is missing,
// unknown, signed out or expired. What a role may call and which vertex
// labels it may see is the permission matrix in api/README.md; a refused
// call fails with PERMISSION_DENIED. Every call, allowed or refused, is
// written to the hash-chained audit log.
//
// Dates are ISO "YYYY-MM-DD" strings; "" means "today" on input and
// "open-ended" (+inf) on output. Timestamps are ISO 8601 UTC strings.
//
// Entities are referred to by EntityRef: an external key (kind + value, the
// value in any format users paste; it is normalised by the server) or the
// internal id returned by an earlier call.

namespace cpp citygraph.rpc
namespace py citygraph_rpc

const string VERSION = "1.0.0"
const i32 API_VERSION_MAJOR = 1

// ------------------------------------------------------------------ errors

enum ErrorCode {
  NOT_FOUND = 1,          // no such entity / key / case / mapping / entry
  INVALID_ARGUMENT = 2,   // malformed input: bad date, unknown label, bad id
  PERMISSION_DENIED = 3,  // the role or the stated purpose does not allow it
  LIMIT_EXCEEDED = 4,     // batch / page / row limit above the server maximum
  DEADLINE_EXCEEDED = 5,  // the request deadline passed before any answer
  UNAUTHENTICATED = 6,    // no valid session (or wrong user / password)
  INTERNAL = 7,           // a server bug or storage failure
}

exception ApiError {
  1: ErrorCode code,
  2: string message,
}

// ------------------------------------------------------------ common types

// Guardrails of one request. Unset fields take the server defaults; values
// above the server maxima are clamped (deadline, rows) -- see api/README.md.
struct RequestOptions {
  1: optional i32 deadline_ms,   // wall-clock budget of the call on the server
  2: optional i32 max_rows,      // cap on returned rows / paths / vertices
  3: optional string as_of,      // only facts valid on this date count; "" = today
}

struct EntityRef {
  1: optional i64 id,            // internal vertex id
  2: optional string kind,       // key kind: id_number, cert_no, plate, case_no, ...
  3: optional string key,        // key value; with kind omitted, id_number is assumed
}

// Where a fact came from: department, file, record (line) and the ingest
// batch that committed it (recorded_at is that batch's commit time).
struct Source {
  1: string department,
  2: string file,
  3: i64 record,
  4: i64 batch,
  5: string recorded_at,
}

struct Key {
  1: string kind,
  2: string value,
}

struct Entity {
  1: i64 id,
  2: string label,
  3: list<Key> keys,
  4: string display,             // name, address or main key: for humans
}

struct Property {
  1: string name,
  2: string type,                // string, int64, double, bool, date, timestamp
  3: string value,               // rendered (dates ISO)
  4: Source source,
}

struct Edge {
  1: i64 id,
  2: string type,                // OWNS, RESIDES_AT, ...
  3: i64 src,
  4: i64 dst,
  5: string valid_from,          // "" = since before records began
  6: string valid_to,            // "" = still holds
  7: Source source,
  8: map<string, string> properties,
}

// One fact behind an answer.
struct Evidence {
  1: string kind,                // e.g. OWNS, RESIDES_AT, registered_address, report
  2: optional Edge edge,
  3: Source source,
  4: string date,
  5: string detail,
}

// Set when a query stopped at a guardrail; the rows returned are valid.
struct Truncation {
  1: bool truncated,
  2: string reason,              // deadline, max_rows, max_expansions, cancelled
}

enum Direction {
  OUT = 1,
  IN = 2,
  BOTH = 3,
}

// ---------------------------------------------------------------- session

struct Session {
  1: string token,
  2: string user,
  3: string role,                // admin, investigator, court_executor, welfare_auditor, analyst
  4: i64 expires_at_ms,          // Unix epoch milliseconds
}

struct Health {
  1: string status,              // "ok", or "draining" during shutdown
  2: string version,             // VERSION
  3: i32 api_version_major,
  4: i64 uptime_ms,
  5: string server_time,
}

struct Stats {
  1: i64 num_vertices,
  2: i64 num_edges,
  3: map<string, i64> vertices_per_label,
  4: map<string, i64> edges_per_type,
  5: i64 memory_bytes,
  6: i64 disk_bytes,
  7: map<string, i64> calls_per_method,   // since the server started
  8: i64 active_sessions,
  9: i64 audit_entries,
  10: i64 uptime_ms,
}

// ------------------------------------------------------------- primitives

struct ProfileRequest {
  1: EntityRef entity,
  2: optional RequestOptions options,
}

struct Profile {
  1: Entity entity,
  2: list<Property> properties,  // every observation, with its source
  3: map<string, i64> degree_by_edge_type,  // edges valid on as_of, both directions
}

struct NeighborsRequest {
  1: EntityRef entity,
  2: Direction direction = Direction.BOTH,
  3: list<string> edge_types,    // empty = all
  4: list<string> labels,        // neighbour labels; empty = all the role may see
  5: optional i32 per_vertex_cap,
  6: optional RequestOptions options,
}

struct Neighbor {
  1: Entity entity,
  2: Edge edge,
  3: Direction direction,        // OUT: entity is the edge's target
}

struct NeighborsResult {
  1: Entity center,
  2: list<Neighbor> neighbors,
  3: Truncation truncation,
}

struct SubgraphRequest {
  1: EntityRef entity,
  2: i32 hops = 2,
  3: list<string> edge_types,
  4: list<string> labels,
  5: optional i32 per_vertex_cap,
  6: optional RequestOptions options,
}

struct Subgraph {
  1: list<Entity> vertices,
  2: list<Edge> edges,
  3: Truncation truncation,
}

enum PathMode {
  SHORTEST = 1,        // one shortest path
  ALL_SHORTEST = 2,    // every shortest path
  K_SHORTEST = 3,      // k shortest simple paths
}

struct PathsRequest {
  1: EntityRef from_entity,
  2: EntityRef to_entity,
  3: i32 max_hops = 4,
  4: PathMode mode = PathMode.SHORTEST,
  5: i32 k = 3,
  6: list<string> edge_types,
  7: optional RequestOptions options,
}

// vertices[i] --edges[i]--> vertices[i+1] (edge direction may be reversed).
struct Path {
  1: list<Entity> vertices,
  2: list<Edge> edges,
}

struct PathsResult {
  1: list<Path> paths,
  2: Truncation truncation,
}

// ----------------------------------------------------------------- locate

enum LocateStatus {
  FOUND = 1,
  NOT_FOUND = 2,
  INVALID_ID = 3,
  AMBIGUOUS = 4,
  REFUSED = 5,         // not a debtor of the stated case (purpose binding)
  NOT_ANSWERED = 6,    // cut by a limit before it was looked up (see truncation)
}

// Purpose of a court locate: the execution case it serves.
struct Purpose {
  1: string case_no,
  2: optional string note,
}

struct LocateRequest {
  1: list<string> ids,           // identity numbers in any pasted format
  2: optional Purpose purpose,   // required for court_executor
  3: optional RequestOptions options,
}

struct Candidate {
  1: Entity house,
  2: string address,
  3: string grid_code,
  4: string grid_name,
  5: double confidence,          // 0..1, see query/README.md for the ranking
  6: list<Evidence> evidence,
}

struct LocateResult {
  1: string input,
  2: string normalized,
  3: LocateStatus status,
  4: optional Entity person,
  5: list<Candidate> candidates, // best first
  6: list<Entity> household_members,
  7: optional Entity grid_worker, // whom to send to the top candidate's grid
  8: string message,
}

struct LocateResponse {
  1: list<LocateResult> results, // one per input id, same order
  2: Truncation truncation,
}

// -------------------------------------------------------------- conflicts

struct ConflictsRequest {
  1: string as_of,               // "" = today
  2: string program = "DIBAO",
  3: optional string rules_yaml, // override of the default rules (admin only)
  4: string cursor,              // "" = first page; else next_cursor of the previous page
  5: i32 page_size = 100,
  6: optional RequestOptions options,
}

struct RuleHit {
  1: string rule,                // e.g. two_or_more_houses, business_legal_rep, owns_vehicle
  2: Entity member,
  3: list<Evidence> evidence,
  4: string detail,
}

struct ProbabilisticLink {
  1: i64 vertex,
  2: double score,
  3: string explanation,
}

struct HouseholdConflict {
  1: Entity household,
  2: list<Entity> members,
  3: list<RuleHit> hits,
  4: list<ProbabilisticLink> probabilistic_links,
}

struct ConflictsPage {
  1: list<HouseholdConflict> households,
  2: string next_cursor,         // "" when this is the last page
  3: i64 total,                  // households flagged in the whole result
  4: Truncation truncation,
}

// ----------------------------------------------------------------- upsert

// A batch of records in the format of a mapping the server knows (its
// ingest mapping files, by name, e.g. "grid_reports"). Applied atomically:
// all accepted rows or none; acknowledged only when durable.
struct UpsertRequest {
  1: string mapping,
  2: list<string> records,       // rows in the mapping's format (CSV line, JSON object, ...)
  3: optional string header,     // CSV/TSV header line when the mapping expects one
  4: string source_file,         // recorded as the provenance file name
}

struct Reject {
  1: i64 line,                   // 1-based index into records
  2: string column,
  3: string value,
  4: string reason,
}

struct UpsertResult {
  1: i64 accepted,
  2: i64 rejected,
  3: list<Reject> rejects,
  4: i64 batch,                  // committed batch id (0 if nothing was written)
  5: i64 vertices_added,
  6: i64 edges_added,
}

// ------------------------------------------------------------- algorithms

struct AlgorithmRequest {
  1: string name,                // pagerank, wcc, cdlp, lcc, bfs, sssp, betweenness
  2: string projection = "person_asset",  // which vertices/edges the algorithm sees
  3: map<string, string> params, // e.g. damping=0.85, iterations=20, source=<key>
  4: i32 top_k = 20,
  5: optional RequestOptions options,
}

struct Score {
  1: Entity entity,
  2: double value,
}

struct AlgorithmResult {
  1: string name,
  2: list<Score> top,            // the top_k vertices by value (community id for wcc/cdlp)
  3: map<string, double> summary, // e.g. vertices, edges, components, iterations, millis
  4: Truncation truncation,
}

// ------------------------------------------------------------------ audit

struct AuditQuery {
  1: optional string user,
  2: optional string method,
  3: i64 from_seq = 0,           // first sequence number to consider
  4: i32 limit = 100,            // newest `limit` matching entries
}

struct AuditEntry {
  1: i64 seq,
  2: string time,
  3: string user,
  4: string role,
  5: string method,
  6: string purpose,
  7: string params_digest,       // hex SHA-256 of the canonical parameters
  8: i64 result_count,
  9: string outcome,             // OK or the ErrorCode name
  10: string detail,
  11: string prev_hash,          // hex SHA-256
  12: string hash,
}

struct AuditVerifyResult {
  1: bool ok,
  2: i64 entries,
  3: list<string> problems,      // each names the sequence number at fault
  4: string head_hash,
}

// ---------------------------------------------------------------- service

service CityGraph {
  Session authenticate(1: string user, 2: string password) throws (1: ApiError error),
  void signout(1: string token) throws (1: ApiError error),

  Health health(1: string token) throws (1: ApiError error),
  Stats stats(1: string token) throws (1: ApiError error),

  Profile profile(1: string token, 2: ProfileRequest request) throws (1: ApiError error),
  NeighborsResult neighbors(1: string token, 2: NeighborsRequest request)
      throws (1: ApiError error),
  Subgraph subgraph(1: string token, 2: SubgraphRequest request) throws (1: ApiError error),
  PathsResult paths(1: string token, 2: PathsRequest request) throws (1: ApiError error),

  LocateResponse locate(1: string token, 2: LocateRequest request) throws (1: ApiError error),
  ConflictsPage conflicts(1: string token, 2: ConflictsRequest request)
      throws (1: ApiError error),

  UpsertResult upsert(1: string token, 2: UpsertRequest request) throws (1: ApiError error),
  AlgorithmResult runAlgorithm(1: string token, 2: AlgorithmRequest request)
      throws (1: ApiError error),

  list<AuditEntry> auditQuery(1: string token, 2: AuditQuery query) throws (1: ApiError error),
  AuditVerifyResult auditVerify(1: string token) throws (1: ApiError error),
}
