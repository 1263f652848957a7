// Normalising, typing and validating one record.
#include "row_parser.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>
#include <utility>

#include "citygraph/ingest/normalize.h"
#include "citygraph/keys.h"
#include "normalize_internal.h"

namespace citygraph::ingest::internal {
namespace {

// Converts normalised text to a typed value.
StatusOr<Value> Typed(PropType type, std::string_view text) {
  switch (type) {
    case PropType::kString:
      return Value(std::string(text));
    case PropType::kDate: {
      CG_ASSIGN_OR_RETURN(Date d, ParseDate(text));
      return Value(d);
    }
    case PropType::kDouble: {
      CG_ASSIGN_OR_RETURN(double d, ParseAmount(text));
      return Value(d);
    }
    case PropType::kInt64: {
      CG_ASSIGN_OR_RETURN(int64_t i, ParseInt(text));
      return Value(i);
    }
    case PropType::kBool: {
      CG_ASSIGN_OR_RETURN(bool b, ParseBool(text));
      return Value(b);
    }
    case PropType::kTimestamp:
      return InvalidArgument("timestamp properties are not loaded from files");
  }
  return InvalidArgument("unknown property type");
}

bool Holds(const std::vector<Condition>& when, const std::vector<std::string_view>& norm) {
  for (const Condition& c : when) {
    const std::string_view v = norm[c.column];
    bool any_eq = std::find(c.values.begin(), c.values.end(), v) != c.values.end();
    bool any_prefix = false;
    for (const auto& p : c.values) any_prefix |= !v.empty() && v.compare(0, p.size(), p) == 0;
    using K = Condition::Kind;
    const bool ok = c.kind == K::kEquals      ? any_eq
                    : c.kind == K::kNotEquals ? !any_eq
                    : c.kind == K::kPrefix    ? any_prefix
                    : c.kind == K::kNotPrefix ? !any_prefix
                    : c.kind == K::kEmpty     ? v.empty()
                    : c.kind == K::kNotEmpty  ? !v.empty()
                                              : true;
    if (!ok) return false;
  }
  return true;
}

}  // namespace

RowParser::RowParser(const Mapping& mapping, const SourceFile& file)
    : m_(mapping), file_(file), key_vertex_(mapping.columns.size(), -1) {
  for (const ColumnSpec& c : m_.columns) chains_.emplace_back(c.normalizer_names, c.chain);
  for (const VertexMapping& vm : m_.vertices)
    key_chains_.emplace_back(vm.key_chain_names, vm.key_chain);
  for (size_t v = 0; v < m_.vertices.size(); ++v) {
    if (m_.vertices[v].key.column >= 0)
      key_vertex_[m_.vertices[v].key.column] = static_cast<int>(v);
  }
  for (const VertexMapping& vm : m_.vertices) {
    for (const Condition& c : vm.when) key_vertex_[c.column] = -1;  // conditions need a value
    // NormalizeIdNumber and NormalizePhone give their results back as is.
    const std::vector<std::string>& k = vm.key_chain_names;
    const ColumnSpec* col = vm.key.column >= 0 ? &m_.columns[vm.key.column] : nullptr;
    key_normalized_.push_back(k.size() == 1 && (k[0] == "id_number" || k[0] == "phone") &&
                              col != nullptr && !col->normalizer_names.empty() &&
                              col->normalizer_names.back() == k[0] &&
                              col->normalizer_names.size() == col->chain.size());
  }
}

bool RowParser::Fail(ParsedRow* out, const std::string& column, std::string_view raw,
                     const std::string& kind, const std::string& reason) const {
  out->rejected = true;
  out->reject = Reject{m_.file, out->line, column, std::string(raw), kind, reason};
  return false;
}

void ResetRow(ParsedRow* row) {
  row->rejected = false;
  row->hash = 0;
  row->grid.clear();
  row->date = Date::Min();
  row->has_date = false;
  row->needs_resolution = false;
  row->applied = false;
  row->missing_keys = row->invalid_keys = 0;
  for (ParsedVertex& pv : row->vertices) {
    pv.present = false;
    pv.key_state = KeyState::kOk;
    pv.resolve = false;
    pv.id = kNoVertex;
    pv.key.clear();
    pv.key_hash = 0;
    pv.props.clear();    // frees the values the loader copied, on this thread
    if (pv.has_match) {  // only then were they set
      pv.match.name.clear();
      pv.match.birth_date = MatchRecord::kNoDate;
      pv.match.sex.clear();
      pv.match.address.clear();
      pv.match.phone.clear();
      pv.block_keys = BlockKeys{};
      pv.has_match = false;
    }
  }
  for (ParsedEdge& pe : row->edges) {
    pe.present = false;
    pe.valid_from = Date::Min();
    pe.valid_to = Date::Max();
    pe.props.clear();
  }
}

void RowParser::Parse(const RawRecord& rec, ParsedRow* out) const {
  ResetRow(out);
  out->line = rec.line;
  out->hash = TextHash(rec.text);
  const size_t ncol = m_.columns.size();
  // Per-thread scratch, reused row after row so its strings keep their
  // capacity (Parse runs on the pipeline's worker threads).
  // Each column's raw value: a view into the record (CSV/TSV), into
  // `unquoted` (a quoted field with doubled quotes) or into `json`.
  thread_local std::vector<std::string_view> values;
  thread_local std::vector<std::string_view> fields;
  thread_local std::string unquoted;
  thread_local std::vector<std::string> json;
  // Each column's normalised value: a view into its raw value or into
  // `norm_buf` (when its chain changed the text).
  thread_local std::vector<std::string_view> norm;
  thread_local std::vector<std::string> norm_buf;
  thread_local std::vector<bool> bad;
  thread_local std::vector<std::string> bad_reason;
  // Per column: its date when its chain ends with `date` (parsed once).
  thread_local std::vector<std::optional<Date>> dates;
  thread_local std::string key_reason;
  if (m_.format == FileFormat::kJsonl) {
    Status s = ExtractJsonFields(rec.text, m_, &json);
    if (!s.ok()) {
      Fail(out, "", rec.text, "bad_json", s.message());
      return;
    }
    values.assign(json.begin(), json.end());
  } else {
    Status s = SplitFieldViews(rec.text, m_.delimiter, m_.quote, &fields, &unquoted);
    if (!s.ok()) {
      Fail(out, "", rec.text, "bad_quoting", s.message());
      return;
    }
    if (fields.size() != file_.num_fields()) {
      Fail(out, "", rec.text, "column_count",
           "expected " + std::to_string(file_.num_fields()) + " fields, found " +
               std::to_string(fields.size()));
      return;
    }
    values.resize(ncol);
    for (size_t c = 0; c < ncol; ++c) values[c] = fields[file_.column_fields()[c]];
  }

  if (m_.grid_column >= 0) out->grid.assign(TrimSpaces(values[m_.grid_column]));

  // Normalise every column; empty means absent.
  norm.assign(ncol, std::string_view());
  norm_buf.resize(ncol);
  bad.assign(ncol, false);
  bad_reason.resize(ncol);
  dates.assign(ncol, std::nullopt);
  for (size_t c = 0; c < ncol; ++c) {
    const ColumnSpec& col = m_.columns[c];
    std::string_view raw = TrimSpaces(values[c]);
    if (raw.empty()) {
      if (col.required) {
        Fail(out, col.name, values[c], "missing_value", "required column is empty");
        return;
      }
      continue;
    }
    Status r = chains_[c].ApplyView(raw, &norm_buf[c], &norm[c], &dates[c]);
    if (!r.ok()) {
      norm[c] = std::string_view();
      dates[c].reset();
      if (key_vertex_[c] >= 0) {
        bad[c] = true;
        bad_reason[c] = r.message();
        continue;
      }
      Fail(out, col.name, values[c], "bad_value", r.message());
      return;
    }
  }

  auto value_of = [&](const ValueSource& s) -> std::string_view {
    return s.column >= 0 ? norm[s.column] : std::string_view(s.constant);
  };
  // ParseDate(norm[c]) without parsing a date column's value again.
  auto date_of = [&](int c) -> StatusOr<Date> {
    if (dates[c]) return *dates[c];
    return ParseDate(norm[c]);
  };
  // Appends property `pm` with Typed(pm.type, text) (text == value_of(pm.value)),
  // a date column's value without parsing it again, text built in place.
  auto append_typed = [&](Properties* props, const PropertyMapping& pm,
                          std::string_view text) -> Status {
    const int c = pm.value.column;
    if (pm.type == PropType::kString) {  // Typed cannot fail
      props->emplace_back(std::piecewise_construct, std::forward_as_tuple(pm.prop),
                          std::forward_as_tuple(std::in_place_type<std::string>, text));
    } else if (pm.type == PropType::kDate && c >= 0 && dates[c]) {
      props->emplace_back(pm.prop, *dates[c]);
    } else {
      CG_ASSIGN_OR_RETURN(Value v, Typed(pm.type, text));
      props->emplace_back(pm.prop, std::move(v));
    }
    return Status::OK();
  };

  // Room for the properties of `pms` that have a value, at once (the loader
  // moves an edge's list away: it would grow 1, 2, 4... on every row).
  auto reserve_props = [&](Properties* props, const std::vector<PropertyMapping>& pms) {
    size_t n = 0;
    for (const PropertyMapping& pm : pms) n += value_of(pm.value).empty() ? 0 : 1;
    props->reserve(n);
  };

  // Validation rules.
  for (const RuleMapping& rule : m_.rules) {
    const std::string_view v = norm[rule.column];
    if (v.empty()) continue;
    const std::string& name = m_.columns[rule.column].name;
    switch (rule.kind) {
      case RuleMapping::Kind::kNotBefore: {
        const std::string_view o = norm[rule.other];
        if (o.empty()) break;
        auto a = date_of(rule.column);
        auto b = date_of(rule.other);
        if (!a.ok() || !b.ok() || *a < *b) {
          Fail(out, name, values[rule.column], "rule", "breaks rule " + rule.text);
          return;
        }
        break;
      }
      case RuleMapping::Kind::kRange: {
        auto d = ParseAmount(v);
        if (!d.ok() || *d < rule.min || *d > rule.max) {
          Fail(out, name, values[rule.column], "rule", "breaks rule " + rule.text);
          return;
        }
        break;
      }
      case RuleMapping::Kind::kOneOf:
        if (std::find(rule.values.begin(), rule.values.end(), v) == rule.values.end()) {
          Fail(out, name, values[rule.column], "rule", "breaks rule " + rule.text);
          return;
        }
        break;
    }
  }

  // Vertices: keys and properties.
  out->vertices.resize(m_.vertices.size());
  for (size_t vi = 0; vi < m_.vertices.size(); ++vi) {
    const VertexMapping& vm = m_.vertices[vi];
    ParsedVertex& pv = out->vertices[vi];
    if (!Holds(vm.when, norm)) continue;
    pv.present = true;
    // The key's raw value and column, for reject reports.
    auto key_raw = [&]() -> std::string_view {
      return vm.key.column >= 0 ? std::string_view(values[vm.key.column]) : vm.key.constant;
    };
    auto key_col = [&]() -> std::string {
      return vm.key.column >= 0 ? m_.columns[vm.key.column].name : "";
    };
    const std::string_view key = value_of(vm.key);
    const std::string* reason = &key_reason;
    if (vm.key.column >= 0 && bad[vm.key.column]) {
      pv.key_state = KeyState::kInvalid;
      reason = &bad_reason[vm.key.column];
    } else if (key.empty()) {
      pv.key_state = KeyState::kMissing;
    } else if (!key_chains_[vi].empty() && !key_normalized_[vi]) {
      Status k = key_chains_[vi].Apply(key, &pv.key);
      if (!k.ok()) {
        pv.key_state = KeyState::kInvalid;
        key_reason = k.message();
      }
    } else {
      pv.key.assign(key);
    }
    if (pv.key_state != KeyState::kOk) pv.key.clear();
    if (pv.key_state == KeyState::kMissing) {
      ++out->missing_keys;
      if (vm.on_missing == KeyPolicy::kReject) {
        Fail(out, key_col(), key_raw(), "missing_key",
             vm.label_name + " key " + vm.key_kind_name + " is empty");
        return;
      }
      pv.present = vm.on_missing == KeyPolicy::kResolve;
      pv.resolve = pv.present;
    } else if (pv.key_state == KeyState::kInvalid) {
      ++out->invalid_keys;
      if (vm.on_invalid == KeyPolicy::kReject) {
        Fail(out, key_col(), key_raw(), "invalid_key", *reason);
        return;
      }
      pv.present = vm.on_invalid == KeyPolicy::kResolve;
      pv.resolve = pv.present;
    }
    if (!pv.present) continue;
    if (pv.resolve) {
      out->needs_resolution = true;
    } else {
      pv.key_hash = TextHash(pv.key, vm.key_kind);
    }
    if (pv.props.capacity() < vm.properties.size()) reserve_props(&pv.props, vm.properties);
    for (const PropertyMapping& pm : vm.properties) {
      const std::string_view text = value_of(pm.value);
      if (text.empty()) continue;
      if (Status st = append_typed(&pv.props, pm, text); !st.ok()) {
        std::string col = pm.value.column >= 0 ? m_.columns[pm.value.column].name : pm.name;
        Fail(out, col, pm.value.column >= 0 ? values[pm.value.column] : text, "bad_value",
             vm.label_name + "." + pm.name + ": " + st.message());
        return;
      }
    }
    const MatchColumns& mc = vm.match;
    if (mc.name >= 0) {
      pv.has_match = true;
      pv.match.name.assign(norm[mc.name]);
      if (mc.birth_date >= 0 && !norm[mc.birth_date].empty()) {
        auto d = date_of(mc.birth_date);
        if (d.ok()) pv.match.birth_date = d->days;
      }
      if (mc.sex >= 0) pv.match.sex.assign(norm[mc.sex]);
      if (mc.address >= 0) pv.match.address.assign(norm[mc.address]);
      if (mc.phone >= 0) pv.match.phone.assign(norm[mc.phone]);
      if (pv.resolve && pv.match.name.empty()) {
        Fail(out, m_.columns[mc.name].name, values[mc.name], "missing_key",
             "no identity number and no name to resolve the person by");
        return;
      }
      pv.block_keys = BlockKeysOf(pv.match);
    }
  }

  // Edges: dates and properties.
  out->edges.resize(m_.edges.size());
  for (size_t ei = 0; ei < m_.edges.size(); ++ei) {
    const EdgeMapping& em = m_.edges[ei];
    ParsedEdge& pe = out->edges[ei];
    pe.present =
        out->vertices[em.from].present && out->vertices[em.to].present && Holds(em.when, norm);
    if (!pe.present) continue;
    for (int which = 0; which < 2; ++which) {
      int col = which == 0 ? em.valid_from : em.valid_to;
      if (col < 0 || norm[col].empty()) continue;
      auto d = date_of(col);
      if (!d.ok()) {
        Fail(out, m_.columns[col].name, values[col], "bad_value", d.status().message());
        return;
      }
      (which == 0 ? pe.valid_from : pe.valid_to) = *d;
    }
    if (pe.valid_to <= pe.valid_from) {
      Fail(out, em.valid_to >= 0 ? m_.columns[em.valid_to].name : "",
           em.valid_to >= 0 ? values[em.valid_to] : "", "rule",
           em.type_name + " ends (" + pe.valid_to.ToString() + ") on or before it starts (" +
               pe.valid_from.ToString() + ")");
      return;
    }
    reserve_props(&pe.props, em.properties);
    for (const PropertyMapping& pm : em.properties) {
      const std::string_view text = value_of(pm.value);
      if (text.empty()) continue;
      if (Status st = append_typed(&pe.props, pm, text); !st.ok()) {
        std::string col = pm.value.column >= 0 ? m_.columns[pm.value.column].name : pm.name;
        Fail(out, col, text, "bad_value", em.type_name + "." + pm.name + ": " + st.message());
        return;
      }
    }
  }

  if (m_.grid_column >= 0 && !norm[m_.grid_column].empty()) {
    out->grid.assign(norm[m_.grid_column]);
  }
  if (m_.date_column >= 0 && !norm[m_.date_column].empty()) {
    auto d = date_of(m_.date_column);
    if (d.ok()) {
      out->date = *d;
      out->has_date = true;
    }
  }
}

}  // namespace citygraph::ingest::internal
