// jemalloc's options for every CityGraph program: jemalloc reads this
// symbol at its first allocation (it overrides the library's weak default).
// Compiled into executables through the citygraph_malloc target only.
//
// Why jemalloc, and why these options: the ingest and query paths allocate
// many small objects and many large, short-lived vectors. On the virtual
// machines we run on, the first touch of a fresh page is expensive (the
// kernel zeroes it and the hypervisor backs it: ~1 ms per MiB measured, and
// `clear_page` was 28% of the bulk ingest's samples). Two options attack
// that:
//  - thp:always backs jemalloc's arenas with 2 MiB pages: one fault per
//    2 MiB instead of 512, and fewer TLB misses on the hash tables;
//  - dirty_decay_ms:30000 keeps freed pages in the process for 30 s, so the
//    next batch reuses them instead of faulting in new ones. muzzy_decay_ms:0
//    then returns them at once (no lazily-freed middle state);
//  - oversize_threshold:0 keeps allocations of 8 MiB and more (our big
//    arrays and blobs) in those same arenas. By default jemalloc puts them
//    in an arena of their own that returns freed memory at once, whatever
//    dirty_decay_ms says, so every big temporary of a bulk load (sorted
//    copies, per-range parts) came back as fresh pages for the next one;
//  - narenas:1: every thread allocates from one arena, so memory one thread
//    frees (a pipeline stage's rows, a sort's copy) serves the next big
//    allocation of any other. With an arena per thread (the default, 4 per
//    core) it served only threads of its own arena: the 1M bulk ingest
//    peaked ~0.5 GiB higher and spent ~4 CPU-s more. On 2 cores the shared
//    arena's lock is not seen in profiles (threads take small objects from
//    their caches); on a many-core server this should be measured again.
// metadata_thp:auto puts jemalloc's own metadata on huge pages once it is big.
// Figures: benchmarks/BENCHMARKS.md, "jemalloc".
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's interface.
const char* malloc_conf =
    "thp:always,metadata_thp:auto,dirty_decay_ms:30000,muzzy_decay_ms:0,oversize_threshold:0,"
    "narenas:1";
}
