// Internal: a normaliser chain compiled once per mapping column and applied
// row after row into a reused buffer. Its results (values and errors) are
// exactly those of ApplyChain over the same named normalisers; it only
// skips work that cannot change the value (trim, collapse and fullwidth on
// text without white space or full-width forms, name on plain text,
// id_number on a valid canonical number) and
// writes dates and amounts without building intermediate strings, so the
// common path allocates nothing.
//
// Thread-safety: Apply is const and may run on many threads at once (its
// scratch buffers are thread-local).
#ifndef CITYGRAPH_INGEST_SRC_CHAIN_H_
#define CITYGRAPH_INGEST_SRC_CHAIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/ingest/normalize.h"
#include "citygraph/status.h"
#include "citygraph/types.h"

namespace citygraph::ingest::internal {

class CompiledChain {
 public:
  CompiledChain() = default;

  // Compiles `names` (normaliser names as in mapping files) with their
  // normalisers `chain` (as FindNormalizers(names) returns). When the two do
  // not correspond one to one, every step just calls its normaliser.
  CompiledChain(const std::vector<std::string>& names, const std::vector<Normalizer>& chain);

  bool empty() const { return steps_.empty(); }

  // Normalises `raw` into `*out` (replacing its contents, keeping its
  // capacity). Returns the first step's error, as ApplyChain would.
  // When `date` is given and the chain ends with the date normaliser, a
  // success also sets `*date` to the date `*out` spells (ParseDate(*out)),
  // so callers need not parse it again; otherwise `*date` is left as it is.
  // Precondition: `raw` does not point into `*out`.
  Status Apply(std::string_view raw, std::string* out, std::optional<Date>* date = nullptr) const;

  // Apply without a copy where the chain leaves the text as it is: on
  // success `*view` is the normalised value, either a part of `raw` or the
  // contents of `*buf` (which the call may overwrite). It stays valid while
  // `raw`'s bytes and `*buf` are unchanged. On error `*view` and `*buf` are
  // unspecified. Precondition: `raw` does not point into `*buf`.
  Status ApplyView(std::string_view raw, std::string* buf, std::string_view* view,
                   std::optional<Date>* date = nullptr) const;

 private:
  enum class Kind : uint8_t {
    kTrim,
    kCollapse,
    kFullwidth,
    kUpper,
    kLower,
    kName,
    kDate,
    kAmount,
    kIdNumber,
    kCall
  };
  struct Step {
    Kind kind = Kind::kCall;
    Normalizer fn;  // the normaliser itself: the slow path of every kind
  };
  std::vector<Step> steps_;
};

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_CHAIN_H_
