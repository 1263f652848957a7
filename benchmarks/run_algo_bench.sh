#!/usr/bin/env bash
# Runs algo_bench (ours, 2 oneTBB threads) and igraph_bench.py (python3-igraph)
# on the same Kronecker graph in one run, for each scale, and prints one ratio
# table per scale (with GAP's reference figures where issue 6 gives them).
#
#   benchmarks/run_algo_bench.sh [SCALES] [TRIALS]     # default: "18 20" 3
#   BUILD=build-algo NICE=0 benchmarks/run_algo_bench.sh "18 20" 3
#   KERNELS=bfs,wcc,pr OUT=/tmp/algo-run benchmarks/run_algo_bench.sh 20
#
# KERNELS: comma list (default every kernel); OUT: keep the raw outputs there.
# Records `uptime` before and after each half so the load can be reported.
set -euo pipefail
cd "$(dirname "$0")/.."
scales=${1:-18 20}
trials=${2:-3}
build=${BUILD:-build}
kernels=${KERNELS:-bfs,wcc,pr,sssp,bc,tc,kcore,lcc,cdlp,louvain}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${OUT:-$work}
mkdir -p "$out"

for scale in $scales; do
  el="$work/kron$scale.el"
  echo "== scale $scale: ours; $(uptime)" | tee -a "$out/load.txt"
  nice -n "${NICE:-10}" "$build/bin/algo_bench" --kron "$scale" --write-el "$el" \
    --trials "$trials" --threads 2 --kernels "$kernels" | tee "$out/ours$scale.txt"
  sources=$(grep '^SOURCES' "$out/ours$scale.txt" | cut -d' ' -f2- | tr ' ' ',')
  nodes=$(grep '^graph:' "$out/ours$scale.txt" | awk '{print $2}')
  echo "== scale $scale: igraph; $(uptime)" | tee -a "$out/load.txt"
  nice -n "${NICE:-10}" /usr/bin/python3 benchmarks/igraph_bench.py "$el" --weights "$el.w" \
    --nodes "$nodes" --sources "$sources" --trials "$trials" --kernels "$kernels" \
    | tee "$out/igraph$scale.txt"
  echo "== scale $scale: done; $(uptime)" | tee -a "$out/load.txt"
  rm -f "$el" "$el.w"
done

/usr/bin/python3 - "$out" $scales <<'PY'
import math, pathlib, sys
out = pathlib.Path(sys.argv[1])
def results(path):
    res = {}
    for line in open(path):
        if line.startswith("RESULT"):
            _, name, value = line.split()[:3]
            res[name] = float(value)
    return res
def cpu(path):
    res = {}
    for line in open(path):
        parts = line.split()
        if len(parts) > 6 and parts[1] == "median" and "cpu" in parts:
            res[parts[0]] = float(parts[parts.index("cpu") + 1])
    return res
# GAP Benchmark Suite reference kernels measured on this machine type (issue 6).
GAP = {20: {"bfs": 0.097, "wcc": 0.035, "sssp": 0.128, "bc": 0.335, "tc": 8.5},
       18: {"tc": 1.22}}
print((out / "load.txt").read_text())
for scale in map(int, sys.argv[2:]):
    ours, ig = results(out / f"ours{scale}.txt"), results(out / f"igraph{scale}.txt")
    ours_cpu = cpu(out / f"ours{scale}.txt")
    gap = GAP.get(scale, {})
    print(f"\nKronecker scale {scale}: ours (2 threads, median wall s; CPU s of all threads) "
          f"vs python3-igraph (1 thread)")
    print("| kernel | ours (s) | ours CPU (s) | igraph (s) | igraph/ours | GAP (s) | ours/GAP "
          "| within 1.5x GAP |")
    print("|---|---|---|---|---|---|---|---|")
    for name, t in ours.items():
        i = ig.get(name, float("nan"))
        ratio = f"{i / t:.1f}x" if not math.isnan(i) and t > 0 else "n/a"
        g = gap.get(name)
        ok = ("yes" if t <= 1.5 * g else "no") if g else "-"
        c = ours_cpu.get(name)
        print(f"| {name} | {t:.4f} | {f'{c:.3f}' if c is not None else '-'} | "
              f"{f'{i:.4f}' if not math.isnan(i) else 'n/a'} | {ratio} | {g or '-'} | "
              f"{f'{t / g:.2f}' if g else '-'} | {ok} |")
PY
