// Purpose binding of court locates: a court_executor may only locate the
// judgment debtors of the execution case the request names, and only while
// that case is open.
//
// A case is the Case vertex whose case_no key equals the stated number. It is
// open on day D when its `status` is not a closed status ("closed",
// "concluded", "terminated", or containing 结案, 终结 (终结本次执行程序), 终本
// or 完毕 (执行完毕)) and its `closed` date is absent or after D. Its debtors are the vertices with
// a PARTY_TO edge into the case, valid on D, whose `role` is "debtor" (or "被执行人").
//
// Thread-safety: a pure function of an immutable snapshot.
#ifndef CITYGRAPH_API_PURPOSE_H_
#define CITYGRAPH_API_PURPOSE_H_

#include <string>
#include <string_view>
#include <unordered_set>

#include "citygraph/graph.h"
#include "citygraph/status.h"

namespace citygraph::api {

struct CourtPurpose {
  VertexId case_vertex = kNoVertex;
  std::string case_no;
  std::unordered_set<VertexId> debtors;
};

// Checks the stated case on day `today`. InvalidArgument when `case_no` is
// empty; PermissionDenied naming the case when it is unknown or closed (an
// unknown case is refused, not NotFound: the caller learns nothing more).
StatusOr<CourtPurpose> ResolveCourtPurpose(const Snapshot& snap, std::string_view case_no,
                                           Date today);

}  // namespace citygraph::api

#endif  // CITYGRAPH_API_PURPOSE_H_
