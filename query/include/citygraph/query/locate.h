// Mission query 2: batch locate. For identity numbers as users paste them
// (15 or 18 digits, x or X, spaces, full-width digits) and an as-of date D,
// says per number whether the person is known and where they most likely live
// on D: ranked candidate residences, each with its address, grid cell,
// confidence and the evidence behind it; the household members; and the grid
// cell with its grid worker(s) to send.
//
// Ranking (documented in query/README.md, configured by a YAML file,
// query/ranking/locate.yaml is the default):
//
//   half_life_days: 365       # recency: an observation's weight halves every
//                             # N days between its date and D
//   max_candidates: 5
//   aggregate: max            # a candidate's score: max (default) or sum of
//                             # its items' weights
//   default: {reliability: 0.5, decays: true}   # any kind not listed
//   kinds:                    # per kind of evidence: reliability 0..1, and
//     rental_registration: {reliability: 0.9, decays: true}   # whether it is
//     home_visit: {reliability: 0.9, decays: true}            # an observation
//     household_registration: {reliability: 0.3, decays: false}  # that ages
//     ownership: {reliability: 0.2, decays: false}               # or a standing fact
//
// Candidate houses come from: RESIDES_AT edges valid on D (kind = the edge's
// `evidence` property, dated by valid_from); the registered house of each
// household the person is a member of on D (kind "household_registration",
// REGISTERED_AT valid on D); houses the person owns on D (kind "ownership").
// An item's weight is reliability(kind), times 0.5^(age_days / half_life_days)
// when the kind decays, age being D minus the item's date (0 if in the
// future). A candidate's score aggregates its items' weights (max or sum); its
// confidence is its share of the total score of all candidates. Ties break by
// the most recent evidence date, then by house key.
//
// Thread-safety: RankingConfig is immutable once parsed; Locate runs a oneTBB
// parallel loop over the numbers and may be called concurrently.
#ifndef CITYGRAPH_QUERY_LOCATE_H_
#define CITYGRAPH_QUERY_LOCATE_H_

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/query/context.h"
#include "citygraph/query/evidence.h"
#include "citygraph/query/limits.h"
#include "citygraph/query/profile.h"

namespace citygraph::query {

struct RankingConfig {
  double half_life_days = 365;
  int max_candidates = 5;
  double default_reliability = 0.5;
  std::map<std::string, double> reliability;  // kind -> 0..1
  bool default_decays = true;
  std::map<std::string, bool> decays;  // kind -> ages with half_life_days
  bool aggregate_sum = false;          // false: max of the item weights

  // Parses the YAML above. InvalidArgument naming the field (and `origin`)
  // for a non-numeric or out-of-range value.
  static StatusOr<RankingConfig> Parse(std::string_view yaml_text,
                                       std::string_view origin = "<ranking>");
  static StatusOr<RankingConfig> ReadFile(const std::string& path);
  // The default ranking (same as query/ranking/locate.yaml).
  static RankingConfig Default();

  double Reliability(const std::string& kind) const;
  bool Decays(const std::string& kind) const;
};

enum class LocateStatus {
  kFound,      // the number is valid and a person has it (candidates may be empty)
  kNotFound,   // valid number, nobody has it
  kInvalidId,  // cannot be an identity number (message says why)
  kAmbiguous,  // found, but not safe to send a bailiff on: the person is flagged
               // `unresolved` by entity resolution, or the two best candidate
               // residences have equal scores (candidates are still listed)
};

// "found", "not_found", "invalid_id", "ambiguous".
std::string_view LocateStatusName(LocateStatus s);

struct EvidenceItem {
  std::string kind;   // "rental_registration", "household_registration", ...
  Date date;          // the date the weight is computed from
  double weight = 0;  // reliability * recency
  Evidence edge;      // the edge asserting it (RESIDES_AT, REGISTERED_AT, OWNS, ABOUT)
};

struct ResidenceCandidate {
  EntityRef house;
  std::string address;
  std::optional<EntityRef> grid;  // the house's grid cell on D
  double score = 0;
  double confidence = 0;               // score / sum of all candidates' scores
  std::vector<EvidenceItem> evidence;  // descending weight
};

struct LocateRow {
  size_t position = 0;     // index of the number in the `ids` given to Locate
  std::string input;       // exactly as given
  std::string normalized;  // canonical 18-character number ("" if invalid)
  LocateStatus status = LocateStatus::kNotFound;
  std::string message;  // why invalid / ambiguous; "" otherwise
  std::optional<EntityRef> person;
  std::vector<ResidenceCandidate> candidates;  // ranked, best first
  std::vector<HouseholdMember> household;      // members of the person's households on D
                                               // (evidence empty without household_evidence)
  std::optional<EntityRef> grid;               // the top candidate's grid cell
  std::vector<EntityRef> grid_workers;         // assigned to that grid on D, by vertex id
};

struct LocateResult {
  Date as_of;
  // One per number answered, in input order. Numbers cut by a limit (see
  // `truncation`) have no row: match rows to inputs by `position`.
  std::vector<LocateRow> rows;
  Truncation truncation;
};

// What a locate row carries besides the ranked candidates.
struct LocateOptions {
  // Each household member's MEMBER_OF edge as evidence (with its source and
  // matches). Callers that show only who the members are turn it off: it is
  // about half of the evidence a row would build.
  bool household_evidence = true;
};

// Locates every number of `ids` on `as_of`. Never fails for bad numbers (they
// are rows with status kInvalidId); fails only when the schema lacks Person /
// id_number. Parallel over the numbers. max_rows caps the numbers answered
// (the rest are dropped, kMaxRows).
StatusOr<LocateResult> Locate(const QueryContext& ctx, std::span<const std::string> ids, Date as_of,
                              const RankingConfig& ranking, const Limits& limits,
                              const LocateOptions& options = {});

// Splits pasted text into numbers: one per line, or separated by commas,
// semicolons or tabs; blank entries and lines starting with '#' are dropped;
// inner spaces are kept (the normaliser removes them). A first line that is a
// header ("id_number", "身份证号", ...: no digit in it) is dropped.
std::vector<std::string> SplitIdList(std::string_view text);

}  // namespace citygraph::query

#endif  // CITYGRAPH_QUERY_LOCATE_H_
