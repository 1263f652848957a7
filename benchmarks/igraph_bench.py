#!/usr/bin/python3
"""Times python3-igraph (Debian package) on the graph algo_bench wrote.

Reads the .el file (one undirected edge per line, dense ids) and, for
SSSP, the weights file beside it (one weight per line, same order). Load
time is reported separately; every kernel runs --trials times and the
median is printed as "RESULT name seconds", the same format as algo_bench.
igraph's C core is single-threaded.
"""
import argparse
import statistics
import sys
import time

import igraph
import numpy as np


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("el")
    p.add_argument("--weights", help="weights file written by algo_bench (EL.w)")
    p.add_argument("--nodes", type=int, default=0, help="node count (isolated tail ids)")
    p.add_argument("--sources", default="0", help="comma-separated BFS/SSSP sources")
    p.add_argument("--kernels", default="bfs,wcc,pr,sssp,tc,kcore,lcc,cdlp,louvain")
    p.add_argument("--trials", type=int, default=5)
    a = p.parse_args()

    t0 = time.perf_counter()
    g = igraph.Graph.Read_Edgelist(a.el, directed=False)
    if g.vcount() < a.nodes:
        g.add_vertices(a.nodes - g.vcount())
    if a.weights:
        w = np.fromfile(a.weights, sep=" ")
        if len(w) != g.ecount():
            sys.exit(f"error: {a.weights} has {len(w)} weights for {g.ecount()} edges")
        g.es["weight"] = w.tolist()
    load = time.perf_counter() - t0
    print(f"igraph {igraph.__version__}: {g.vcount()} nodes, {g.ecount()} edges; load {load:.3f} s")
    print(f"RESULT load {load:.6f}")
    sources = [int(s) for s in a.sources.split(",")]

    def triangles():
        t = np.array(g.transitivity_local_undirected(mode="zero"))
        d = np.array(g.degree(), dtype=np.float64)
        return int(round((t * d * (d - 1) / 2).sum() / 3))

    kernels = {
        "bfs": lambda i: g.bfs(sources[i % len(sources)]),
        "wcc": lambda i: g.connected_components(),
        # PRPACK solves to convergence; igraph has no fixed-iteration mode.
        "pr": lambda i: g.pagerank(damping=0.85),
        # Includes turning 2^scale distances into a Python list.
        "sssp": lambda i: g.distances(source=sources[i % len(sources)],
                                      weights="weight" if a.weights else None),
        "tc": lambda i: triangles(),
        "kcore": lambda i: g.coreness(),
        "lcc": lambda i: g.transitivity_local_undirected(mode="zero"),
        "cdlp": lambda i: g.community_label_propagation(),
        "louvain": lambda i: g.community_multilevel(),
    }
    slow = {"tc", "lcc", "cdlp", "louvain"}
    for name in a.kernels.split(","):
        if name not in kernels:
            print(f"RESULT {name} nan  # igraph has no equivalent")
            continue
        n = min(a.trials, 3) if name in slow else a.trials
        times = []
        for i in range(n):
            t0 = time.perf_counter()
            kernels[name](i)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        print(f"{name:8s} median {med:.4f} s  min {min(times):.4f} s  ({n} trials)")
        print(f"RESULT {name} {med:.6f}", flush=True)


if __name__ == "__main__":
    main()
