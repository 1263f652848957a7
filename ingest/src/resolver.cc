// Blocking, Fellegi-Sunter scoring and the merge decision.
#include "citygraph/ingest/resolver.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include "huge_pages.h"

namespace citygraph::ingest {
namespace {

constexpr uint64_t kNameBirthSeed = 0x6e616d65;
constexpr uint64_t kAddressSeed = 0x61646472;
constexpr uint64_t kPhoneSeed = 0x70686f6e;

template <typename T, typename U>
void AddUnique(std::vector<T>* v, const U& x) {
  if (std::find(v->begin(), v->end(), x) == v->end()) v->emplace_back(x);
}

std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = 0;
    for (size_t k = 0; k < len && i + k < s.size(); ++k)
      cp = (cp << 8) | static_cast<unsigned char>(s[i + k]);
    out.push_back(cp);
    i += len;
  }
  return out;
}

// True when a and b differ by one substituted, inserted or deleted character.
bool OneEditApart(std::string_view a, std::string_view b) {
  auto x = CodePoints(a), y = CodePoints(b);
  if (x.size() > y.size()) std::swap(x, y);
  if (y.size() - x.size() > 1) return false;
  size_t i = 0, j = 0, edits = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] == y[j]) {
      ++i, ++j;
      continue;
    }
    if (++edits > 1) return false;
    if (x.size() == y.size()) ++i;
    ++j;
  }
  edits += (x.size() - i) + (y.size() - j);
  return edits == 1;
}

// Little-endian load of 1..8 bytes (zero-filled).
uint64_t LoadLe(const char* p, size_t n) {
  uint64_t w = 0;
  std::memcpy(&w, p, n);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}

uint64_t Mix(uint64_t h) {
  h *= 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}

// TextHash(name + "|" + decimal birth date, kNameBirthSeed), without a
// heap string.
uint64_t NameBirthKey(const MatchRecord& r) {
  char digits[16];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, r.birth_date);
  (void)ec;  // 16 bytes hold every int32
  const size_t nd = static_cast<size_t>(end - digits);
  char buf[128];
  if (r.name.size() + 1 + nd > sizeof buf) {
    std::string s = r.name;
    s.append("|").append(digits, nd);
    return TextHash(s, kNameBirthSeed);
  }
  std::memcpy(buf, r.name.data(), r.name.size());
  buf[r.name.size()] = '|';
  std::memcpy(buf + r.name.size() + 1, digits, nd);
  return TextHash(std::string_view(buf, r.name.size() + 1 + nd), kNameBirthSeed);
}

double Agree(const FieldWeights& w) { return std::log2(w.m / w.u); }
double Disagree(const FieldWeights& w) { return std::log2((1 - w.m) / (1 - w.u)); }

}  // namespace

uint64_t TextHash(std::string_view s, uint64_t seed) {
  // Eight bytes per multiply (byte-wise FNV-1a took a multiply per byte, and
  // every record's whole text is hashed); the length and seed start it.
  uint64_t h = Mix(seed ^ (s.size() * 0xC2B2AE3D27D4EB4Full) ^ 0x165667B19E3779F9ull);
  const char* p = s.data();
  size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) h = Mix(h ^ LoadLe(p, 8));
  if (n > 0) h = Mix(h ^ LoadLe(p, n));
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  return h ^ (h >> 32);
}

BlockKeys BlockKeysOf(const MatchRecord& r) {
  BlockKeys k;
  if (!r.address.empty()) k.address = TextHash(r.address, kAddressSeed);
  if (!r.phone.empty()) k.phone = TextHash(r.phone, kPhoneSeed);
  if (!r.name.empty() && r.birth_date != MatchRecord::kNoDate) k.name_birth = NameBirthKey(r);
  return k;
}

void PersonIndex::Reserve(size_t people, size_t blocks) {
  people_.reserve(people);
  while (blocks * 2 > block_slots_.size()) GrowBlocks();
  block_nodes_.reserve(blocks);
}

const PersonIndex::BlockSlot* PersonIndex::FindBlock(uint64_t key) const {
  if (block_slots_.empty()) return nullptr;
  const size_t mask = block_slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    const BlockSlot& s = block_slots_[i];
    if (s.head == kNoSlot) return nullptr;
    if (s.key == key) return &s;
  }
}

void PersonIndex::GrowBlocks() {
  std::vector<BlockSlot> old;
  old.swap(block_slots_);
  block_slots_ = internal::HugeVector(old.empty() ? 4096 : old.size() * 2, BlockSlot{});
  const size_t mask = block_slots_.size() - 1;
  for (const BlockSlot& s : old) {
    if (s.head == kNoSlot) continue;
    size_t i = s.key & mask;
    while (block_slots_[i].head != kNoSlot) i = (i + 1) & mask;
    block_slots_[i] = s;
  }
}

void PersonIndex::Prefetch(const BlockKeys& keys) const {
  if (block_slots_.empty()) return;
  const size_t mask = block_slots_.size() - 1;
  for (uint64_t key : {keys.address, keys.phone, keys.name_birth}) {
    __builtin_prefetch(&block_slots_[key & mask]);
  }
}

void PersonIndex::AddBlock(uint64_t key, VertexId v) {
  if ((num_blocks_ + 1) * 2 > block_slots_.size()) GrowBlocks();
  const size_t mask = block_slots_.size() - 1;
  size_t i = key & mask;
  while (block_slots_[i].head != kNoSlot && block_slots_[i].key != key) i = (i + 1) & mask;
  BlockSlot& s = block_slots_[i];
  const auto node = static_cast<uint32_t>(block_nodes_.size());
  if (s.head == kNoSlot) {
    s = BlockSlot{key, node, node};
    ++num_blocks_;
  } else {
    for (uint32_t n = s.head; n != kNoSlot; n = block_nodes_[n].next) {
      if (block_nodes_[n].v == v) return;
    }
    block_nodes_[s.tail].next = node;
    s.tail = node;
  }
  if (block_nodes_.size() == block_nodes_.capacity()) {
    internal::GrowHuge(&block_nodes_, std::max<size_t>(4096, block_nodes_.size() * 2));
  }
  block_nodes_.push_back(BlockNode{v, kNoSlot});
}

void PersonIndex::Add(VertexId v, const MatchRecord& r, const BlockKeys& keys) {
  if (log_ != nullptr && LogOrCatchUp(v, r, keys)) return;
  AddFields(v, Fields{r.name, r.sex, r.birth_date, !r.address.empty(), !r.phone.empty()}, keys);
}

void PersonIndex::AddFields(VertexId v, const Fields& f, const BlockKeys& keys) {
  if (v >= slot_.size()) slot_.resize(std::max<size_t>(v + 1, slot_.size() * 2), kNoSlot);
  if (slot_[v] == kNoSlot) {
    slot_[v] = static_cast<uint32_t>(people_.size());
    people_.emplace_back();
  }
  Person& p = people_[slot_[v]];
  if (!f.name.empty()) AddUnique(&p.names, f.name);
  if (f.birth_date != MatchRecord::kNoDate) AddUnique(&p.birth_dates, f.birth_date);
  if (!f.sex.empty()) AddUnique(&p.sexes, f.sex);
  if (f.has_address) {
    AddUnique(&p.addresses, keys.address);
    AddBlock(keys.address, v);
  }
  if (f.has_phone) {
    AddUnique(&p.phones, keys.phone);
    AddBlock(keys.phone, v);
  }
  if (!f.name.empty() && f.birth_date != MatchRecord::kNoDate) AddBlock(keys.name_birth, v);
}

size_t PersonIndex::ProbedKeys(const MatchRecord& r, const BlockKeys& keys, uint64_t out[3]) {
  size_t n = 0;
  if (!r.name.empty() && r.birth_date != MatchRecord::kNoDate) out[n++] = keys.name_birth;
  if (!r.address.empty()) out[n++] = keys.address;
  if (!r.phone.empty()) out[n++] = keys.phone;
  return n;
}

void PersonIndex::LoadFrom(const Snapshot& snap) {
  const Schema& schema = snap.schema();
  auto person = schema.FindLabel("Person");
  if (!person.ok()) return;
  auto name = schema.FindVertexProperty(*person, "name");
  auto birth = schema.FindVertexProperty(*person, "birth_date");
  auto sex = schema.FindVertexProperty(*person, "sex");
  auto uses = schema.FindEdgeType("USES");
  auto resides = schema.FindEdgeType("RESIDES_AT");
  auto owns = schema.FindEdgeType("OWNS");
  auto member = schema.FindEdgeType("MEMBER_OF");
  auto house = schema.FindLabel("House");
  auto household = schema.FindLabel("Household");
  auto phone_kind = schema.FindKeyKind("phone");
  auto house_addr = house.ok() ? schema.FindVertexProperty(*house, "address") : NotFound("");
  auto hh_addr = household.ok() ? schema.FindVertexProperty(*household, "address") : NotFound("");
  for (VertexId v : snap.vertices_with_label(*person)) {
    MatchRecord r;
    if (name.ok()) {
      for (const auto& obs : snap.properties(v)) {
        if (obs.prop == *name && std::holds_alternative<std::string>(obs.value)) {
          r.name = std::get<std::string>(obs.value);
        } else if (birth.ok() && obs.prop == *birth && std::holds_alternative<Date>(obs.value)) {
          r.birth_date = std::get<Date>(obs.value).days;
        } else if (sex.ok() && obs.prop == *sex && std::holds_alternative<std::string>(obs.value)) {
          r.sex = std::get<std::string>(obs.value);
        }
      }
    }
    Add(v, r);
    for (const AdjEntry& a : snap.out_edges(v)) {
      const EdgeRecord& e = snap.edge(a.edge);
      MatchRecord x;
      if (uses.ok() && e.type == *uses && phone_kind.ok()) {
        for (const auto& [kind, value] : snap.keys(a.nbr)) {
          if (kind == *phone_kind) x.phone = value;
        }
      } else if ((resides.ok() && e.type == *resides) || (owns.ok() && e.type == *owns)) {
        if (house_addr.ok() && snap.label(a.nbr) == *house) {
          Value addr = snap.property(a.nbr, *house_addr);
          if (auto* s = std::get_if<std::string>(&addr)) x.address = *s;
        }
      } else if (member.ok() && e.type == *member && hh_addr.ok()) {
        Value addr = snap.property(a.nbr, *hh_addr);
        if (auto* s = std::get_if<std::string>(&addr)) x.address = *s;
      }
      if (!x.phone.empty() || !x.address.empty()) Add(v, x);
    }
  }
}

double PersonIndex::Score(const MatchRecord& r, const Person& p, const ResolutionConfig& c,
                          std::vector<FieldComparison>* fields) const {
  double score = 0;
  auto field = [&](const char* name, bool have, bool agree, const FieldWeights& w) {
    if (!have) return;
    double weight = agree ? Agree(w) : Disagree(w);
    score += weight;
    if (fields) fields->push_back({name, agree, weight});
  };
  // Names: exact, one character apart (partial weight), or disagree.
  if (!r.name.empty() && !p.names.empty()) {
    bool exact = std::find(p.names.begin(), p.names.end(), r.name) != p.names.end();
    bool similar = false;
    if (!exact) {
      for (const auto& n : p.names) similar |= OneEditApart(n, r.name);
    }
    if (similar) {
      score += c.name_similar_weight;
      if (fields) fields->push_back({"name", false, c.name_similar_weight});
    } else {
      field("name", true, exact, c.name);
    }
  }
  field("birth_date", r.birth_date != MatchRecord::kNoDate && !p.birth_dates.empty(),
        std::find(p.birth_dates.begin(), p.birth_dates.end(), r.birth_date) != p.birth_dates.end(),
        c.birth_date);
  field("sex", !r.sex.empty() && !p.sexes.empty(),
        std::find(p.sexes.begin(), p.sexes.end(), r.sex) != p.sexes.end(), c.sex);
  uint64_t ah = TextHash(r.address, kAddressSeed);
  field("address", !r.address.empty() && !p.addresses.empty(),
        std::find(p.addresses.begin(), p.addresses.end(), ah) != p.addresses.end(), c.address);
  uint64_t ph = TextHash(r.phone, kPhoneSeed);
  field("phone", !r.phone.empty() && !p.phones.empty(),
        std::find(p.phones.begin(), p.phones.end(), ph) != p.phones.end(), c.phone);
  return score;
}

MatchOutcome PersonIndex::Resolve(const MatchRecord& r, const ResolutionConfig& c) const {
  std::vector<VertexId> cands;
  auto take = [&](uint64_t key) {
    const BlockSlot* s = FindBlock(key);
    if (s == nullptr) return;
    size_t taken = 0;
    for (uint32_t n = s->head; n != kNoSlot && taken < c.max_block; n = block_nodes_[n].next) {
      cands.push_back(block_nodes_[n].v);
      ++taken;
    }
  };
  uint64_t probed[3];
  const size_t n = ProbedKeys(r, BlockKeysOf(r), probed);
  for (size_t i = 0; i < n; ++i) take(probed[i]);
  std::sort(cands.begin(), cands.end());
  cands.erase(std::unique(cands.begin(), cands.end()), cands.end());

  MatchOutcome out;
  double second = -1e300;
  bool have = false;
  for (VertexId v : cands) {
    const Person* p = Find(v);
    if (p == nullptr) continue;
    double s = Score(r, *p, c, nullptr);
    // Ties go to the smaller id, so the outcome does not depend on block order.
    if (!have || s > out.score) {
      if (have) second = out.score;
      out.score = s;
      out.candidate = v;
      have = true;
    } else if (s > second) {
      second = s;
    }
  }
  if (!have) {
    out.score = 0;
    return out;
  }
  Score(r, *Find(out.candidate), c, &out.fields);
  if (out.score >= c.upper && out.score - second >= c.ambiguity_margin) {
    out.decision = MatchDecision::kMerged;
  } else if (out.score >= c.lower) {
    out.decision = MatchDecision::kPossible;
  } else {
    out.decision = MatchDecision::kNew;
  }
  return out;
}

}  // namespace citygraph::ingest
