// A large locate batch builds batch-wide tables (every grid's workers, the
// sources that have entity-resolution matches) that a small batch does not:
// both ways must give the same rows, evidence and match scores included.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "citygraph/query/locate.h"
#include "citygraph/query/render.h"
#include "golden_city.h"

namespace citygraph::testing {
namespace {

TEST(LocateBatchTest, LargeBatchAnswersAsNumbersAskedOneByOne) {
  auto city =
      GoldenCity::Load(std::string(CITYGRAPH_GOLDEN_DIR) + "/city.txt", CITYGRAPH_SCHEMA_FILE);
  ASSERT_TRUE(city.ok()) << city.status().ToString();
  const query::QueryContext ctx = (*city)->Context();
  const Snapshot& snap = ctx.snap();
  const KeyKindId id_kind = *snap.schema().FindKeyKind("id_number");
  std::vector<std::string> distinct = {"12345", "110101199003077777"};  // invalid, unknown
  for (VertexId v = 0; v < snap.num_vertices(); ++v)
    for (const auto& [kind, value] : snap.keys(v))
      if (kind == id_kind) distinct.push_back(value);
  ASSERT_GT(distinct.size(), 6u);
  std::vector<std::string> batch;
  while (batch.size() < 200) batch.insert(batch.end(), distinct.begin(), distinct.end());

  const Date d = *Date::FromYmd(2024, 6, 30);
  const auto rank = query::RankingConfig::Default();
  auto all = query::Locate(ctx, batch, d, rank, query::Limits());
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->rows.size(), batch.size());
  size_t with_matches = 0, with_workers = 0;
  for (size_t i = 0; i < batch.size(); ++i) {
    auto one = query::Locate(ctx, std::span(&batch[i], 1), d, rank, query::Limits());
    ASSERT_TRUE(one.ok());
    query::LocateResult a{d, {all->rows[i]}, {}}, b{d, {one->rows[0]}, {}};
    a.rows[0].position = b.rows[0].position = 0;
    const nlohmann::json ja = query::ToJson(a), jb = query::ToJson(b);
    ASSERT_EQ(ja, jb) << "number " << batch[i];
    with_matches += ja.dump().find("\"decision\"") != std::string::npos;
    with_workers += !all->rows[i].grid_workers.empty();
  }
  // The comparison covers both tables.
  EXPECT_GT(with_matches, 0u);
  EXPECT_GT(with_workers, 0u);
}

}  // namespace
}  // namespace citygraph::testing
