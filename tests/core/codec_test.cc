// Tests for graph-core/src/codec.h's size functions: EncodedValueSize and
// EncodedPropsSize give exactly the bytes EncodeValue and EncodeProps append,
// for every value type, and encoded properties decode back.
#include "codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace citygraph::internal {
namespace {

std::vector<Value> EveryType() {
  return {Value{},
          Value{std::string()},
          Value{std::string("武汉市洪山区花水街道常月大道225号")},
          Value{int64_t{-42}},
          Value{3.25},
          Value{true},
          Value{Date{12345}},
          Value{Timestamp{1700000000000000}}};
}

TEST(CodecTest, EncodedValueSizeIsWhatEncodeValueAppends) {
  for (const Value& v : EveryType()) {
    std::string out = "prefix";
    EncodeValue(v, &out);
    EXPECT_EQ(EncodedValueSize(v), out.size() - 6) << "value type " << v.index();
  }
}

TEST(CodecTest, EncodedPropsSizeIsWhatEncodePropsAppends) {
  Properties props;
  EXPECT_EQ(EncodedPropsSize(props), 0u);
  PropId id = 0;
  for (const Value& v : EveryType()) props.emplace_back(id++, v);
  std::string out;
  EncodeProps(props, &out);
  EXPECT_EQ(EncodedPropsSize(props), out.size());
  Properties back;
  ASSERT_TRUE(DecodeProps(out, &back));
  EXPECT_EQ(back, props);
}

}  // namespace
}  // namespace citygraph::internal
