// Tests for ingest/src/pending_keys.h: every inserted key is found (through
// growth, after Reserve, across key kinds), absent keys and keys sharing a
// hash but not a value are not, and Clear forgets everything.
#include "pending_keys.h"

#include <gtest/gtest.h>

#include <string>

#include "citygraph/ingest/resolver.h"

namespace citygraph::ingest::internal {
namespace {

// Adds key (kind, value) to `batch` and `keys`, as the loader does.
void Add(WriteBatch* batch, PendingKeys* keys, KeyKindId kind, const std::string& value) {
  const uint32_t op = static_cast<uint32_t>(batch->keys().size());
  keys->Insert(*batch, TextHash(value, kind), op);
  batch->AddKey(VertexRef::New(op), kind, value);
}

std::string Value(int i) {
  // Short (inline) and long (heap) strings alike.
  return i % 2 == 0 ? std::to_string(i) : "42010619900101" + std::to_string(100000 + i);
}

void ExpectAllFound(const WriteBatch& batch, const PendingKeys& keys, int n) {
  for (int i = 0; i < n; ++i) {
    for (KeyKindId kind : {KeyKindId{1}, KeyKindId{2}}) {
      const std::string v = Value(i);
      const uint32_t op = keys.Find(batch, kind, v, TextHash(v, kind));
      ASSERT_NE(op, PendingKeys::kNone) << "kind " << kind << " value " << v;
      EXPECT_EQ(batch.keys()[op].kind, kind);
      EXPECT_EQ(batch.keys()[op].value, v);
    }
  }
}

TEST(PendingKeysTest, FindsEveryKeyThroughGrowth) {
  WriteBatch batch(nullptr);
  PendingKeys keys;
  const std::string absent = Value(1);
  EXPECT_EQ(keys.Find(batch, 1, absent, TextHash(absent, 1)), PendingKeys::kNone);
  constexpr int kN = 5000;  // 10,000 keys: the table grows from 1,024 slots several times
  for (int i = 0; i < kN; ++i) {
    Add(&batch, &keys, 1, Value(i));
    Add(&batch, &keys, 2, Value(i));  // same value, other kind: another key
  }
  ExpectAllFound(batch, keys, kN);
  for (int i = kN; i < kN + 100; ++i) {
    const std::string v = Value(i);
    EXPECT_EQ(keys.Find(batch, 1, v, TextHash(v, 1)), PendingKeys::kNone) << v;
  }
  // A value that is not stored, looked up with a stored key's hash: the tag
  // matches, the value comparison must not.
  const std::string stored = Value(7);
  EXPECT_EQ(keys.Find(batch, 1, "other", TextHash(stored, 1)), PendingKeys::kNone);
  keys.Clear();
  EXPECT_EQ(keys.Find(batch, 1, stored, TextHash(stored, 1)), PendingKeys::kNone);
}

TEST(PendingKeysTest, ReserveKeepsEarlierKeysAndFindsLaterOnes) {
  WriteBatch batch(nullptr);
  PendingKeys keys;
  for (int i = 0; i < 300; ++i) {
    Add(&batch, &keys, 1, Value(i));
    Add(&batch, &keys, 2, Value(i));
  }
  keys.Reserve(batch, 100000);  // rebuilt from the batch's 600 keys
  ExpectAllFound(batch, keys, 300);
  for (int i = 300; i < 3000; ++i) {
    Add(&batch, &keys, 1, Value(i));
    Add(&batch, &keys, 2, Value(i));
  }
  ExpectAllFound(batch, keys, 3000);
}

}  // namespace
}  // namespace citygraph::ingest::internal
