// Mission query 1: asset conflicts of welfare recipients. Rules come from a
// YAML file (query/rules/dibao.yaml is the default), not from code:
//
//   program: DIBAO             # program_code key of the programme audited
//   rules:
//     - id: two_houses
//       description: a member owns two or more houses (co-ownership counts)
//       edge: OWNS             # edge type from the member
//       direction: out         # out (member -> target, default) or in
//       target: House          # label of the target
//       min_count: 2           # distinct targets valid on D needed to hit
//     - id: individual_business
//       description: a member is legal representative of an individual business
//       edge: LEGAL_REP
//       target: Business
//       where: {kind: [individual, 个体工商户]}  # target property equalities (optional;
//                                                # a list = any of these values)
//       active: {from: established, to: revoked}  # target date props bracketing D (optional)
//       min_count: 1
//
// A household is checked when it RECEIVES the programme on D; its members are
// the persons with a MEMBER_OF edge valid on D; a rule hits a member when at
// least min_count distinct targets are linked by edges valid on D (so a house
// sold the day before D does not count, one bought on D does, and every
// co-owner owns the house).
//
// Thread-safety: ConflictRules is immutable once parsed; FindConflicts runs its
// own oneTBB parallel loop over the recipients and may be called concurrently.
#ifndef CITYGRAPH_QUERY_CONFLICTS_H_
#define CITYGRAPH_QUERY_CONFLICTS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "citygraph/query/context.h"
#include "citygraph/query/evidence.h"
#include "citygraph/query/limits.h"
#include "citygraph/query/profile.h"

namespace citygraph::query {

struct ConflictRule {
  std::string id;
  std::string description;
  std::string edge;  // edge type name
  Direction direction = Direction::kOut;
  std::string target;                                         // target label name
  std::vector<std::pair<std::string, std::string>> where;     // target property == text
  std::optional<std::pair<std::string, std::string>> active;  // (from prop, to prop)
  int min_count = 1;
};

struct ConflictRules {
  std::string program = "DIBAO";
  std::vector<ConflictRule> rules;

  // Parses the YAML text above. InvalidArgument naming the rule (by index and
  // id) and the field when something is missing or malformed; `origin` (a
  // file name) prefixes messages.
  static StatusOr<ConflictRules> Parse(std::string_view yaml_text,
                                       std::string_view origin = "<rules>");
  static StatusOr<ConflictRules> ReadFile(const std::string& path);
  // The default rules (same as query/rules/dibao.yaml).
  static ConflictRules Default();
  // Checks names against the schema: NotFound naming a rule's unknown edge
  // type, label or property; InvalidArgument for a wrong endpoint label.
  Status Validate(const Schema& schema) const;
};

struct RuleHit {
  std::string rule_id;
  std::string description;
  EntityRef member;
  std::vector<Evidence> evidence;  // the member's edges to the counted targets
};

struct ConflictHousehold {
  EntityRef household;
  Evidence receives;                     // the RECEIVES edge valid on D
  std::vector<HouseholdMember> members;  // members on D
  std::vector<RuleHit> hits;             // at least one
  // Evidence (memberships, receipt, hit edges) whose source record was linked
  // to one of its endpoints by a probabilistic entity-resolution match.
  std::vector<Evidence> probabilistic_links;
};

struct ConflictReport {
  Date as_of;
  std::string program;
  size_t recipients_checked = 0;              // households receiving on D
  std::vector<ConflictHousehold> households;  // flagged ones, ascending household key
  Truncation truncation;
};

// Runs the audit on D. NotFound if the programme key is not in the database;
// rule names are validated first (see Validate). Parallel over recipients.
// max_rows caps the flagged households; max_expansions_per_vertex caps the
// edges examined per member / household.
StatusOr<ConflictReport> FindConflicts(const QueryContext& ctx, const ConflictRules& rules,
                                       Date as_of, const Limits& limits);

}  // namespace citygraph::query

#endif  // CITYGRAPH_QUERY_CONFLICTS_H_
