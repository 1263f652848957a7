#!/usr/bin/env bash
# Ingest benchmark: generates a city (if not there yet), bulk-ingests every
# department file through ingest/mappings into a fresh database, then runs
# eval-er against the truth. Prints records/s, wall time and peak RSS
# (/usr/bin/time -v) of the ingest alone.
#
#   benchmarks/ingest_bench.sh BUILD_DIR PERSONS WORK_DIR [SEED]
#   e.g. nice -n 10 benchmarks/ingest_bench.sh build-ingest 1000000 /tmp/cg1m
set -euo pipefail
BUILD=${1:?build dir}
PERSONS=${2:?persons}
WORK=${3:?work dir}
SEED=${4:-1}
BIN="$BUILD/bin/citygraph"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CITY="$WORK/city"
DB="$WORK/db"

mkdir -p "$WORK"
if [ ! -f "$CITY/truth/manifest.json" ]; then
  echo "generating $PERSONS persons (seed $SEED) into $CITY"
  "$BIN" gen --persons "$PERSONS" --seed "$SEED" --out "$CITY" >/dev/null
fi
rm -rf "$DB"
ROWS=$(find "$CITY" -path "$CITY/truth" -prune -o -type f \( -name '*.csv' -o -name '*.tsv' -o -name '*.jsonl' \) -print0 |
  xargs -0 cat | wc -l)
echo "input: $(du -sh --exclude=truth "$CITY" | cut -f1) in $(find "$CITY" -path "$CITY/truth" -prune -o -type f -print | wc -l) files, ~$ROWS lines"

/usr/bin/time -v "$BIN" ingest --db "$DB" --schema "$ROOT/graph-core/schema/city.yaml" \
  --mapping "$ROOT/ingest/mappings" --data "$CITY" --mode bulk --quiet \
  --report "$WORK/report.json" --rejects "$WORK/rejects.csv" >"$WORK/ingest.out" 2>"$WORK/time.txt"
tail -n 1 "$WORK/ingest.out"
WALL=$(grep "Elapsed (wall clock)" "$WORK/time.txt" | awk '{print $NF}')
RSS_KB=$(grep "Maximum resident set size" "$WORK/time.txt" | awk '{print $NF}')
RECORDS=$(tail -n 1 "$WORK/ingest.out" | sed -E 's/.*: ([0-9]+) rows.*/\1/')
SECS=$(echo "$WALL" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
echo "records:      $RECORDS"
echo "wall time:    $WALL ($SECS s)"
echo "records/s:    $(awk -v r="$RECORDS" -v s="$SECS" 'BEGIN { printf "%.0f", r / s }')"
echo "peak RSS:     $(awk -v k="$RSS_KB" 'BEGIN { printf "%.2f GiB", k / 1048576 }')"
echo "disk:         $(du -sh "$DB" | cut -f1)"
"$BIN" eval-er --db "$DB" --truth "$CITY"
