// Status and StatusOr<T>: how every CityGraph library reports errors.
//
// Errors cross library boundaries as values, never as exceptions. A Status is
// either OK or carries a code and a human-readable message that names what was
// wrong (the label, the file, the line). Exceptions thrown by third-party
// libraries (RocksDB, Thrift, TBB, yaml-cpp, ...) are caught where they arise
// and converted with one of the factory functions below.
//
// Thread-safety: values; safe to copy between threads.
#ifndef CITYGRAPH_STATUS_H_
#define CITYGRAPH_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace citygraph {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,     // bad input: malformed value, schema violation, bad file
  kNotFound = 2,            // no such vertex, key, file or entry
  kAlreadyExists = 3,       // unique thing created twice
  kFailedPrecondition = 4,  // state forbids the call (e.g. database locked by a writer)
  kPermissionDenied = 5,    // the caller's role or purpose does not allow it
  kResourceExhausted = 6,   // a limit was hit (rows, frame size, memory budget)
  kDeadlineExceeded = 7,    // the caller's deadline passed
  kCancelled = 8,           // the caller cancelled
  kIOError = 9,             // the file system or RocksDB failed
  kCorruption = 10,         // stored data does not decode
  kUnauthenticated = 11,    // no valid session
  kInternal = 12,           // a bug: an invariant did not hold
};

// Returns "InvalidArgument", "NotFound", ... for `code`.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "InvalidArgument: label 'Persn' is not in the schema"; "OK" when ok().
  std::string ToString() const;

  // Returns a copy whose message is `context + ": " + message()`.
  Status WithContext(std::string_view context) const;

  // Explicitly discards this status. Spelled out so ignored errors can be grepped.
  void IgnoreError() const {}

  bool operator==(const Status& other) const = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status AlreadyExists(std::string message);
Status FailedPrecondition(std::string message);
Status PermissionDenied(std::string message);
Status ResourceExhausted(std::string message);
Status DeadlineExceeded(std::string message);
Status Cancelled(std::string message);
Status IOError(std::string message);
Status Corruption(std::string message);
Status Unauthenticated(std::string message);
Status Internal(std::string message);

// `raw` in single quotes, for naming a bad value in an error message.
std::string Quoted(std::string_view raw);

// Holds either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const T& value) : value_(value) {}             // NOLINT: implicit by design
  StatusOr(T&& value) : value_(std::move(value)) {}       // NOLINT
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "StatusOr built from an OK Status carries no value");
    if (status_.ok()) status_ = Internal("StatusOr constructed from OK status");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // Precondition: ok().
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace citygraph

// Returns from the enclosing function if `expr` yields a non-OK Status.
#define CG_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::citygraph::Status cg_status_ = (expr); \
    if (!cg_status_.ok()) return cg_status_; \
  } while (0)

#define CG_CONCAT_INNER_(a, b) a##b
#define CG_CONCAT_(a, b) CG_CONCAT_INNER_(a, b)

// `CG_ASSIGN_OR_RETURN(auto x, Foo());` declares x from Foo()'s value or
// returns Foo()'s error from the enclosing function.
#define CG_ASSIGN_OR_RETURN(lhs, expr) \
  CG_ASSIGN_OR_RETURN_IMPL_(CG_CONCAT_(cg_statusor_, __LINE__), lhs, expr)
#define CG_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#endif  // CITYGRAPH_STATUS_H_
