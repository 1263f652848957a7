// Conversions between query-library results and the generated Thrift types,
// and between Status and rpc::ApiError. Private to citygraph_api.
#ifndef CITYGRAPH_API_SRC_CONVERT_H_
#define CITYGRAPH_API_SRC_CONVERT_H_

#include <string>

#include "citygraph/query/conflicts.h"
#include "citygraph/query/evidence.h"
#include "citygraph/query/limits.h"
#include "citygraph/query/locate.h"
#include "citygraph/query/paths.h"
#include "citygraph/query/profile.h"
#include "citygraph/status.h"
#include "citygraph_types.h"

namespace citygraph::api::internal {

rpc::ErrorCode::type ToErrorCode(StatusCode code);
rpc::ApiError ToApiError(const Status& status);
// "OK" or the IDL name of the error code ("PERMISSION_DENIED", ...).
std::string OutcomeName(const Status& status);

// "" for the open ends (Date::Min / Date::Max), else ISO.
std::string DateText(Date d);

rpc::Entity ToEntity(const query::EntityRef& e);
rpc::Entity ToEntity(query::EntityRef&& e);
rpc::Edge ToEdge(const query::Evidence& ev);
rpc::Source ToSource(const query::Evidence& ev);
rpc::Evidence ToEvidence(const query::Evidence& ev, std::string kind, std::string date);
rpc::Truncation ToTruncation(const query::Truncation& t);
rpc::Path ToPath(const query::Path& p);
// Consumes `row` (its strings are moved into the result).
rpc::LocateResult ToLocateResult(query::LocateRow&& row);
rpc::HouseholdConflict ToHouseholdConflict(const query::ConflictHousehold& h);
void ToProfile(const query::Profile& p, rpc::Profile* out);

}  // namespace citygraph::api::internal

#endif  // CITYGRAPH_API_SRC_CONVERT_H_
