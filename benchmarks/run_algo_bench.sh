#!/usr/bin/env bash
# Runs algo_bench (ours, 2 oneTBB threads) and igraph_bench.py (python3-igraph)
# on the same Kronecker graph in one run and prints the ratio table.
#
#   benchmarks/run_algo_bench.sh SCALE [TRIALS]
#   BUILD=build-algo NICE=10 KERNELS=bfs,wcc,pr benchmarks/run_algo_bench.sh 18
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:?usage: run_algo_bench.sh SCALE [TRIALS]}
trials=${2:-5}
build=${BUILD:-build}
kernels=${KERNELS:-bfs,wcc,pr,sssp,bc,tc,kcore,lcc,cdlp,louvain}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
el="$work/kron$scale.el"

nice -n "${NICE:-10}" "$build/bin/algo_bench" --kron "$scale" --write-el "$el" \
  --trials "$trials" --threads 2 --kernels "$kernels" | tee "$work/ours.txt"
sources=$(grep '^SOURCES' "$work/ours.txt" | cut -d' ' -f2- | tr ' ' ',')
nodes=$(grep '^graph:' "$work/ours.txt" | awk '{print $2}')
nice -n "${NICE:-10}" /usr/bin/python3 benchmarks/igraph_bench.py "$el" --weights "$el.w" \
  --nodes "$nodes" --sources "$sources" --trials "$trials" --kernels "$kernels" \
  | tee "$work/igraph.txt"

/usr/bin/python3 - "$scale" "$work/ours.txt" "$work/igraph.txt" <<'PY'
import math, sys
scale = int(sys.argv[1])
def results(path):
    out = {}
    for line in open(path):
        if line.startswith("RESULT"):
            _, name, value = line.split()[:3]
            out[name] = float(value)
    return out
ours, ig = results(sys.argv[2]), results(sys.argv[3])
# GAP Benchmark Suite reference kernels measured on this machine type (issue 6).
gap = {20: {"bfs": 0.097, "wcc": 0.035, "sssp": 0.128, "bc": 0.335, "tc": 8.5},
       18: {"tc": 1.22}}.get(scale, {})
print(f"\nKronecker scale {scale}, 2 threads (ours) vs python3-igraph (1 thread)")
print(f"| kernel | ours (s) | igraph (s) | igraph/ours | GAP (s) | ours/GAP | within 1.5x GAP |")
print(f"|---|---|---|---|---|---|---|")
for name, t in ours.items():
    i = ig.get(name, float("nan"))
    ratio = f"{i / t:.1f}x" if not math.isnan(i) and t > 0 else "n/a"
    g = gap.get(name)
    gcol = f"{g}" if g else "-"
    rg = f"{t / g:.2f}" if g else "-"
    ok = ("yes" if t <= 1.5 * g else "no") if g else "-"
    istr = f"{i:.4f}" if not math.isnan(i) else "n/a"
    print(f"| {name} | {t:.4f} | {istr} | {ratio} | {gcol} | {rg} | {ok} |")
PY
