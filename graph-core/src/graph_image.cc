#include "graph_image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/parallel_reduce.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

#include "citygraph/huge_pages.h"
#include "graph_image_format.h"

namespace citygraph::internal {
namespace {

using namespace image;

static_assert(std::is_trivially_copyable_v<EdgeRecord> && sizeof(EdgeRecord) == 32);
static_assert(std::is_trivially_copyable_v<AdjEntry> && sizeof(AdjEntry) == 8);
static_assert(std::endian::native == std::endian::little ||
              std::endian::native == std::endian::big);
constexpr size_t kTaskBlocks = 256;  // 8 MiB per parallel read task

// A section as memory: one contiguous piece, or (the edge table) one piece
// per page, every page but the last exactly kBlock bytes.
struct Pieces {
  std::vector<std::span<char>> pieces;
  size_t bytes = 0;
  // Block b of the section.
  std::span<char> Block(size_t b) const {
    if (pieces.size() == 1) {
      const size_t off = b * kBlock;
      return pieces[0].subspan(off, std::min(kBlock, bytes - off));
    }
    return pieces[b];
  }
  size_t blocks() const { return (bytes + kBlock - 1) / kBlock; }
};

template <typename T>
Pieces Whole(T& v) {
  Pieces p;
  p.bytes = v.size() * sizeof(v[0]);
  p.pieces.emplace_back(reinterpret_cast<char*>(v.data()), p.bytes);
  return p;
}

Pieces EdgePages(const EdgeTable& edges, size_t m) {
  Pieces p;
  p.bytes = m * sizeof(EdgeRecord);
  for (size_t e = 0; e < m; e += EdgeTable::kPageSize) {
    const size_t k = std::min(EdgeTable::kPageSize, m - e);
    auto* page = const_cast<EdgeRecord*>(&edges.Get(e));
    p.pieces.emplace_back(reinterpret_cast<char*>(page), k * sizeof(EdgeRecord));
  }
  return p;
}

uint64_t Checksum(const Pieces& p) {
  return tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, p.blocks(), 16), uint64_t{0},
      [&](const auto& r, uint64_t acc) {
        for (size_t b = r.begin(); b != r.end(); ++b) {
          const std::span<char> s = p.Block(b);
          acc += BlockSum(s.data(), s.size(), b);
        }
        return acc;
      },
      std::plus<>());
}

Status Errno(const std::string& what, const std::string& path) {
  return IOError(what + " " + path + ": " + std::strerror(errno));
}

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool ReadAt(int fd, char* p, size_t n, uint64_t off) {
  while (n > 0) {
    const ssize_t r = ::pread(fd, p, n, static_cast<off_t>(off));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
    off += static_cast<uint64_t>(r);
  }
  return true;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// The sections of `b` in file order; the edge table's only when `edges`
// (its pages are created while reading).
std::vector<Pieces> SectionsOf(BaseGraph& b, bool edges) {
  std::vector<Pieces> s(kNumSections);
  s[kLabels] = Whole(b.labels);
  if (edges) s[kEdges] = EdgePages(b.edges, b.m);
  s[kVpropOff] = Whole(b.vprop_off);
  s[kVpropBlob] = Whole(b.vprop_blob);
  s[kKeyOff] = Whole(b.key_off);
  s[kKeyBlob] = Whole(b.key_blob);
  s[kEpropIds] = Whole(b.eprop_ids);
  s[kEpropOff] = Whole(b.eprop_off);
  s[kEpropBlob] = Whole(b.eprop_blob);
  s[kOutOff] = Whole(b.out_off);
  s[kOutAdj] = Whole(b.out_adj);
  s[kInOff] = Whole(b.in_off);
  s[kInAdj] = Whole(b.in_adj);
  s[kKeySlots] = Whole(*b.key_index.mutable_slots());
  return s;
}

// The section sizes a header of n vertices, m edges and num_keys keys must
// carry, each checked against the file size before it is used to allocate,
// and their sum against what the file holds after the header.
Status CheckSizes(const Header& h, uint64_t data_bytes) {
  const uint64_t* bytes = h.bytes;
  uint64_t total = 0;
  for (int s = 0; s < kNumSections; ++s) {
    if (bytes[s] > data_bytes) return Corruption("section larger than the file");
    total += bytes[s];  // no overflow: each term <= data_bytes < 2^63
  }
  if (total != data_bytes) {
    return Corruption("sections hold " + std::to_string(total) + " bytes, the file " +
                      std::to_string(data_bytes));
  }
  const uint64_t n = h.n, m = h.m;  // < 2^32 (the stamp matched RocksDB's counters)
  const uint64_t eprops = bytes[kEpropIds] / sizeof(EdgeId);
  if (bytes[kLabels] != n * sizeof(LabelId) || bytes[kEdges] != m * sizeof(EdgeRecord) ||
      bytes[kVpropOff] != (n + 1) * 8 || bytes[kKeyOff] != (n + 1) * 8 ||
      bytes[kEpropIds] % sizeof(EdgeId) != 0 || eprops > m ||
      bytes[kEpropOff] != (eprops + 1) * 8 || bytes[kOutOff] != (n + 1) * 4 ||
      bytes[kInOff] != (n + 1) * 4 || bytes[kOutAdj] != m * sizeof(AdjEntry) ||
      bytes[kInAdj] != m * sizeof(AdjEntry) || bytes[kKeySlots] % 8 != 0 ||
      h.num_keys > bytes[kKeyBlob] / 6 || bytes[kKeySlots] / 8 < 2 * h.num_keys) {
    return Corruption("section sizes disagree with the vertex, edge and key counts");
  }
  return Status::OK();
}

// Reads and checks the header, identity and header checksum. `file_size`
// bounds every read.
Status ReadHeader(int fd, uint64_t file_size, Header* h, std::string* identity) {
  if (file_size < kPrefixBytes || !ReadAt(fd, reinterpret_cast<char*>(h), kPrefixBytes, 0)) {
    return Corruption("shorter than a header");
  }
  if (std::memcmp(h->magic, kMagic, sizeof kMagic) != 0) {
    // Format 2 and earlier had the version in the magic ("CGIMAGE2").
    return Corruption(
        std::memcmp(h->magic, kMagic, 7) == 0
            ? std::string("format ")
                  .append(1, h->magic[7])
                  .append(" (an older build's), this build reads " + std::to_string(kVersion))
            : std::string("not a graph image (magic)"));
  }
  if (h->version != kVersion) {
    return Corruption("format version " + std::to_string(h->version) + ", this build reads " +
                      std::to_string(kVersion));
  }
  if (h->header_bytes != sizeof(Header) || h->num_sections != kNumSections ||
      h->block_bytes != kBlock) {
    return Corruption("header layout differs from this build's");
  }
  if (file_size < sizeof(Header) || !ReadAt(fd, reinterpret_cast<char*>(h), sizeof(Header), 0)) {
    return Corruption("truncated header");
  }
  if (h->endian != kEndian) return Corruption("written on a machine of the other byte order");
  if (h->identity_len > kMaxIdentity || file_size < sizeof(Header) + h->identity_len + 8) {
    return Corruption("truncated header");
  }
  identity->assign(h->identity_len, '\0');
  uint64_t header_sum = 0;
  if (!ReadAt(fd, identity->data(), identity->size(), sizeof(Header)) ||
      !ReadAt(fd, reinterpret_cast<char*>(&header_sum), sizeof header_sum,
              sizeof(Header) + identity->size()) ||
      header_sum != HeaderSum(*h, *identity)) {
    return Corruption("header checksum");
  }
  return Status::OK();
}

Status ReadChecked(int fd, uint64_t file_size, const ImageStamp& expect, const Schema& schema,
                   uint64_t version, BaseGraph* base) {
  Header h{};
  std::string identity;
  CG_RETURN_IF_ERROR(ReadHeader(fd, file_size, &h, &identity));
  const ImageStamp found{h.generation, h.generation_micros, identity, h.n, h.m};
  if (!(found == expect)) {
    return FailedPrecondition("stale (graph generation " + std::to_string(h.generation) +
                              ", database at " + std::to_string(expect.generation) + ")");
  }
  if (h.n >= kNoVertex || h.m >= kNoEdge) return Corruption("vertex or edge count");
  const uint64_t data_start = sizeof h + identity.size() + 8;
  CG_RETURN_IF_ERROR(CheckSizes(h, file_size - data_start));
  const size_t n = h.n, m = h.m;
  const uint64_t* bytes = h.bytes;
  base->n = n;
  base->m = m;
  base->num_keys = h.num_keys;
  // The arrays traversals read at random get huge pages (citygraph/huge_pages.h).
  ReserveHuge(&base->labels, n);
  ReserveHuge(&base->out_off, n + 1);
  ReserveHuge(&base->in_off, n + 1);
  ReserveHuge(&base->out_adj, m);
  ReserveHuge(&base->in_adj, m);
  tbb::parallel_invoke([&] { base->labels.resize(n); }, [&] { base->vprop_off.resize(n + 1); },
                       [&] { base->vprop_blob.resize(bytes[kVpropBlob]); },
                       [&] { base->key_off.resize(n + 1); },
                       [&] { base->key_blob.resize(bytes[kKeyBlob]); },
                       [&] {
                         base->eprop_ids.resize(bytes[kEpropIds] / sizeof(EdgeId));
                         base->eprop_off.resize(base->eprop_ids.size() + 1);
                         base->eprop_blob.resize(bytes[kEpropBlob]);
                       },
                       [&] {
                         base->out_off.resize(n + 1);
                         base->in_off.resize(n + 1);
                       },
                       [&] { base->out_adj.resize(m); }, [&] { base->in_adj.resize(m); },
                       [&] { base->key_index.mutable_slots()->resize(bytes[kKeySlots] / 8); });
  base->edges = EdgeTable();
  base->edges.Resize(m);
  base->edges.AllocateDense(version);
  std::vector<Pieces> sections = SectionsOf(*base, /*edges=*/false);
  sections[kEdges].bytes = m * sizeof(EdgeRecord);  // its pages are made as they are read
  // The read tasks below write bytes[s] bytes into section s: each buffer
  // must be exactly that large, whatever CheckSizes assumed.
  for (int s = 0; s < kNumSections; ++s) {
    if (sections[s].bytes != bytes[s]) return Corruption("section " + std::to_string(s) + " size");
  }
  // Parallel tasks of up to kTaskBlocks blocks; each reads and hashes its range.
  struct Task {
    int section;
    size_t first, last;  // blocks
    uint64_t file_off;
  };
  std::vector<Task> tasks;
  uint64_t off = data_start;
  for (int s = 0; s < kNumSections; ++s) {
    const size_t blocks = (bytes[s] + kBlock - 1) / kBlock;
    for (size_t b = 0; b < blocks; b += kTaskBlocks) {
      tasks.push_back(Task{s, b, std::min(blocks, b + kTaskBlocks), off});
    }
    off += bytes[s];
  }
  struct Part {
    bool ok = true;
    uint64_t sum = 0;
  };
  std::vector<Part> parts(tasks.size());
  tbb::parallel_for(size_t{0}, tasks.size(), [&](size_t i) {
    const Task& t = tasks[i];
    Part& part = parts[i];
    const uint64_t size = bytes[t.section];
    for (size_t b = t.first; b < t.last && part.ok; ++b) {
      const size_t len = std::min<uint64_t>(kBlock, size - b * kBlock);
      char* dst;
      if (t.section == kEdges) {
        dst = reinterpret_cast<char*>(
            &base->edges.Mutable(b * EdgeTable::kPageSize, version));  // page start
      } else {
        dst = sections[t.section].pieces[0].data() + b * kBlock;
      }
      part.ok = ReadAt(fd, dst, len, t.file_off + b * kBlock);
      part.sum += BlockSum(dst, len, b);
    }
  });
  uint64_t sums[kNumSections] = {};
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (!parts[i].ok) return Corruption("truncated while reading");
    sums[tasks[i].section] += parts[i].sum;
  }
  for (int s = 0; s < kNumSections; ++s) {
    if (sums[s] != h.sum[s]) return Corruption("section " + std::to_string(s) + " checksum");
  }
  // Bounds and consistency, so that a verified but wrongly written image
  // (a writer bug, another build's layout) cannot make a reader index out of
  // range or see a graph other than the one the scan would build.
  if (!base->key_index.AdoptSlots()) return Corruption("key index size");
  return VerifyContents(*base, schema);
}

}  // namespace

std::string ImagePath(const std::string& dir) { return dir + "/graph.image"; }

Status WriteImage(const std::string& path, const ImageStamp& stamp, const BaseGraph& base) {
  BaseGraph& b = const_cast<BaseGraph&>(base);  // pieces are only read here
  std::vector<Pieces> sections = SectionsOf(b, /*edges=*/true);
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.header_bytes = sizeof h;
  h.num_sections = kNumSections;
  h.block_bytes = kBlock;
  h.endian = kEndian;
  h.generation = stamp.generation;
  h.generation_micros = stamp.generation_micros;
  h.n = base.n;
  h.m = base.m;
  h.num_keys = base.num_keys;
  h.identity_len = stamp.identity.size();
  tbb::parallel_for(0, static_cast<int>(kNumSections), [&](int s) {
    h.bytes[s] = sections[s].bytes;
    h.sum[s] = Checksum(sections[s]);
  });
  const uint64_t header_sum = HeaderSum(h, stamp.identity);

  const std::string tmp = path + ".tmp";
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return Errno("cannot create", tmp);
  bool ok = WriteAll(fd.get(), reinterpret_cast<const char*>(&h), sizeof h) &&
            WriteAll(fd.get(), stamp.identity.data(), stamp.identity.size()) &&
            WriteAll(fd.get(), reinterpret_cast<const char*>(&header_sum), sizeof header_sum);
  for (const Pieces& s : sections) {
    for (const auto& piece : s.pieces) ok = ok && WriteAll(fd.get(), piece.data(), piece.size());
  }
  if (!ok) {
    Status st = Errno("cannot write", tmp);
    ::unlink(tmp.c_str());
    return st;
  }
  if (::close(fd.release()) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    Status st = Errno("cannot finish", path);
    ::unlink(tmp.c_str());
    return st;
  }
  return Status::OK();
}

Status ReadImage(const std::string& path, const ImageStamp& expect, const Schema& schema,
                 uint64_t version, BaseGraph* base) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return NotFound("no graph image at " + path);
    return Errno("cannot open", path);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return Errno("cannot stat", path);
  Status s;
  try {
    s = ReadChecked(fd.get(), static_cast<uint64_t>(st.st_size), expect, schema, version, base);
  } catch (const std::bad_alloc&) {
    s = ResourceExhausted("out of memory");
  } catch (const std::exception& e) {
    s = Corruption(e.what());
  }
  if (s.ok()) return s;
  return Status(s.code(), "graph image " + path + ": " + s.message());
}

}  // namespace citygraph::internal
