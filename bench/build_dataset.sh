#!/usr/bin/env bash
# Benchmark of build-dataset against its scan floor (DESIGN: "Speed and memory targets are
# checked with a benchmark"). For each size: generate demo data (not timed), then time, as whole
# processes with the same heap,
#   1. the scan floor: read the five inputs and write them back as Delta, no logic;
#   2. build-dataset as of the data's extract date.
# Peak driver heap comes from the JVM's GC log: the largest heap in use before a collection
# (peak) and after one (live set).
#
# Usage: bench/build_dataset.sh APPLICATIONS [APPLICATIONS ...]   e.g. bench/build_dataset.sh 100000 1000000
# Env:   BENCH_DIR (default bench/out), CREDIT_RISK_HEAP (default 8g, the same for every size)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RESULTS="$OUT/results.tsv"
[[ -f "$RESULTS" ]] || printf "applications\tcustomers\tsnapshots\tinstallments\tscan_floor_s\tbuild_dataset_s\tratio\tpeak_heap_mb\tpeak_live_heap_mb\n" > "$RESULTS"

for APPS in "$@"; do
  # The generator makes about 1.23 applications per customer.
  CUSTOMERS=$(( (APPS * 100 + 122) / 123 ))
  DATA="$OUT/data-$APPS"
  if [[ ! -f "$DATA/.done" ]]; then
    echo "== generating $CUSTOMERS customers (~$APPS applications) into $DATA"
    "$ROOT/bin/credit-risk" generate --customers "$CUSTOMERS" --out "$DATA" | tee "$DATA.generate.txt"
    touch "$DATA/.done"
  fi
  rm -rf "$OUT/floor-$APPS" "$OUT/wh-$APPS"
  echo "== scan floor $APPS"
  T0=$(date +%s.%N)
  SPARK_LOCAL_IP=127.0.0.1 java -Xmx"$HEAP" $OPENS -Xlog:gc:file="$OUT/floor-$APPS.gc.log" -cp "$CP" \
    "$ROOT/bench/ScanFloor.java" "$DATA" "$OUT/floor-$APPS" 2> "$OUT/floor-$APPS.err"
  T1=$(date +%s.%N)
  echo "== build-dataset $APPS"
  CREDIT_RISK_JAVA_OPTS="-Xlog:gc:file=$OUT/build-$APPS.gc.log" "$ROOT/bin/credit-risk" build-dataset \
    --as-of 2025-12-31 --set warehouse.path="$OUT/wh-$APPS" \
    $(for t in score_snapshots applications loans repayments loan_events; do echo "--set inputs.$t.path=$DATA/$t"; done) \
    > "$OUT/build-$APPS.txt" 2> "$OUT/build-$APPS.err"
  T2=$(date +%s.%N)
  read -r PEAK LIVE < <(peak "$OUT/build-$APPS.gc.log")
  SNAPS=$(grep score_snapshots "$DATA.generate.txt" | awk '{gsub(",","",$2); print $2}')
  ACTUAL=$(grep applications "$DATA.generate.txt" | awk '{gsub(",","",$2); print $2}')
  INST=$(grep repayments "$DATA.generate.txt" | awk '{gsub(",","",$2); print $2}')
  python3 - "$ACTUAL" "$CUSTOMERS" "$SNAPS" "$INST" "$T0" "$T1" "$T2" "$PEAK" "$LIVE" >> "$RESULTS" <<'PY'
import sys
a, c, s, i, t0, t1, t2, peak, live = sys.argv[1:]
floor, build = float(t1) - float(t0), float(t2) - float(t1)
print(f"{a}\t{c}\t{s}\t{i}\t{floor:.1f}\t{build:.1f}\t{build/floor:.2f}\t{peak}\t{live}")
PY
  tail -n1 "$RESULTS"
  cat "$OUT/build-$APPS.txt"
done
