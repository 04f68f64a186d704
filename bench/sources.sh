#!/usr/bin/env bash
# Benchmark of a feature source in build-dataset (issue 14, "Scale"). For each size: generate demo
# data with its feature sources (not timed; about 12 bureau_inquiries events per application), then
# time, as whole processes with the same heap,
#   a. build-dataset as of the extract date without feature sources;
#   b. build-dataset with the bureau_inquiries events source declared (as in conf/demo.conf);
#   c. the source's floor: read bureau_inquiries and write it back as Delta, no logic.
# It prints the source's extra time (b - a), its ratio to the floor (target: at most 3), the events
# per application and the peak driver heap of a and b from the JVM's GC log (peak before a
# collection, live set after one).
#
# Usage: bench/sources.sh APPLICATIONS [APPLICATIONS ...]   e.g. bench/sources.sh 1000000 4000000
# Env:   BENCH_DIR (default bench/out), CREDIT_RISK_HEAP (default 8g, the same for every size)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SOURCE=bureau_inquiries
RESULTS="$OUT/sources.tsv"
[[ -f "$RESULTS" ]] || printf "applications\tevents\tevents_per_application\twithout_s\twith_s\textra_s\tfloor_s\textra_to_floor\tpeak_heap_without_mb\tpeak_heap_with_mb\tpeak_live_without_mb\tpeak_live_with_mb\n" > "$RESULTS"

for APPS in "$@"; do
  # The generator makes about 1.23 applications per customer.
  CUSTOMERS=$(( (APPS * 100 + 122) / 123 ))
  DATA="$OUT/data-$APPS"
  # Data that bench/build_dataset.sh generated before the generator wrote sources has none: redo it.
  if [[ ! -f "$DATA/.done" || ! -d "$DATA/$SOURCE" ]]; then
    echo "== generating $CUSTOMERS customers (~$APPS applications) into $DATA"
    rm -rf "$DATA"
    "$ROOT/bin/credit-risk" generate --customers "$CUSTOMERS" --out "$DATA" | tee "$DATA.generate.txt"
    touch "$DATA/.done"
  fi
  INPUTS=()
  for t in score_snapshots applications loans repayments loan_events; do INPUTS+=(--set "inputs.$t.path=$DATA/$t"); done
  S="feature_sources.$SOURCE"
  WITH_SOURCE=(--set "$S.path=$DATA/$SOURCE" --set "$S.format=delta" --set "$S.entity=customer"
    --set "$S.kind=events" --set "$S.windows_days=[30, 90, 180]"
    --set "$S.aggregates=[count, \"sum:amount\", \"distinct:lender_id\"]")
  rm -rf "$OUT/src-floor-$APPS" "$OUT/src-wh-a-$APPS" "$OUT/src-wh-b-$APPS"

  run_build() {  # run_build NAME [--set ...]: one timed build-dataset into its own warehouse; sets ELAPSED
    local name="$1"; shift
    echo "== build-dataset $APPS ($name)"
    local t0 t1
    t0=$(date +%s.%N)
    CREDIT_RISK_JAVA_OPTS="-Xlog:gc:file=$OUT/src-$name-$APPS.gc.log" "$ROOT/bin/credit-risk" build-dataset \
      --as-of 2025-12-31 --set warehouse.path="$OUT/src-wh-$name-$APPS" "${INPUTS[@]}" "$@" \
      > "$OUT/src-$name-$APPS.txt" 2> "$OUT/src-$name-$APPS.err"
    t1=$(date +%s.%N)
    ELAPSED=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
  }
  run_build a; WITHOUT=$ELAPSED
  run_build b "${WITH_SOURCE[@]}"; WITH=$ELAPSED

  echo "== $SOURCE floor $APPS"
  T0=$(date +%s.%N)
  SPARK_LOCAL_IP=127.0.0.1 java -Xmx"$HEAP" $OPENS -Xlog:gc:file="$OUT/src-floor-$APPS.gc.log" -cp "$CP" \
    "$ROOT/bench/ScanFloor.java" "$DATA" "$OUT/src-floor-$APPS" "$SOURCE" 2> "$OUT/src-floor-$APPS.err"
  T1=$(date +%s.%N)

  read -r PEAK_A LIVE_A < <(peak "$OUT/src-a-$APPS.gc.log")
  read -r PEAK_B LIVE_B < <(peak "$OUT/src-b-$APPS.gc.log")
  ACTUAL=$(grep -w applications "$DATA.generate.txt" | awk '{gsub(",","",$2); print $2}')
  EVENTS=$(grep -w "$SOURCE" "$DATA.generate.txt" | awk '{gsub(",","",$2); print $2}')
  python3 - "$ACTUAL" "$EVENTS" "$WITHOUT" "$WITH" "$T0" "$T1" "$PEAK_A" "$PEAK_B" "$LIVE_A" "$LIVE_B" >> "$RESULTS" <<'PY'
import sys
a, e, without, with_, t0, t1, pa, pb, la, lb = sys.argv[1:]
floor = float(t1) - float(t0)
extra = float(with_) - float(without)
print(f"{a}\t{e}\t{int(e)/int(a):.1f}\t{float(without):.1f}\t{float(with_):.1f}\t{extra:.1f}\t{floor:.1f}"
      f"\t{extra/floor:.2f}\t{pa}\t{pb}\t{la}\t{lb}")
PY
  column -t -s $'\t' < <(head -n1 "$RESULTS"; tail -n1 "$RESULTS")
done
