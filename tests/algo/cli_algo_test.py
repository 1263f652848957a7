#!/usr/bin/python3
"""`citygraph algo` end to end: generates and ingests a small city with the
binary, then runs algorithms through the CLI and checks what they print
against each other and against facts of the projection (degree sum = 2 x
edges, groups partition the vertices, PageRank sums to 1, a bipartite
projection has no triangles, k-core <= degree, BFS depth 0 only at the
source, --as-of keeps fewer edges), plus the error exits.

    cli_algo_test.py --bin build/bin/citygraph --schema graph-core/schema/city.yaml \
        --mappings ingest/mappings --work /tmp/cli-algo
"""
import argparse
import re
import shutil
import subprocess
import sys
import pathlib

FAILURES = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILURES.append(what)


def run(cmd, expect_ok=True):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300)
    if expect_ok and p.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p


def projection(out):
    m = re.search(r"^projection: (\d+) vertices, (\d+) edges", out, re.M)
    if not m:
        sys.exit(f"no projection line in:\n{out}")
    return int(m.group(1)), int(m.group(2))


def scores(out):
    """(vertex, label key, value) of every ranked line."""
    rows = []
    for line in out.splitlines():
        m = re.match(r"^(\d+)\s+(\d+)\s+(.+?)\s+(-?[0-9.eE+-]+)$", line)
        if m:
            rows.append((int(m.group(2)), m.group(3).strip(), float(m.group(4))))
    return rows


def groups(out):
    """Group count and the sizes of the printed groups."""
    n = int(re.search(r"^(\d+) groups$", out, re.M).group(1))
    sizes = [int(m.group(1)) for m in re.finditer(r"^\d+\s+(\d+)\s+\S", out, re.M)]
    return n, sizes


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--mappings", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    work = pathlib.Path(a.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    run([a.bin, "gen", "--persons", 200, "--seed", 3, "--out", work / "city"])
    run([a.bin, "ingest", "--db", work / "db", "--schema", a.schema, "--mapping", a.mappings,
         "--data", work / "city", "--quiet"])
    db = work / "db"
    all_rows = 1_000_000

    def algo(*args, expect_ok=True):
        return run([a.bin, "algo", *args, "--db", db], expect_ok)

    # Whole graph, undirected.
    out = algo("degree", "--top", all_rows).stdout
    n, m = projection(out)
    check(n > 100 and m > 100, f"projection of the whole city is not tiny ({n} vertices, {m} edges)")
    deg = scores(out)
    check(len(deg) == n, f"degree lists every vertex ({len(deg)} of {n})")
    check(sum(d for _, _, d in deg) == 2 * m, "degrees sum to twice the edge count")
    check(all(deg[i][2] >= deg[i + 1][2] for i in range(len(deg) - 1)), "degree is ranked")

    top3 = scores(algo("degree", "--top", 3).stdout)
    check([r[0] for r in top3] == [r[0] for r in deg[:3]], "--top 3 prints the first 3 of the ranking")

    pr = scores(algo("pagerank", "--top", all_rows).stdout)
    check(len(pr) == n and abs(sum(x for _, _, x in pr) - 1.0) < 1e-3, "PageRank sums to 1")

    core = {v: c for v, _, c in scores(algo("kcore", "--top", all_rows).stdout)}
    check(len(core) == n and all(core[v] <= d for v, _, d in deg), "core number <= degree")
    check(max(core.values()) >= 2, "the city has a 2-core")

    wcc_n, wcc_sizes = groups(algo("wcc", "--top", all_rows).stdout)
    check(len(wcc_sizes) == wcc_n and sum(wcc_sizes) == n, "components partition the vertices")

    out = algo("louvain", "--top", all_rows).stdout
    lv_n, lv_sizes = groups(out)
    q = float(re.search(r"^modularity (\S+)$", out, re.M).group(1))
    check(sum(lv_sizes) == n and lv_n >= wcc_n, "Louvain communities partition the vertices")
    check(0.3 < q <= 1.0, f"Louvain modularity is meaningful ({q})")

    t = int(re.search(r"^triangles (\d+)$", algo("triangles").stdout, re.M).group(1))
    check(t > 0, f"the whole city has triangles ({t})")

    # Projection: persons and houses through OWNS only is bipartite.
    out = algo("triangles", "--labels", "Person,House", "--edge-types", "OWNS").stdout
    pn, pm = projection(out)
    check(0 < pn < n and 0 < pm < m, f"the OWNS projection is a proper subgraph ({pn}, {pm})")
    t = int(re.search(r"^triangles (\d+)$", out, re.M).group(1))
    check(t == 0, "a Person-OWNS-House projection has no triangles")
    labels = {k.split()[0] for _, k, _ in
              scores(algo("degree", "--labels", "Person,House", "--edge-types", "OWNS",
                          "--top", all_rows).stdout)}
    check(labels <= {"Person", "House"}, f"projection keeps only the chosen labels ({labels})")

    # As of a date: only edges valid then (undated ones always hold).
    _, old_m = projection(algo("wcc", "--as-of", "1900-01-01").stdout)
    _, new_m = projection(algo("wcc", "--as-of", "2030-01-01").stdout)
    check(old_m < new_m < m, f"--as-of keeps fewer edges on older dates ({old_m}, {new_m}, {m})")

    # BFS from the top-degree person: depth 0 only at the source.
    person = next(k for _, k, _ in deg if k.startswith("Person "))
    src = person.split()[1]
    depth = scores(algo("bfs", "--source", src, "--top", all_rows).stdout)
    zero = [k for _, k, d in depth if d == 0]
    check(zero == [person], f"BFS depth 0 is the source only ({zero})")
    check(any(d == 1 for _, _, d in depth), "BFS reaches neighbours at depth 1")

    # Errors exit non-zero with a message.
    p = algo("nosuchalgo", expect_ok=False)
    check(p.returncode != 0 and "unknown algorithm" in p.stdout + p.stderr,
          "an unknown algorithm is an error")
    p = algo("bfs", expect_ok=False)
    check(p.returncode != 0 and "--source" in p.stdout + p.stderr, "bfs without --source is an error")
    p = run([a.bin, "algo", "pagerank", "--db", work / "no-such-db"], expect_ok=False)
    check(p.returncode != 0, "a missing database is an error")

    if FAILURES:
        sys.exit(f"{len(FAILURES)} check(s) failed")
    print("all checks passed")


if __name__ == "__main__":
    main()
