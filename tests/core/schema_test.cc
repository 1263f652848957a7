// Schema parsing: the city schema loads; malformed schemas fail with an
// error naming the culprit; the Check* functions name label, type, property.
#include "citygraph/schema.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace citygraph {
namespace {

void ExpectParseError(const std::string& yaml, const std::string& needle) {
  auto s = Schema::Parse(yaml);
  ASSERT_FALSE(s.ok()) << yaml;
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find(needle), std::string::npos)
      << "'" << needle << "' not in: " << s.status().ToString();
}

TEST(SchemaTest, CitySchemaLoads) {
  auto s = Schema::ReadFile(CITYGRAPH_CITY_SCHEMA);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const Schema& schema = **s;
  auto person = schema.FindLabel("Person");
  ASSERT_TRUE(person.ok());
  auto owns = schema.FindEdgeType("OWNS");
  ASSERT_TRUE(owns.ok());
  auto share = schema.FindEdgeProperty(*owns, "share");
  ASSERT_TRUE(share.ok());
  EXPECT_EQ(schema.edge_types()[*owns].properties[*share].type, PropType::kDouble);
  auto birth = schema.FindVertexProperty(*person, "birth_date");
  ASSERT_TRUE(birth.ok());
  EXPECT_EQ(schema.labels()[*person].properties[*birth].type, PropType::kDate);
  auto id_number = schema.FindKeyKind("id_number");
  ASSERT_TRUE(id_number.ok());
  EXPECT_TRUE(schema.CheckKey(*person, *id_number).ok());
  EXPECT_FALSE(schema.text().empty());
  EXPECT_EQ(Schema::ReadFile("/no/such/schema.yaml").status().code(), StatusCode::kIOError);
}

TEST(SchemaTest, MalformedSchemasNameTheCulprit) {
  ExpectParseError("vertex_labels: [", "schema");
  ExpectParseError("vertex_labels: {}", "vertex_labels");
  ExpectParseError("vertex_labels:\n  Person:\n    properties: {age: integer}\n", "age");
  ExpectParseError("vertex_labels:\n  Person:\n    properties: {age: integer}\n", "integer");
  ExpectParseError("vertex_labels:\n  Person:\n    keys: [plate]\n", "plate");
  ExpectParseError(
      "vertex_labels:\n  Person: {}\nedge_types:\n  OWNS:\n    from: [Person]\n    to: [Hous]\n",
      "Hous");
  ExpectParseError("vertex_labels:\n  Person: {}\nedge_types:\n  OWNS:\n    from: [Person]\n",
                   "OWNS");
  ExpectParseError("key_kinds: [a, a]\nvertex_labels:\n  P: {}\n", "'a'");
  ExpectParseError("vertex_labels:\n  P: {}\nextras: 1\n", "extras");
  ExpectParseError(
      "vertex_labels:\n  Person:\n    properties: {name: string}\n"
      "    bogus: [x]\n  House: 7\n",
      "House");
}

TEST(SchemaTest, ChecksNameLabelTypeAndProperty) {
  auto schema = testing::TestSchema();
  const LabelId person = *schema->FindLabel("Person");
  const LabelId house = *schema->FindLabel("House");
  const EdgeTypeId owns = *schema->FindEdgeType("OWNS");
  Status st = schema->CheckVertexProperty(person, 1, Value(std::string("x")));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("Person"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("age"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("int64"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("string"), std::string::npos) << st.ToString();
  EXPECT_TRUE(schema->CheckVertexProperty(person, 1, Value(int64_t{3})).ok());
  EXPECT_FALSE(schema->CheckVertexProperty(person, 1, Value()).ok());
  EXPECT_FALSE(schema->CheckVertexProperty(person, 17, Value(int64_t{3})).ok());
  st = schema->CheckEdge(owns, house, person, {});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("OWNS"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("House"), std::string::npos) << st.ToString();
  EXPECT_TRUE(schema->CheckEdge(owns, person, house, {{0, 0.25}}).ok());
  st = schema->CheckEdge(owns, person, house, {{0, true}});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("share"), std::string::npos) << st.ToString();
  st = schema->CheckKey(house, *schema->FindKeyKind("id_number"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("House"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("id_number"), std::string::npos) << st.ToString();
  EXPECT_EQ(schema->FindLabel("Persn").status().code(), StatusCode::kNotFound);
  EXPECT_NE(schema->FindLabel("Persn").status().message().find("Persn"), std::string::npos);
  EXPECT_EQ(schema->FindVertexProperty(person, "nam").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace citygraph
