#!/usr/bin/env bash
# `make demo`: generate and ingest the demo city if absent, create demo users,
# serve it on 127.0.0.1, run one example of each mission query through the
# Thrift client, then keep serving until Ctrl-C.
#
# Environment: PORT (9090), PERSONS (20000), DEMO_DIR (data/demo), AS_OF (2024-06-30).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CITYGRAPH_BIN:-build/bin/citygraph}
PORT=${PORT:-9090}
PERSONS=${PERSONS:-20000}
DIR=${DEMO_DIR:-data/demo}
AS_OF=${AS_OF:-2024-06-30}
PY=/usr/bin/python3

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
need() {
  if ! "$BIN" --help 2>/dev/null | grep -q "^  $1"; then
    echo "demo: this build of citygraph has no '$1' command yet ($2); stopping here." >&2
    exit 1
  fi
}

[ -x "$BIN" ] || { echo "demo: $BIN not found: run 'make' first" >&2; exit 1; }
need gen "datagen"
need ingest "ingest"
need serve "api"
mkdir -p "$DIR"

if [ ! -d "$DIR/city" ]; then
  say "Generating the demo city ($PERSONS persons) into $DIR/city"
  "$BIN" gen --persons "$PERSONS" --seed 7 --out "$DIR/city"
fi
if [ ! -d "$DIR/db" ]; then
  say "Ingesting $DIR/city into $DIR/db"
  "$BIN" ingest --db "$DIR/db" --schema graph-core/schema/city.yaml --mapping ingest/mappings \
    --data "$DIR/city" --report "$DIR/ingest-report.json" --quiet | tail -n 15
fi

# One account per role; the same names and passwords as the notebooks' defaults.
USERS="$DIR/users.json"
declare -A ACCOUNTS=([admin]=admin [investigator]=investigator [court]=court_executor
                     [auditor]=welfare_auditor [analyst]=analyst)
if [ ! -f "$USERS" ]; then
  say "Creating demo users in $USERS"
  for name in admin investigator court auditor analyst; do
    CITYGRAPH_PASSWORD="$name-demo-pw" "$BIN" users add --file "$USERS" --name "$name" --role "${ACCOUNTS[$name]}"
  done
fi

say "Starting the server on 127.0.0.1:$PORT"
scripts/serve.sh stop "$DIR/db" >/dev/null 2>&1 || true
scripts/serve.sh start "$DIR/db" "$USERS" "$PORT" --mappings ingest/mappings
stop_server() { echo; scripts/serve.sh stop "$DIR/db"; }
trap stop_server EXIT
trap 'exit 0' INT TERM

client() {  # client USER args...
  local user=$1; shift
  CITYGRAPH_PASSWORD="$user-demo-pw" "$BIN" client --port "$PORT" --user "$user" "$@"
}

say "health and stats (admin)"
client admin health
client admin stats | head -n 8

# Pick examples from the generated court file: an open case, two of its
# debtors, its applicant, and a debtor of another case (to show a refusal).
read -r CASE DEBTOR1 DEBTOR2 APPLICANT OTHER < <("$PY" - "$DIR/city/court/execution_cases.csv" <<'PYEOF'
import collections, csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
cases = collections.defaultdict(list)
for r in rows:
    cases[r["案号"]].append(r)
def person(r): return r["证件号码"] and not r["证件号码"].startswith("9")
best = None
for no, rs in cases.items():
    if rs[0]["结案日期"]:
        continue
    d = [r["证件号码"] for r in rs if r["当事人类型"] == "被执行人" and person(r)]
    a = [r["证件号码"] for r in rs if r["当事人类型"] == "申请执行人" and person(r)]
    if d and a:
        best = (no, d, a[0]); break
no, d, a = best
other = next(r["证件号码"] for r in rows if r["当事人类型"] == "被执行人" and person(r)
             and r["案号"] != no and r["证件号码"] not in d)
print(no, d[0], d[1] if len(d) > 1 else d[0], a, other)
PYEOF
)

say "Welfare audit (welfare_auditor): 低保 households with forbidden assets as of $AS_OF, first page"
client auditor --as-of "$AS_OF" conflicts --page-size 3

say "Court locator (court): case $CASE, its debtors and one number that is not"
client court --as-of "$AS_OF" locate --case "$CASE" "$DEBTOR1" "$DEBTOR2" "$OTHER"

say "Court locator, a closed or unknown case is refused"
client court locate --case "(1999)鄂0000执0号" "$DEBTOR1" || true

say "Investigator: profile of $DEBTOR1"
client investigator profile "$DEBTOR1" | head -n 20

say "Investigator: how are $APPLICANT and $DEBTOR1 connected?"
client investigator --as-of "$AS_OF" paths "$APPLICANT" "$DEBTOR1" --max-hops 4 --mode all | head -n 30

say "Analyst: PageRank on the person-asset projection, top 5"
client analyst algo pagerank --top 5 || true

say "Audit (admin): the newest entries and the hash chain"
client admin audit-show --limit 12
client admin audit-verify

cat <<EOT

CityGraph is serving $DIR/db on 127.0.0.1:$PORT (framed binary Thrift).
  C++ CLI:   CITYGRAPH_PASSWORD=investigator-demo-pw $BIN client --port $PORT --user investigator profile $DEBTOR1
  Python:    PYTHONPATH=notebooks CITYGRAPH_GEN_PY=build/gen-py /usr/bin/python3 -c \\
               "import citygraph; c = citygraph.connect('127.0.0.1', $PORT, 'analyst', 'analyst-demo-pw'); print(c.stats())"
  Notebooks: see notebooks/README.md (users admin, investigator, court, auditor, analyst; password <user>-demo-pw)
  Audit:     $BIN audit verify --db $DIR/db   (after stopping the server, or any time: read-only)
Press Ctrl-C to stop.
EOT
wait "$(cat "$DIR/db.serve.pid")" 2>/dev/null || while scripts/serve.sh status "$DIR/db" >/dev/null; do sleep 1; done
