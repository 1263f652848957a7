// Projection of a small governance graph (labels, edge types, as-of date,
// direction) and writing results back as vertex properties.
#include "citygraph/algo/projection.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "citygraph/algo/kernels.h"
#include "citygraph/algo/write_back.h"

namespace citygraph::algo {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSchema = R"(
key_kinds: [id_number, cert_no]
vertex_labels:
  Person:
    keys: [id_number]
    properties: {name: string, score: double, community: int64}
  House:
    keys: [cert_no]
    properties: {address: string}
edge_types:
  OWNS: {from: [Person], to: [House], properties: {share: double}}
  KNOWS: {from: [Person], to: [Person], properties: {}}
)";

Date D(const char* iso) { return *Date::Parse(iso); }

ProjectionOptions Opts(std::vector<std::string> labels, std::vector<std::string> types = {},
                       std::optional<Date> as_of = std::nullopt, bool directed = false) {
  ProjectionOptions o;
  o.labels = std::move(labels);
  o.edge_types = std::move(types);
  o.as_of = as_of;
  o.directed = directed;
  return o;
}

std::string Key(char prefix, int i) {
  std::string s(1, prefix);
  s.append(std::to_string(i));
  return s;
}

class ProjectionTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("citygraph_projection_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    auto schema = Schema::Parse(kSchema);
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    DatabaseOptions opt;
    opt.sync = false;
    auto db = Database::Create(dir_.string(), *schema, opt);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto src = db_->RegisterSource("test", "projection_test");
    ASSERT_TRUE(src.ok());
    WriteBatch b(db_->schema());
    LabelId person = *(*schema)->FindLabel("Person"), house = *(*schema)->FindLabel("House");
    EdgeTypeId owns = *(*schema)->FindEdgeType("OWNS"), knows = *(*schema)->FindEdgeType("KNOWS");
    // Persons 0..3, houses 4..5.
    for (int i = 0; i < 4; ++i) {
      auto p = b.AddVertex(person);
      b.AddKey(p, 0, Key('P', i));
    }
    for (int i = 0; i < 2; ++i) {
      auto h = b.AddVertex(house);
      b.AddKey(h, 1, Key('H', i));
    }
    auto edge = [&](EdgeTypeId t, uint32_t s, uint32_t d, Date from, Date to) {
      EdgeSpec e;
      e.type = t;
      e.src = VertexRef::New(s);
      e.dst = VertexRef::New(d);
      e.valid_from = from;
      e.valid_to = to;
      e.source = SourceRef{*src, 0, 0};
      b.AddEdge(e);
    };
    edge(knows, 0, 1, Date::Min(), Date::Max());
    edge(knows, 1, 2, D("2020-01-01"), D("2021-01-01"));  // ended
    edge(knows, 2, 3, D("2022-01-01"), Date::Max());      // begins later
    edge(owns, 0, 4, Date::Min(), Date::Max());
    edge(owns, 3, 4, Date::Min(), Date::Max());
    edge(owns, 2, 5, Date::Min(), Date::Max());
    auto r = db_->Write(b);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ids_ = r->vertex_ids;
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  fs::path dir_;
  std::unique_ptr<Database> db_;
  std::vector<VertexId> ids_;
};

TEST_F(ProjectionTest, LabelsTypesDateAndDirection) {
  auto snap = db_->GetSnapshot();
  auto all = Project(*snap, Opts({}));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->graph.num_nodes(), 6u);
  EXPECT_EQ(all->graph.num_edges(), 6u);
  EXPECT_FALSE(all->graph.directed());

  auto persons = Project(*snap, Opts({"Person"}, {"KNOWS"}));
  ASSERT_TRUE(persons.ok());
  EXPECT_EQ(persons->graph.num_nodes(), 4u);
  EXPECT_EQ(persons->graph.num_edges(), 3u);

  auto in2020 = Project(*snap, Opts({"Person"}, {}, D("2020-06-01")));
  ASSERT_TRUE(in2020.ok());
  EXPECT_EQ(in2020->graph.num_edges(), 2u);  // 0-1 and 1-2
  auto in2023 = Project(*snap, Opts({"Person"}, {}, D("2023-06-01")));
  EXPECT_EQ(in2023->graph.num_edges(), 2u);  // 0-1 and 2-3
  // Valid-to is exclusive: on 2021-01-01 the 1-2 edge no longer holds.
  auto boundary = Project(*snap, Opts({"Person"}, {}, D("2021-01-01")));
  EXPECT_EQ(boundary->graph.num_edges(), 1u);

  auto directed = Project(*snap, Opts({}, {"OWNS"}, std::nullopt, true));
  ASSERT_TRUE(directed.ok());
  const CsrGraph& g = directed->graph;
  Node house0 = *g.FindNode(ids_[4]);
  EXPECT_EQ(g.in_degree(house0), 2u);
  EXPECT_EQ(g.out_degree(house0), 0u);
  EXPECT_EQ(directed->vertex[house0], ids_[4]);

  // People linked through a shared house end up in one component.
  auto comp = Wcc(all->graph);
  EXPECT_EQ(comp[*all->graph.FindNode(ids_[0])], comp[*all->graph.FindNode(ids_[3])]);
}

TEST_F(ProjectionTest, UnknownNamesAreNamed) {
  auto snap = db_->GetSnapshot();
  auto bad = Project(*snap, Opts({"Persn"}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Persn"), std::string::npos);
  auto bad_type = Project(*snap, Opts({}, {"OWN"}));
  ASSERT_FALSE(bad_type.ok());
  EXPECT_NE(bad_type.status().message().find("OWN"), std::string::npos);
}

TEST_F(ProjectionTest, WriteBackNeedsThePropertyInTheSchema) {
  auto snap = db_->GetSnapshot();
  auto persons = Project(*snap, Opts({"Person"}));
  ASSERT_TRUE(persons.ok());
  std::vector<double> pr = PageRank(persons->graph, 10, 0.85);
  ASSERT_TRUE(WriteBackDoubles(*db_, *persons, "score", pr, "test").ok());
  std::vector<int64_t> comm(persons->vertex.size(), 7);
  ASSERT_TRUE(WriteBackIntegers(*db_, *persons, "community", comm, "test").ok());
  auto after = db_->GetSnapshot();
  PropId score = *after->schema().FindVertexProperty(0, "score");
  PropId community = *after->schema().FindVertexProperty(0, "community");
  for (Node u = 0; u < persons->vertex.size(); ++u) {
    EXPECT_EQ(after->property(persons->vertex[u], score), Value(pr[u]));
    EXPECT_EQ(after->property(persons->vertex[u], community), Value(int64_t{7}));
  }

  // House has no `score`: refused, naming label and property; nothing written.
  auto everyone = Project(*after, Opts({}));
  std::vector<double> ones(everyone->vertex.size(), 1.0);
  Status st = WriteBackDoubles(*db_, *everyone, "score", ones, "test");
  ASSERT_EQ(st.code(), StatusCode::kFailedPrecondition) << st.ToString();
  EXPECT_NE(st.message().find("'House'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("'score'"), std::string::npos) << st.message();
  EXPECT_EQ(db_->GetSnapshot()->property(persons->vertex[0], score), Value(pr[0]));
  // A string property cannot hold a score.
  st = WriteBackDoubles(*db_, *persons, "name", pr, "test");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
}

}  // namespace
}  // namespace citygraph::algo
