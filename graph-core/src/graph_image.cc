#include "graph_image.h"

#include <fcntl.h>
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

namespace citygraph::internal {
namespace {

static_assert(std::is_trivially_copyable_v<EdgeRecord> && sizeof(EdgeRecord) == 32);
static_assert(std::is_trivially_copyable_v<AdjEntry> && sizeof(AdjEntry) == 8);
static_assert(std::endian::native == std::endian::little ||
              std::endian::native == std::endian::big);

constexpr char kMagic[8] = {'C', 'G', 'I', 'M', 'A', 'G', 'E', '2'};
constexpr uint64_t kEndian = 0x0102030405060708ull;
// Checksum block: one edge-table page, so paged sections hash page by page.
constexpr size_t kBlock = EdgeTable::kPageSize * sizeof(EdgeRecord);
constexpr size_t kTaskBlocks = 256;  // 8 MiB per parallel read task
enum Section : int {
  kLabels,
  kEdges,
  kVpropOff,
  kVpropBlob,
  kKeyOff,
  kKeyBlob,
  kEpropIds,
  kEpropOff,
  kEpropBlob,
  kOutOff,
  kOutAdj,
  kInOff,
  kInAdj,
  kKeySlots,
  kNumSections
};

struct Header {
  char magic[8];
  uint64_t endian;
  uint64_t sequence, n, m, last_batch;
  int64_t last_batch_micros;
  uint64_t num_keys;
  uint64_t identity_len;
  uint64_t bytes[kNumSections];
  uint64_t sum[kNumSections];
};
static_assert(std::is_trivially_copyable_v<Header>);

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull, kP2 = 0xC2B2AE3D27D4EB4Full,
                   kP3 = 0x165667B19E3779F9ull;

uint64_t Round(uint64_t acc, uint64_t w) { return std::rotl(acc + w * kP2, 31) * kP1; }

uint64_t Mix(uint64_t h) {
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

uint64_t Load64(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// A fast non-cryptographic hash (four independent multiply-rotate lanes).
uint64_t HashBytes(const char* p, size_t len) {
  uint64_t a = kP1, b = kP2, c = kP3, d = 0;
  size_t i = 0;
  for (; i + 32 <= len; i += 32) {
    a = Round(a, Load64(p + i));
    b = Round(b, Load64(p + i + 8));
    c = Round(c, Load64(p + i + 16));
    d = Round(d, Load64(p + i + 24));
  }
  for (; i + 8 <= len; i += 8) a = Round(a, Load64(p + i));
  uint64_t tail = 0;
  std::memcpy(&tail, p + i, len - i);
  b = Round(b, tail ^ (len - i));
  return Mix(std::rotl(a, 1) + std::rotl(b, 7) + std::rotl(c, 12) + std::rotl(d, 18) + len);
}

uint64_t BlockSum(const char* p, size_t len, size_t block) {
  return Mix(HashBytes(p, len) + (block + 1) * kP3);
}

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

uint64_t HeaderSum(const Header& h, const std::string& identity) {
  std::string bytes(reinterpret_cast<const char*>(&h), sizeof h);
  bytes.append(identity);
  return HashBytes(bytes.data(), bytes.size());
}

// Offsets must start at 0, never decrease and end at the blob's size.
bool OffsetsOk(const std::vector<uint64_t>& off, size_t blob) {
  if (off.empty() || off.front() != 0 || off.back() != blob) return false;
  return tbb::parallel_reduce(
      tbb::blocked_range<size_t>(1, off.size(), 1 << 16), true,
      [&](const auto& r, bool ok) {
        for (size_t i = r.begin(); ok && i != r.end(); ++i) ok = off[i - 1] <= off[i];
        return ok;
      },
      std::logical_and<>());
}

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

// CSR offsets start at 0, never decrease and end at m; entries are in range.
bool CsrOk(const std::vector<uint32_t>& off, const std::vector<AdjEntry>& adj, size_t n, size_t m) {
  if (off.size() != n + 1 || off.front() != 0 || off.back() != m || adj.size() != m) return false;
  const bool off_ok = tbb::parallel_reduce(
      tbb::blocked_range<size_t>(1, off.size(), 1 << 16), true,
      [&](const auto& r, bool ok) {
        for (size_t i = r.begin(); ok && i != r.end(); ++i) ok = off[i - 1] <= off[i];
        return ok;
      },
      std::logical_and<>());
  return off_ok && tbb::parallel_reduce(
                       tbb::blocked_range<size_t>(0, m, 1 << 16), true,
                       [&](const auto& r, bool ok) {
                         for (size_t i = r.begin(); ok && i != r.end(); ++i) {
                           ok = adj[i].nbr < n && adj[i].edge < m;
                         }
                         return ok;
                       },
                       std::logical_and<>());
}

// Key index slots hold a tag and vertex id + 1 (or 0 when empty).
bool SlotsOk(const std::vector<uint64_t>& slots, size_t n) {
  return tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, slots.size(), 1 << 16), true,
      [&](const auto& r, bool ok) {
        for (size_t i = r.begin(); ok && i != r.end(); ++i) {
          ok = slots[i] == 0 || ((slots[i] & 0xFFFFFFFFull) - 1) < n;
        }
        return ok;
      },
      std::logical_and<>());
}

}  // namespace

std::string ImagePath(const std::string& dir) { return dir + "/graph.image"; }

Status WriteImage(const std::string& path, const ImageStamp& stamp, const BaseGraph& base) {
  BaseGraph& b = const_cast<BaseGraph&>(base);  // pieces are only read here
  std::vector<Pieces> sections = SectionsOf(b, /*edges=*/true);
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.endian = kEndian;
  h.sequence = stamp.sequence;
  h.n = base.n;
  h.m = base.m;
  h.last_batch = stamp.last_batch;
  h.last_batch_micros = stamp.last_batch_micros;
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

Status ReadImage(const std::string& path, const ImageStamp& expect, uint64_t version,
                 BaseGraph* base) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return NotFound("no graph image at " + path);
    return Errno("cannot open", path);
  }
  Header h{};
  if (!ReadAt(fd.get(), reinterpret_cast<char*>(&h), sizeof h, 0) ||
      std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.endian != kEndian ||
      h.identity_len > 4096) {
    return Corruption("graph image " + path + ": bad header");
  }
  std::string identity(h.identity_len, '\0');
  uint64_t header_sum = 0;
  if (!ReadAt(fd.get(), identity.data(), identity.size(), sizeof h) ||
      !ReadAt(fd.get(), reinterpret_cast<char*>(&header_sum), sizeof header_sum,
              sizeof h + identity.size()) ||
      header_sum != HeaderSum(h, identity)) {
    return Corruption("graph image " + path + ": header checksum");
  }
  const ImageStamp found{h.sequence, identity, h.n, h.m, h.last_batch, h.last_batch_micros};
  if (!(found == expect)) {
    return FailedPrecondition("graph image " + path + " is stale (sequence " +
                              std::to_string(h.sequence) + ", database at " +
                              std::to_string(expect.sequence) + ")");
  }
  const size_t n = h.n, m = h.m;
  const uint64_t* bytes = h.bytes;
  if (bytes[kLabels] != n * sizeof(LabelId) || bytes[kEdges] != m * sizeof(EdgeRecord) ||
      bytes[kVpropOff] != (n + 1) * 8 || bytes[kKeyOff] != (n + 1) * 8 ||
      bytes[kEpropIds] % sizeof(EdgeId) != 0 ||
      bytes[kEpropOff] != (bytes[kEpropIds] / sizeof(EdgeId) + 1) * 8 ||
      bytes[kOutOff] != (n + 1) * 4 || bytes[kInOff] != (n + 1) * 4 ||
      bytes[kOutAdj] != m * sizeof(AdjEntry) || bytes[kInAdj] != m * sizeof(AdjEntry) ||
      bytes[kKeySlots] % 8 != 0) {
    return Corruption("graph image " + path + ": section sizes");
  }
  base->n = n;
  base->m = m;
  base->num_keys = h.num_keys;
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
  std::vector<Pieces> sections = SectionsOf(*base, /*edges=*/false);
  sections[kEdges].bytes = bytes[kEdges];
  // Parallel tasks of up to kTaskBlocks blocks; each reads and hashes its range.
  struct Task {
    int section;
    size_t first, last;  // blocks
    uint64_t file_off;
  };
  std::vector<Task> tasks;
  uint64_t off = sizeof h + identity.size() + sizeof header_sum;
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
      part.ok = ReadAt(fd.get(), dst, len, t.file_off + b * kBlock);
      part.sum += BlockSum(dst, len, b);
    }
  });
  uint64_t sums[kNumSections] = {};
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (!parts[i].ok) return Corruption("graph image " + path + ": truncated");
    sums[tasks[i].section] += parts[i].sum;
  }
  for (int s = 0; s < kNumSections; ++s) {
    if (sums[s] != h.sum[s]) {
      return Corruption("graph image " + path + ": section " + std::to_string(s) + " checksum");
    }
  }
  // Bounds, so that a verified but wrongly written image cannot make the
  // CSR build or a reader index out of range.
  const bool edges_ok = tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, m, 1 << 16), true,
      [&](const auto& r, bool ok) {
        for (size_t e = r.begin(); ok && e != r.end(); ++e) {
          const EdgeRecord& rec = base->edges.Get(e);
          ok = rec.src < n && rec.dst < n;
        }
        return ok;
      },
      std::logical_and<>());
  bool ids_ok = true;
  for (size_t i = 0; ids_ok && i < base->eprop_ids.size(); ++i) {
    ids_ok = base->eprop_ids[i] < m && (i == 0 || base->eprop_ids[i - 1] < base->eprop_ids[i]);
  }
  if (!edges_ok || !ids_ok || !CsrOk(base->out_off, base->out_adj, n, m) ||
      !CsrOk(base->in_off, base->in_adj, n, m) || !base->key_index.AdoptSlots() ||
      !SlotsOk(base->key_index.slots(), n) ||
      !OffsetsOk(base->vprop_off, base->vprop_blob.size()) ||
      !OffsetsOk(base->key_off, base->key_blob.size()) ||
      !OffsetsOk(base->eprop_off, base->eprop_blob.size())) {
    return Corruption("graph image " + path + ": contents out of range");
  }
  return Status::OK();
}

}  // namespace citygraph::internal
