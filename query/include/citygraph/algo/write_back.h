// Storing an algorithm's per-vertex result as a vertex property of the
// governance graph, e.g. `pagerank` on every Person of a projection.
//
// The schema is data: a result can only be written to a property that the
// schema declares for the vertex's label, with a matching type (double for
// scores, int64 or double for integer results such as community ids or core
// numbers). Add the property to the schema file to enable write-back.
//
// Thread-safety: one call writes one atomic batch through Database::Write,
// which the Database serialises with other writers.
#ifndef CITYGRAPH_ALGO_WRITE_BACK_H_
#define CITYGRAPH_ALGO_WRITE_BACK_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "citygraph/algo/projection.h"
#include "citygraph/graph.h"
#include "citygraph/status.h"

namespace citygraph::algo {

// Sets property `name` of vertex p.vertex[u] to values[u] for every node u,
// in one batch whose source is department "algo", file `source_file`.
// Nothing is written on error: FailedPrecondition naming the label and the
// property when a label present in the projection lacks `name` in the
// schema; InvalidArgument naming label, property and types when the
// declared type cannot hold the values; the Database's error otherwise.
// Precondition: values.size() == p.vertex.size().
Status WriteBackDoubles(Database& db, const Projection& p, std::string_view name,
                        std::span<const double> values, std::string_view source_file);
Status WriteBackIntegers(Database& db, const Projection& p, std::string_view name,
                         std::span<const int64_t> values, std::string_view source_file);

}  // namespace citygraph::algo

#endif  // CITYGRAPH_ALGO_WRITE_BACK_H_
