#!/usr/bin/env bash
# Benchmark of the bin command (WoE binning of 22 features). For each size: generate a CSV with
# bench/BinData.java (not timed), then time `bin` as a whole process (including the CSV schema
# inference), and record its Spark job count (printed by bin as "Spark jobs: N"; it must not grow
# with the number of features or rows) and its peak driver heap from the JVM's GC log: the largest
# heap in use before a collection (peak) and after one (live set).
#
# Usage: bench/bin.sh ROWS [ROWS ...]    e.g. bench/bin.sh 20000, later 1000000 10000000
# Env:   BENCH_DIR (default bench/out), CREDIT_RISK_HEAP (default 8g, the same for every size)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RESULTS="$OUT/bin-results.tsv"
[[ -f "$RESULTS" ]] || printf "rows\tfeatures\tbin_s\tspark_jobs\tpeak_heap_mb\tpeak_live_heap_mb\n" > "$RESULTS"

for ROWS in "$@"; do
  DATA="$OUT/bin-data-$ROWS"
  generate_once "$DATA" BinData.java "$ROWS"
  rm -rf "$OUT/bin-out-$ROWS"
  echo "== bin $ROWS"
  T0=$(date +%s.%N)
  CREDIT_RISK_JAVA_OPTS="-Xlog:gc:file=$OUT/bin-$ROWS.gc.log" "$ROOT/bin/credit-risk" bin \
    --input "$DATA" --label-col label --special-values -9,-8 --out "$OUT/bin-out-$ROWS" \
    > "$OUT/bin-$ROWS.txt" 2> "$OUT/bin-$ROWS.err"
  T1=$(date +%s.%N)
  read -r PEAK LIVE < <(peak "$OUT/bin-$ROWS.gc.log")
  JOBS=$(sed -n 's/^Spark jobs: //p' "$OUT/bin-$ROWS.txt")
  FEATURES=$(( $(wc -l < "$OUT/bin-out-$ROWS/iv.csv") - 1 ))
  python3 - "$ROWS" "$FEATURES" "$T0" "$T1" "$JOBS" "$PEAK" "$LIVE" >> "$RESULTS" <<'PY'
import sys
rows, features, t0, t1, jobs, peak, live = sys.argv[1:]
print(f"{rows}\t{features}\t{float(t1) - float(t0):.1f}\t{jobs}\t{peak}\t{live}")
PY
  tail -n1 "$RESULTS"
  cat "$OUT/bin-$ROWS.txt"
done
