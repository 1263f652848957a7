// Damaged, truncated, other-version and forged graph images
// (graph-core/src/graph_image.h). Whatever the image file holds, opening the
// database must not crash (this test also runs under ASan + UBSan) and must
// give exactly the graph a RocksDB scan gives: either the image verified and
// is that graph, or it was refused and Open scanned RocksDB.
//
// "Forged" images are edited and then re-sealed (their checksums
// recomputed), so what refuses them is the reader's layout and content
// checks, not its checksums: the way a wrongly written image, or one of
// another build's layout, reaches a reader.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/graph.h"
#include "graph_image.h"
#include "graph_image_format.h"
#include "test_util.h"

namespace citygraph {
namespace {

namespace img = internal::image;
using testing::CreateTestDb;
using testing::Dump;
using testing::TempDir;

constexpr EdgeTypeId kOwns = 0, kKnows = 1;
constexpr int kPersons = 300;
constexpr int kKnowsEdges = 2500;  // with the OWNS edges: three edge-table pages

std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// An image file as bytes, with its header decoded and helpers to edit it.
struct Image {
  std::string bytes;

  img::Header header() const {
    img::Header h;
    std::memcpy(&h, bytes.data(), sizeof h);
    return h;
  }
  void set_header(const img::Header& h) { std::memcpy(bytes.data(), &h, sizeof h); }
  size_t data_start() const { return sizeof(img::Header) + header().identity_len + 8; }
  size_t section_offset(int s) const {
    size_t off = data_start();
    for (int t = 0; t < s; ++t) off += header().bytes[t];
    return off;
  }
  template <typename T>
  T Get(int section, size_t index) const {
    T value;
    std::memcpy(&value, bytes.data() + section_offset(section) + index * sizeof(T), sizeof(T));
    return value;
  }
  template <typename T>
  void Put(int section, size_t index, T value) {
    std::memcpy(bytes.data() + section_offset(section) + index * sizeof(T), &value, sizeof(T));
  }
  template <typename T>
  size_t Count(int section) const {
    return header().bytes[section] / sizeof(T);
  }
  // Recomputes the checksum of the header, and of every section when
  // `sections` and the header's sizes fit in the file.
  void Reseal(bool sections) {
    img::Header h = header();
    for (uint64_t b : h.bytes) sections = sections && b <= bytes.size();
    if (sections) {
      for (int s = 0; s < img::kNumSections; ++s) {
        h.sum[s] = img::SectionSum(bytes.data() + section_offset(s), h.bytes[s]);
      }
    }
    set_header(h);
    if (h.identity_len > img::kMaxIdentity || bytes.size() < data_start()) return;
    const uint64_t sum = img::HeaderSum(
        h, std::string_view(bytes).substr(sizeof h, static_cast<size_t>(h.identity_len)));
    std::memcpy(bytes.data() + sizeof h + h.identity_len, &sum, 8);
  }
};

bool SameEdges(const internal::EdgeTable& a, const internal::EdgeTable& b) {
  if (a.size() != b.size()) return false;
  for (size_t e = 0; e < a.size(); ++e) {
    const EdgeRecord &x = a.Get(e), &y = b.Get(e);
    if (x.src != y.src || x.dst != y.dst || x.type != y.type || x.valid_from != y.valid_from ||
        x.valid_to != y.valid_to || x.source != y.source) {
      return false;
    }
  }
  return true;
}

bool SameAdj(const std::vector<AdjEntry>& a, const std::vector<AdjEntry>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](AdjEntry x, AdjEntry y) { return x.nbr == y.nbr && x.edge == y.edge; });
}

// Every field a reader sees.
bool SameBase(const internal::BaseGraph& a, const internal::BaseGraph& b) {
  return a.n == b.n && a.m == b.m && a.num_keys == b.num_keys && a.labels == b.labels &&
         SameEdges(a.edges, b.edges) && a.out_off == b.out_off && a.in_off == b.in_off &&
         SameAdj(a.out_adj, b.out_adj) && SameAdj(a.in_adj, b.in_adj) &&
         a.vprop_off == b.vprop_off && a.vprop_blob == b.vprop_blob && a.key_off == b.key_off &&
         a.key_blob == b.key_blob && a.eprop_ids == b.eprop_ids && a.eprop_off == b.eprop_off &&
         a.eprop_blob == b.eprop_blob && a.key_index.slots() == b.key_index.slots();
}

// One database, closed by its writer (which saved the image), opened once
// with the image and once by a RocksDB scan; each test case writes an edited
// image into its directory and reads it as Open does (ReadImage with the
// database's stamp); every kOpenEvery-th case, and every image the reader
// accepts, also opens the database read-only (which never rewrites the
// image) and compares the whole graph.
class GraphImageCorruptTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    {
      auto db = CreateTestDb(dir_->path());
      const auto first = db->Write(Batch(*db));
      ASSERT_TRUE(first.ok()) << first.status().ToString();
      WriteBatch more(db->schema());
      for (int i = 0; i < kPersons; i += 7) {
        more.SetProperty(VertexRef::Existing(2 * i), 1, int64_t{20 + i}, SourceRef{0, 2, 0});
        more.AddKey(VertexRef::Existing(2 * i + 1), 1, Cat({"EXTRA", std::to_string(i)}));
      }
      more.SetEdgeValidTo(3, Date{500});
      const auto written = db->Write(more);
      ASSERT_TRUE(written.ok()) << written.status().ToString();
    }
    pristine_ = new Image{ReadFile(Path())};
    ASSERT_GT(pristine_->bytes.size(), sizeof(img::Header));
    DatabaseOptions scan;
    scan.read_only = true;
    scan.graph_image = false;
    auto db = Database::Open(dir_->path(), scan);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    expected_ = new std::string(Describe(**db));
    schema_ = new std::shared_ptr<const Schema>((*db)->schema());
    const img::Header h = pristine_->header();
    stamp_ = new internal::ImageStamp{h.generation, h.generation_micros,
                                      pristine_->bytes.substr(sizeof h, h.identity_len), h.n, h.m};
    pristine_base_ = new internal::BaseGraph();
    const Status read = ReadDirect(*pristine_);
    ASSERT_TRUE(read.ok()) << read.ToString();
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete pristine_;
    delete expected_;
    delete schema_;
    delete stamp_;
    delete pristine_base_;
  }

  // 300 persons, each owning a house, 2,500 KNOWS edges between random
  // persons, properties on both vertices and edges.
  static WriteBatch Batch(const Database& db) {
    WriteBatch b(db.schema());
    for (int i = 0; i < kPersons; ++i) {
      VertexRef p = b.AddVertex(0);
      VertexRef h = b.AddVertex(1);
      b.AddKey(p, 0, Cat({"P", std::to_string(i)}));
      b.AddKey(h, 1, Cat({"H", std::to_string(i)}));
      b.SetProperty(p, 0, Cat({"name ", std::to_string(i)}), SourceRef{0, uint32_t(i), 0});
      b.SetProperty(h, 0, Cat({"street ", std::to_string(i)}), SourceRef{0, uint32_t(i), 0});
      b.AddEdge(EdgeSpec{kOwns, p, h, Date{100}, Date::Max(), SourceRef{0, uint32_t(i), 0},
                         i % 2 == 0 ? Properties{{0, 0.25 * i}} : Properties{}});
    }
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> person(0, kPersons - 1);
    for (int k = 0; k < kKnowsEdges; ++k) {
      const int a = person(rng), c = person(rng);
      b.AddEdge(
          EdgeSpec{kKnows, VertexRef::New(2 * a), VertexRef::New(2 * c), Date{k}, Date{1000 + k},
                   SourceRef{0, 7, 0},
                   k % 3 == 0 ? Properties{{1, Cat({"note ", std::to_string(k)})}} : Properties{}});
    }
    return b;
  }

  static std::string Path() { return dir_->path() + "/graph.image"; }

  // The whole graph, plus the answer of the key index for every key.
  static std::string Describe(const Database& db) {
    auto s = db.GetSnapshot();
    std::string out = Dump(*s);
    for (VertexId v = 0; v < s->num_vertices(); ++v) {
      for (const auto& [kind, value] : s->keys(v)) {
        auto found = s->FindByKey(kind, value);
        out.append(found.ok() && *found == v ? "" : Cat({"key ", value, " not found\n"}));
      }
    }
    return out;
  }

  struct Outcome {
    bool opened = false, from_image = false;
    std::string graph;
  };
  static Outcome OpenWith(const Image& image) {
    WriteFile(Path(), image.bytes);
    DatabaseOptions options;
    options.read_only = true;
    auto db = Database::Open(dir_->path(), options);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    if (!db.ok()) return {};
    return Outcome{true, (*db)->Stats().opened_from_image, Describe(**db)};
  }
  // ReadImage of `image` with the database's stamp, into the pristine
  // BaseGraph the first time, else a fresh one that must equal it if read.
  static Status ReadDirect(const Image& image, bool expect_same = true) {
    WriteFile(Path(), image.bytes);
    internal::BaseGraph fresh;
    internal::BaseGraph* base = pristine_base_->n == 0 ? pristine_base_ : &fresh;
    const Status st = internal::ReadImage(Path(), *stamp_, **schema_, 1, base);
    if (st.ok() && base == &fresh && expect_same) {
      EXPECT_TRUE(SameBase(fresh, *pristine_base_));
    }
    return st;
  }
  static constexpr int kOpenEvery = 16;
  // The image must be refused, and the scan give the graph.
  static void ExpectRefused(const Image& image, const std::string& what) {
    const Status st = ReadDirect(image);
    EXPECT_FALSE(st.ok()) << what;
    EXPECT_NE(st.code(), StatusCode::kNotFound) << what;
    if (st.ok() || ++cases_ % kOpenEvery == 0) {
      const Outcome o = OpenWith(image);
      EXPECT_TRUE(o.opened) << what;
      EXPECT_FALSE(o.from_image) << what;
      EXPECT_TRUE(o.graph == *expected_) << what;
    }
  }

  static TempDir* dir_;
  static Image* pristine_;
  static std::string* expected_;
  static std::shared_ptr<const Schema>* schema_;
  static internal::ImageStamp* stamp_;
  static internal::BaseGraph* pristine_base_;
  static int cases_;
};

TempDir* GraphImageCorruptTest::dir_ = nullptr;
Image* GraphImageCorruptTest::pristine_ = nullptr;
std::string* GraphImageCorruptTest::expected_ = nullptr;
std::shared_ptr<const Schema>* GraphImageCorruptTest::schema_ = nullptr;
internal::ImageStamp* GraphImageCorruptTest::stamp_ = nullptr;
internal::BaseGraph* GraphImageCorruptTest::pristine_base_ = nullptr;
int GraphImageCorruptTest::cases_ = 0;

TEST_F(GraphImageCorruptTest, PristineImageIsUsed) {
  const Outcome o = OpenWith(*pristine_);
  EXPECT_TRUE(o.from_image);
  EXPECT_TRUE(o.graph == *expected_);
  EXPECT_TRUE(ReadDirect(*pristine_).ok());  // and equal to the first read
  // The edge table spans several pages (blocks), as larger images do.
  EXPECT_GT(pristine_->header().bytes[img::kEdges], 2 * img::kBlock);
  // Resealing an unedited image changes nothing.
  Image same = *pristine_;
  same.Reseal(true);
  EXPECT_EQ(same.bytes, pristine_->bytes);
}

TEST_F(GraphImageCorruptTest, TruncatedAnywhere) {
  const size_t size = pristine_->bytes.size();
  std::vector<size_t> cuts;
  for (size_t c = 0; c <= pristine_->data_start() + 16; ++c) cuts.push_back(c);
  for (int s = 1; s < img::kNumSections; ++s) {
    const size_t at = pristine_->section_offset(s);
    for (size_t c : {at - 1, at, at + 1}) cuts.push_back(c);
  }
  std::mt19937_64 rng(20261128);
  for (int i = 0; i < 400; ++i) cuts.push_back(rng() % size);
  cuts.push_back(size - 1);
  for (size_t cut : cuts) {
    Image image = *pristine_;
    image.bytes.resize(std::min(cut, size - 1));
    ExpectRefused(image, Cat({"truncated to ", std::to_string(cut)}));
  }
  Image longer = *pristine_;  // a section's worth of bytes appended
  longer.bytes.append(4096, '\0');
  ExpectRefused(longer, "4096 bytes appended");
}

TEST_F(GraphImageCorruptTest, FlippedBytesAnywhere) {
  const size_t size = pristine_->bytes.size();
  std::mt19937_64 rng(4242);
  std::vector<size_t> at;
  for (size_t i = 0; i < pristine_->data_start(); ++i) at.push_back(i);
  for (int i = 0; i < 600; ++i) at.push_back(rng() % size);
  for (size_t i : at) {
    Image image = *pristine_;
    image.bytes[i] = static_cast<char>(image.bytes[i] ^ (1 + rng() % 255));
    ExpectRefused(image, Cat({"byte flipped at ", std::to_string(i)}));
  }
}

TEST_F(GraphImageCorruptTest, OtherFormatVersionsAndLayouts) {
  struct Case {
    const char* what;
    void (*edit)(img::Header*);
  };
  const Case cases[] = {
      {"version 2", [](img::Header* h) { h->version = 2; }},
      // Format 3 was stamped with RocksDB's sequence number, not the graph generation.
      {"previous version", [](img::Header* h) { h->version = img::kVersion - 1; }},
      {"next version", [](img::Header* h) { h->version = img::kVersion + 1; }},
      {"version 0", [](img::Header* h) { h->version = 0; }},
      {"format 2 magic", [](img::Header* h) { h->magic[7] = '2'; }},
      {"one more section", [](img::Header* h) { h->num_sections += 1; }},
      {"one section fewer", [](img::Header* h) { h->num_sections -= 1; }},
      {"larger header", [](img::Header* h) { h->header_bytes += 16; }},
      {"other block size", [](img::Header* h) { h->block_bytes /= 2; }},
      {"other byte order", [](img::Header* h) { h->endian = __builtin_bswap64(h->endian); }},
      {"identity longer", [](img::Header* h) { h->identity_len += 1; }},
      {"identity shorter", [](img::Header* h) { h->identity_len -= 1; }},
      {"identity huge", [](img::Header* h) { h->identity_len = uint64_t{1} << 40; }},
  };
  for (const Case& c : cases) {
    Image image = *pristine_;
    img::Header h = image.header();
    c.edit(&h);
    image.set_header(h);
    image.Reseal(false);
    ExpectRefused(image, c.what);
  }
  // A newer writer that added a section (the label index, say) after the
  // others and bumped nothing: the file no longer adds up.
  Image newer = *pristine_;
  newer.bytes.append(std::string(8 * 301, '\1'));
  newer.Reseal(false);
  ExpectRefused(newer, "an extra trailing section");
}

TEST_F(GraphImageCorruptTest, ForgedCounts) {
  const img::Header h0 = pristine_->header();
  struct Case {
    const char* what;
    uint64_t img::Header::*field;
    uint64_t value;
  };
  const Case cases[] = {
      {"n + 1", &img::Header::n, h0.n + 1},
      {"n - 1", &img::Header::n, h0.n - 1},
      {"m + 1", &img::Header::m, h0.m + 1},
      {"m huge", &img::Header::m, uint64_t{1} << 62},
      {"num_keys + 1", &img::Header::num_keys, h0.num_keys + 1},
      {"num_keys - 1", &img::Header::num_keys, h0.num_keys - 1},
      {"num_keys 0", &img::Header::num_keys, 0},
      {"num_keys huge", &img::Header::num_keys, ~uint64_t{0} / 2},
  };
  for (const Case& c : cases) {
    Image image = *pristine_;
    img::Header h = h0;
    h.*c.field = c.value;
    image.set_header(h);
    image.Reseal(false);
    ExpectRefused(image, c.what);
  }
}

TEST_F(GraphImageCorruptTest, ForgedSectionSizes) {
  const img::Header h0 = pristine_->header();
  const uint64_t deltas[] = {1,
                             8,
                             ~uint64_t{0},
                             ~uint64_t{7},
                             img::kBlock,
                             uint64_t{1} << 40,
                             uint64_t{1} << 63,
                             ~uint64_t{0} << 2};
  for (int s = 0; s < img::kNumSections; ++s) {
    for (uint64_t d : deltas) {
      // Alone (the file no longer adds up), and with the next section
      // shrunk or grown to match (it does, and the sizes must disagree with
      // the counts instead).
      for (bool balanced : {false, true}) {
        Image image = *pristine_;
        img::Header h = h0;
        h.bytes[s] += d;
        if (balanced) h.bytes[(s + 1) % img::kNumSections] -= d;
        image.set_header(h);
        image.Reseal(/*sections=*/balanced);
        ExpectRefused(image, Cat({"section ", std::to_string(s), " size + ", std::to_string(d),
                                  balanced ? " balanced" : ""}));
      }
    }
  }
}

// Content edits that the checks must always refuse: each makes the CSR,
// the key index or an edge endpoint disagree with the rest.
TEST_F(GraphImageCorruptTest, ForgedStructureIsRefused) {
  const img::Header h0 = pristine_->header();
  const uint32_t n = static_cast<uint32_t>(h0.n), m = static_cast<uint32_t>(h0.m);
  std::mt19937_64 rng(99);
  auto forge = [&](const std::string& what, auto edit) {
    Image image = *pristine_;
    edit(&image);
    image.Reseal(true);
    ExpectRefused(image, what);
  };
  for (int s : {img::kOutOff, img::kInOff}) {
    for (int i = 0; i < 12; ++i) {
      const size_t v = 1 + rng() % (n - 1);
      const int d = i % 2 == 0 ? 1 : -1;
      forge(Cat({"CSR offset ", std::to_string(s), "[", std::to_string(v), "]"}),
            [&](Image* im) { im->Put<uint32_t>(s, v, im->Get<uint32_t>(s, v) + d); });
    }
    forge("CSR end past m", [&](Image* im) { im->Put<uint32_t>(s, n, m + 1); });
  }
  for (int s : {img::kOutAdj, img::kInAdj}) {
    for (int i = 0; i < 12; ++i) {
      const size_t k = rng() % m;
      forge(Cat({"adjacency ", std::to_string(s), "[", std::to_string(k), "]"}), [&](Image* im) {
        AdjEntry a = im->Get<AdjEntry>(s, k);
        switch (i % 4) {
          case 0:
            a.nbr = (a.nbr + 1) % n;
            break;
          case 1:
            a.nbr = n;
            break;
          case 2:
            a.edge = m;
            break;
          default:
            a.edge = (a.edge + 1) % m;
            break;  // another edge, or out of order
        }
        im->Put<AdjEntry>(s, k, a);
      });
    }
  }
  // An edge's endpoint moved: still < n, but the CSRs no longer match it.
  for (int i = 0; i < 10; ++i) {
    const size_t e = rng() % m;
    forge(Cat({"edge ", std::to_string(e), " endpoint"}), [&](Image* im) {
      EdgeRecord r = im->Get<EdgeRecord>(img::kEdges, e);
      (i % 2 == 0 ? r.src : r.dst) = (r.dst + 1) % n;
      if (r.src == im->Get<EdgeRecord>(img::kEdges, e).src &&
          r.dst == im->Get<EdgeRecord>(img::kEdges, e).dst) {
        r.src = (r.src + 2) % n;
      }
      im->Put<EdgeRecord>(img::kEdges, e, r);
    });
  }
  forge("edge type unknown", [&](Image* im) {
    EdgeRecord r = im->Get<EdgeRecord>(img::kEdges, 5);
    r.type = 9;
    im->Put<EdgeRecord>(img::kEdges, 5, r);
  });
  forge("label unknown", [&](Image* im) { im->Put<LabelId>(img::kLabels, 4, LabelId{7}); });
  // Key index: a used slot emptied, pointed at another vertex, or moved.
  const size_t slots = pristine_->Count<uint64_t>(img::kKeySlots);
  std::vector<size_t> used, empty;
  for (size_t i = 0; i < slots; ++i) {
    (pristine_->Get<uint64_t>(img::kKeySlots, i) == 0 ? empty : used).push_back(i);
  }
  ASSERT_EQ(used.size(), h0.num_keys);
  for (int i = 0; i < 24; ++i) {
    const size_t at = used[rng() % used.size()], to = empty[rng() % empty.size()];
    forge(Cat({"key slot ", std::to_string(at), " edit ", std::to_string(i % 4)}), [&](Image* im) {
      const uint64_t slot = im->Get<uint64_t>(img::kKeySlots, at);
      const uint64_t id = (slot & 0xFFFFFFFFull) - 1;
      switch (i % 4) {
        case 0:
          im->Put<uint64_t>(img::kKeySlots, at, 0);
          break;
        case 1:
          im->Put<uint64_t>(img::kKeySlots, at, (slot & ~0xFFFFFFFFull) | ((id + 1) % n + 1));
          break;
        case 2:
          im->Put<uint64_t>(img::kKeySlots, at, slot | 0xFFFFFFFFull);
          break;  // id n or more
        default:
          im->Put<uint64_t>(img::kKeySlots, at, 0);
          im->Put<uint64_t>(img::kKeySlots, to, slot);
      }
    });
  }
  forge("key index full", [&](Image* im) {
    for (size_t i : empty)
      im->Put<uint64_t>(img::kKeySlots, i, im->Get<uint64_t>(img::kKeySlots, used[0]));
  });
}

// Edits of data the image alone cannot tell from other valid data (a blob
// byte, an offset or edge property id that still parses): the reader may
// accept them as a different graph, but must never crash or read out of
// bounds, and the graph it then serves must read without faults.
TEST_F(GraphImageCorruptTest, ForgedContentNeverCrashes) {
  const img::Header h0 = pristine_->header();
  std::mt19937_64 rng(31337);
  int accepted = 0, refused = 0;
  for (int s = 0; s < img::kNumSections; ++s) {
    if (h0.bytes[s] == 0) continue;
    const bool offsets = s == img::kVpropOff || s == img::kKeyOff || s == img::kEpropOff;
    for (int i = 0; i < 30; ++i) {
      Image image = *pristine_;
      const int d = i % 2 == 0 ? 1 : -1;
      if (offsets && i % 3 == 0) {
        const size_t k = rng() % (h0.bytes[s] / 8);
        image.Put<uint64_t>(s, k, image.Get<uint64_t>(s, k) + d);
      } else if (s == img::kEpropIds && i % 3 == 0) {
        const size_t k = rng() % (h0.bytes[s] / 4);
        image.Put<uint32_t>(s, k, image.Get<uint32_t>(s, k) + d);
      } else {
        const size_t at = image.section_offset(s) + rng() % h0.bytes[s];
        image.bytes[at] = static_cast<char>(image.bytes[at] ^ (1 + rng() % 255));
      }
      image.Reseal(true);
      const std::string what = Cat({"section ", std::to_string(s), " edit ", std::to_string(i)});
      const Status st = ReadDirect(image, /*expect_same=*/false);
      if (st.ok()) {
        ++accepted;
        const Outcome o = OpenWith(image);
        EXPECT_TRUE(o.opened && o.from_image) << what;
        EXPECT_FALSE(o.graph.empty()) << what;
      } else {
        ++refused;
        EXPECT_EQ(st.code(), StatusCode::kCorruption) << what << ": " << st.ToString();
        if (refused % kOpenEvery == 0) {
          const Outcome o = OpenWith(image);
          EXPECT_FALSE(o.from_image) << what;
          EXPECT_TRUE(o.graph == *expected_) << what;
        }
      }
    }
  }
  // The content checks catch most such edits: lists that no longer decode,
  // keys that no longer count up, CSRs and key slots that disagree.
  EXPECT_GT(refused, 2 * accepted);
  ::testing::Test::RecordProperty("accepted", accepted);
  ::testing::Test::RecordProperty("refused", refused);
}

TEST_F(GraphImageCorruptTest, WriterReplacesARefusedImage) {
  Image image = *pristine_;
  image.bytes[image.section_offset(img::kOutAdj) + 3] ^= 0x10;
  WriteFile(Path(), image.bytes);
  {
    auto db = Database::Open(dir_->path());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_FALSE((*db)->Stats().opened_from_image);
    EXPECT_TRUE(Describe(**db) == *expected_);
  }  // the writer saves a fresh image on close
  DatabaseOptions options;
  options.read_only = true;
  auto db = Database::Open(dir_->path(), options);
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE((*db)->Stats().opened_from_image);
  EXPECT_TRUE(Describe(**db) == *expected_);
}

}  // namespace
}  // namespace citygraph
