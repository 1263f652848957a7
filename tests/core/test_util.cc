#include "test_util.h"

#include <unistd.h>

#include <random>
#include <sstream>

namespace citygraph::testing {

TempDir::TempDir() {
  std::random_device rd;
  path_ = (std::filesystem::temp_directory_path() /
           ("cg_core_" + std::to_string(getpid()) + "_" + std::to_string(rd())))
              .string();
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::shared_ptr<const Schema> TestSchema() {
  auto schema = Schema::Parse(kTestSchema);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return *schema;
}

std::unique_ptr<Database> CreateTestDb(const std::string& dir, DatabaseOptions options) {
  auto db = Database::Create(dir, TestSchema(), options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return nullptr;
  auto src = (*db)->RegisterSource("police", "registry.csv");
  EXPECT_TRUE(src.ok() && *src == 0);
  return std::move(db).value();
}

namespace {

std::string DumpOf(const Snapshot& s, bool batches) {
  std::ostringstream out;
  const Schema& schema = s.schema();
  out << "V=" << s.num_vertices() << " E=" << s.num_edges();
  if (batches) out << " last_batch=" << s.last_batch();
  out << "\n";
  for (VertexId v = 0; v < s.num_vertices(); ++v) {
    out << "v" << v << " " << schema.labels()[s.label(v)].name;
    for (const auto& [kind, value] : s.keys(v)) out << " key:" << kind << "=" << value;
    for (const auto& o : s.properties(v)) {
      out << " p" << o.prop << "=" << ValueToString(o.value) << "@" << o.source.source << "/"
          << o.source.record << "/" << o.source.batch;
    }
    out << " out[";
    for (const AdjEntry& a : s.out_edges(v)) out << a.nbr << ":" << a.edge << " ";
    out << "] in[";
    for (const AdjEntry& a : s.in_edges(v)) out << a.nbr << ":" << a.edge << " ";
    out << "]\n";
  }
  for (EdgeId e = 0; e < s.num_edges(); ++e) {
    const EdgeRecord& r = s.edge(e);
    out << "e" << e << " " << schema.edge_types()[r.type].name << " " << r.src << "->" << r.dst
        << " [" << r.valid_from.ToString() << "," << r.valid_to.ToString() << ") src "
        << r.source.source << "/" << r.source.record << "/" << r.source.batch;
    for (const auto& [p, v] : s.edge_properties(e)) out << " p" << p << "=" << ValueToString(v);
    out << "\n";
  }
  for (LabelId l = 0; l < schema.labels().size(); ++l) {
    out << "label " << schema.labels()[l].name << ":";
    for (VertexId v : s.vertices_with_label(l)) out << " v" << v;
    out << "\n";
  }
  for (BatchId b = 1; batches && b <= s.last_batch(); ++b)
    out << "batch" << b << "@" << s.batch_time(b).micros << "\n";
  return out.str();
}

}  // namespace

std::string Dump(const Snapshot& s) { return DumpOf(s, /*batches=*/true); }

std::string DumpGraph(const Snapshot& s) { return DumpOf(s, /*batches=*/false); }

}  // namespace citygraph::testing
