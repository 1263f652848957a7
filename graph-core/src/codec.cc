#include "codec.h"

#include <algorithm>
#include <bit>

namespace citygraph::internal {

using namespace keyenc;

bool Reader::Need(size_t n) {
  if (!ok_ || data_.size() - pos_ < n) ok_ = false;
  return ok_;
}
uint8_t Reader::U8() { return Need(1) ? static_cast<uint8_t>(data_[pos_++]) : 0; }
uint16_t Reader::U16() {
  if (!Need(2)) return 0;
  pos_ += 2;
  return GetU16(data_.data() + pos_ - 2);
}
uint32_t Reader::U32() {
  if (!Need(4)) return 0;
  pos_ += 4;
  return GetU32(data_.data() + pos_ - 4);
}
uint64_t Reader::U64() {
  if (!Need(8)) return 0;
  pos_ += 8;
  return GetU64(data_.data() + pos_ - 8);
}
std::string_view Reader::Bytes(size_t n) {
  if (!Need(n)) return {};
  pos_ += n;
  return data_.substr(pos_ - n, n);
}

void EncodeValue(const Value& v, std::string* out) {
  out->push_back(static_cast<char>(v.index()));
  switch (v.index()) {
    case 0:
      break;
    case 1: {
      const auto& s = std::get<std::string>(v);
      PutU32(out, static_cast<uint32_t>(s.size()));
      out->append(s);
      break;
    }
    case 2:
      PutI64(out, std::get<int64_t>(v));
      break;
    case 3:
      PutU64(out, std::bit_cast<uint64_t>(std::get<double>(v)));
      break;
    case 4:
      out->push_back(std::get<bool>(v) ? 1 : 0);
      break;
    case 5:
      PutI32(out, std::get<Date>(v).days);
      break;
    case 6:
      PutI64(out, std::get<Timestamp>(v).micros);
      break;
  }
}

size_t EncodedValueSize(const Value& v) {
  switch (v.index()) {
    case 1:
      return 1 + 4 + std::get<std::string>(v).size();
    case 2:
    case 3:
    case 6:
      return 1 + 8;
    case 4:
      return 1 + 1;
    case 5:
      return 1 + 4;
    default:
      return 1;
  }
}

bool DecodeValue(Reader* r, Value* v) {
  switch (r->U8()) {
    case 0:
      *v = std::monostate{};
      break;
    case 1: {
      uint32_t n = r->U32();
      *v = std::string(r->Bytes(n));
      break;
    }
    case 2:
      *v = r->I64();
      break;
    case 3:
      *v = std::bit_cast<double>(r->U64());
      break;
    case 4:
      *v = r->U8() != 0;
      break;
    case 5:
      *v = Date{r->I32()};
      break;
    case 6:
      *v = Timestamp{r->I64()};
      break;
    default:
      return false;
  }
  return r->ok();
}

void EncodeObservation(const PropertyObservation& o, std::string* out) {
  PutU16(out, o.prop);
  PutU32(out, o.source.source);
  PutU32(out, o.source.record);
  PutU32(out, o.source.batch);
  EncodeValue(o.value, out);
}

static bool DecodeObservation(Reader* r, PropertyObservation* o) {
  o->prop = r->U16();
  o->source.source = r->U32();
  o->source.record = r->U32();
  o->source.batch = r->U32();
  return DecodeValue(r, &o->value);
}

bool DecodeObservations(std::string_view data, std::vector<PropertyObservation>* out) {
  Reader r(data);
  while (!r.done()) {
    PropertyObservation o;
    if (!DecodeObservation(&r, &o)) return false;
    out->push_back(std::move(o));
  }
  return true;
}

bool SkipValue(Reader* r) {
  static constexpr int kFixed[] = {0, -1, 8, 8, 1, 4, 8};  // bytes after the tag; -1: string
  const uint8_t tag = r->U8();
  if (tag >= std::size(kFixed)) return false;
  const size_t n = kFixed[tag] < 0 ? r->U32() : static_cast<size_t>(kFixed[tag]);
  r->Bytes(n);
  return r->ok();
}

std::string_view FirstValue(std::string_view data) {
  Reader r(data);
  if (!SkipValue(&r)) return {};
  return data.substr(0, r.pos());
}

bool EncodedType(std::string_view data, PropType* type) {
  static constexpr PropType kTypes[] = {PropType::kString, PropType::kInt64, PropType::kDouble,
                                        PropType::kBool,   PropType::kDate,  PropType::kTimestamp};
  if (data.empty() || data[0] == 0 || static_cast<uint8_t>(data[0]) > std::size(kTypes)) {
    return false;
  }
  *type = kTypes[static_cast<uint8_t>(data[0]) - 1];  // tags are Value's indexes
  return true;
}

bool ObservationsOk(std::string_view data, size_t props) {
  Reader r(data);
  while (!r.done()) {
    const PropId prop = r.U16();
    r.Bytes(12);  // source, record, batch
    if (prop >= props || !SkipValue(&r)) return false;
  }
  return r.ok();
}

// Decodes only the values of `prop`: the other observations are stepped over.
Value LatestValue(std::string_view data, PropId prop) {
  Reader r(data);
  Value best;
  BatchId best_batch = 0;
  bool found = false;
  while (!r.done()) {
    const PropId p = r.U16();
    r.Bytes(8);  // source, record
    const BatchId batch = r.U32();
    if (p == prop && (!found || batch >= best_batch)) {
      Value v;
      if (!DecodeValue(&r, &v)) break;
      best = std::move(v);
      best_batch = batch;
      found = true;
    } else if (!SkipValue(&r)) {
      break;
    }
  }
  return best;
}

void EncodeProps(const Properties& props, std::string* out) {
  for (const auto& [prop, value] : props) {
    PutU16(out, prop);
    EncodeValue(value, out);
  }
}

size_t EncodedPropsSize(const Properties& props) {
  size_t n = 0;
  for (const auto& [prop, value] : props) n += 2 + EncodedValueSize(value);
  return n;
}

bool DecodeProps(std::string_view data, Properties* out) {
  Reader r(data);
  while (!r.done()) {
    PropId prop = r.U16();
    Value v;
    if (!DecodeValue(&r, &v)) return false;
    out->emplace_back(prop, std::move(v));
  }
  return true;
}

void EncodeAuxKey(std::string_view ns, std::string_view key, std::string* out) {
  PutU16(out, static_cast<uint16_t>(ns.size()));
  out->append(ns);
  out->append(key);
}

void EncodeKey(KeyKindId kind, std::string_view value, std::string* out) {
  PutU16(out, kind);
  PutU32(out, static_cast<uint32_t>(value.size()));
  out->append(value);
}

bool DecodeKeys(std::string_view data, KeyList* out) {
  Reader r(data);
  while (!r.done()) {
    KeyKindId kind = r.U16();
    uint32_t n = r.U32();
    std::string_view v = r.Bytes(n);
    if (!r.ok()) return false;
    out->emplace_back(kind, std::string(v));
  }
  return true;
}

bool KeysContain(std::string_view data, KeyKindId kind, std::string_view value) {
  Reader r(data);
  while (!r.done()) {
    KeyKindId k = r.U16();
    uint32_t n = r.U32();
    std::string_view v = r.Bytes(n);
    if (!r.ok()) return false;
    if (k == kind && v == value) return true;
  }
  return false;
}

void EncodeEdge(const EdgeRecord& e, std::string_view props_encoded, std::string* out) {
  // The fixed part, built in place and appended once (the bulk path encodes
  // tens of millions of these).
  char buf[34];
  char* p = StoreU32(StoreU32(buf, e.src), e.dst);
  *p++ = static_cast<char>(e.type >> 8);
  *p++ = static_cast<char>(e.type);
  p = StoreU32(p, static_cast<uint32_t>(e.valid_from.days) ^ 0x80000000u);
  p = StoreU32(p, static_cast<uint32_t>(e.valid_to.days) ^ 0x80000000u);
  p = StoreU32(StoreU32(StoreU32(p, e.source.source), e.source.record), e.source.batch);
  out->append(buf, static_cast<size_t>(p - buf));
  out->append(props_encoded);
}

bool DecodeEdge(std::string_view data, EdgeRecord* e, std::string_view* props) {
  constexpr size_t kFixed = 4 + 4 + 2 + 4 + 4 + 4 + 4 + 4;
  if (data.size() < kFixed) return false;
  Reader r(data);
  e->src = r.U32();
  e->dst = r.U32();
  e->type = r.U16();
  e->valid_from = Date{r.I32()};
  e->valid_to = Date{r.I32()};
  e->source.source = r.U32();
  e->source.record = r.U32();
  e->source.batch = r.U32();
  *props = data.substr(kFixed);
  return true;
}

}  // namespace citygraph::internal
