// Entity profile (every key and every property with the sources that assert
// it, plus a count of edges by type) and the household view (members with
// their relation, registered address, programmes received), both as of an
// optional date.
//
// Thread-safety: pure functions of their arguments.
#ifndef CITYGRAPH_QUERY_PROFILE_H_
#define CITYGRAPH_QUERY_PROFILE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "citygraph/query/context.h"
#include "citygraph/query/evidence.h"
#include "citygraph/query/limits.h"

namespace citygraph::query {

// One observation of a property: its value and where it came from.
struct PropertySource {
  std::string value;
  std::string department;
  std::string file;
  uint32_t record = 0;
  Timestamp recorded_at;
  std::vector<MatchInfo> matches;  // ER matches of that record onto this vertex
};

struct ProfileProperty {
  std::string name;
  std::string type;                     // "string", "date", ...
  std::string current;                  // the most recently committed value
  std::vector<PropertySource> sources;  // every observation, oldest batch first
};

struct EdgeCount {
  std::string type;
  Direction direction = Direction::kOut;
  size_t count = 0;  // edges valid on as_of (all edges when no date)
};

struct Profile {
  EntityRef entity;
  std::vector<std::pair<std::string, std::string>> keys;  // (kind, value), all of them
  std::vector<ProfileProperty> properties;                // schema order
  std::vector<EdgeCount> edges;                           // non-zero counts only
  Truncation truncation;
};

// The profile of `v`. `as_of` restricts the edge counts only (properties are
// not dated). InvalidArgument for an id out of range.
StatusOr<Profile> GetProfile(const QueryContext& ctx, VertexId v, std::optional<Date> as_of,
                             const Limits& limits);

struct HouseholdMember {
  EntityRef person;
  std::string relation;  // MEMBER_OF.relation ("head", "spouse", ...), "" if unknown
  Evidence membership;   // the MEMBER_OF edge
};

struct HouseholdView {
  EntityRef household;
  std::vector<HouseholdMember> members;
  std::vector<Evidence> registered_at;  // REGISTERED_AT edges (household -> house)
  std::vector<Evidence> receives;       // RECEIVES edges (household -> programme)
  Truncation truncation;
};

// The household `v` (a Household vertex), or the household(s) of person `v`
// (a Person: every household it is a member of on as_of). Only MEMBER_OF /
// REGISTERED_AT / RECEIVES edges valid on `as_of` count when it is given.
// InvalidArgument when `v` is neither a Person nor a Household.
StatusOr<std::vector<HouseholdView>> GetHouseholds(const QueryContext& ctx, VertexId v,
                                                   std::optional<Date> as_of, const Limits& limits);

}  // namespace citygraph::query

#endif  // CITYGRAPH_QUERY_PROFILE_H_
