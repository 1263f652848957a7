// Basic value types of the CityGraph property graph: ids, dates, property
// values and provenance references.
//
// Thread-safety: plain values.
#ifndef CITYGRAPH_TYPES_H_
#define CITYGRAPH_TYPES_H_

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "citygraph/status.h"

namespace citygraph {

// Dense internal ids. Vertex ids are 0..num_vertices()-1 with no gaps; edge
// ids are 0..num_edges()-1. Ids are never reused and never change once
// committed, so they are stable across reopen and re-ingest.
using VertexId = uint32_t;
using EdgeId = uint32_t;
inline constexpr VertexId kNoVertex = std::numeric_limits<VertexId>::max();
inline constexpr EdgeId kNoEdge = std::numeric_limits<EdgeId>::max();

// Schema ids: indexes into the schema's tables.
using LabelId = uint16_t;
using EdgeTypeId = uint16_t;
using PropId = uint16_t;     // index into a label's or edge type's property list
using KeyKindId = uint16_t;  // index into the schema's key kinds
using SourceId = uint32_t;   // a (department, file) pair registered with the database
using BatchId = uint32_t;    // one committed write; carries its commit time

// A calendar date: days since 1970-01-01 (proleptic Gregorian).
struct Date {
  int32_t days = 0;

  static constexpr Date Min() { return Date{std::numeric_limits<int32_t>::min()}; }
  static constexpr Date Max() { return Date{std::numeric_limits<int32_t>::max()}; }

  // Builds a date from its parts. InvalidArgument for impossible dates
  // (2019-02-29, month 13, day 0) and years outside 1800..2200.
  static StatusOr<Date> FromYmd(int year, int month, int day);
  // Parses ISO "YYYY-MM-DD" only; other styles are ingest's normalisers' job.
  static StatusOr<Date> Parse(std::string_view iso);
  // "YYYY-MM-DD"; "-inf" / "+inf" for Min() / Max().
  std::string ToString() const;
  void ToYmd(int* year, int* month, int* day) const;

  auto operator<=>(const Date&) const = default;
};

// A point in time: microseconds since the Unix epoch, UTC.
struct Timestamp {
  int64_t micros = 0;
  static Timestamp Now();
  std::string ToString() const;  // ISO 8601, "2024-05-01T08:30:00.000000Z"
  auto operator<=>(const Timestamp&) const = default;
};

enum class PropType : uint8_t { kString, kInt64, kDouble, kBool, kDate, kTimestamp };

// "string", "int64", "double", "bool", "date", "timestamp".
std::string_view PropTypeName(PropType type);
StatusOr<PropType> ParsePropType(std::string_view name);

// A property value. monostate means "absent".
using Value = std::variant<std::monostate, std::string, int64_t, double, bool, Date, Timestamp>;

// Type of a non-absent value. Precondition: !holds_alternative<monostate>(v).
PropType TypeOf(const Value& v);
// Human-readable rendering (dates ISO, bools true/false, absent "").
std::string ValueToString(const Value& v);

// Where a fact came from: a registered source (department + file), the line
// or record ordinal inside it, and the batch that committed it (whose commit
// time is the fact's recorded_at). The database fills `batch` at commit.
struct SourceRef {
  SourceId source = 0;
  uint32_t record = 0;
  BatchId batch = 0;
  auto operator<=>(const SourceRef&) const = default;
};

// A (property id, value) pair; a property list is a vector of them.
using Properties = std::vector<std::pair<PropId, Value>>;

// The validity interval of a fact is half-open: it holds on day D iff
// valid_from <= D < valid_to. valid_to is the first day it no longer holds;
// Date::Max() means "still holds". Date::Min() as valid_from means "since
// before records began".
inline bool ValidOn(Date valid_from, Date valid_to, Date d) {
  return valid_from <= d && d < valid_to;
}

}  // namespace citygraph

#endif  // CITYGRAPH_TYPES_H_
