// A large locate batch builds batch-wide tables (every grid's workers, the
// sources that have entity-resolution matches) that a small batch does not:
// both ways must give the same rows, evidence and match scores included. The
// grid-worker table is kept across batches per snapshot and date: batches on
// alternating dates must each see their own date's assignments.
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

  const auto rank = query::RankingConfig::Default();
  // Worker w3 is assigned to grid g2 until 2024-01-01 (golden/city.txt).
  const Date before = *Date::FromYmd(2023, 12, 1), after = *Date::FromYmd(2024, 6, 30);
  std::vector<size_t> most_workers;  // per batch, the most workers of one row
  for (Date d : {after, before, after, before}) {
    auto all = query::Locate(ctx, batch, d, rank, query::Limits());
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    ASSERT_EQ(all->rows.size(), batch.size());
    size_t with_matches = 0, workers = 0, most = 0;
    for (size_t i = 0; i < batch.size(); ++i) {
      auto one = query::Locate(ctx, std::span(&batch[i], 1), d, rank, query::Limits());
      ASSERT_TRUE(one.ok());
      query::LocateResult a{d, {all->rows[i]}, {}}, b{d, {one->rows[0]}, {}};
      a.rows[0].position = b.rows[0].position = 0;
      const nlohmann::json ja = query::ToJson(a), jb = query::ToJson(b);
      ASSERT_EQ(ja, jb) << "number " << batch[i] << " on " << d.ToString();
      with_matches += ja.dump().find("\"decision\"") != std::string::npos;
      workers += all->rows[i].grid_workers.size();
      most = std::max(most, all->rows[i].grid_workers.size());
    }
    // The comparison covers both tables.
    EXPECT_GT(with_matches, 0u);
    EXPECT_GT(workers, 0u);
    most_workers.push_back(most);
  }
  // Grid g2 has w2 and w3 before 2024, only w2 after.
  EXPECT_EQ(most_workers, (std::vector<size_t>{1, 2, 1, 2}));
}

}  // namespace
}  // namespace citygraph::testing
