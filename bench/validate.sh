#!/usr/bin/env bash
# Benchmark of the validation pack (validate --scores) against MLlib's exact AUC alone. For each
# size: generate N scored rows and a baseline with bench/ValidateData.java (not timed), then run
# bench/ValidateBench.java, which in one Spark application times the whole pack (AUC + DeLong,
# paired DeLong, KS, Brier, Hosmer-Lemeshow, Jeffreys, rank ordering, PSI + PSI per month,
# cutoffs; metrics.json written) and MLlib's BinaryClassificationEvaluator with numBins 0 on the
# same rows: three untimed warm-up runs of each, then 3 rounds alternating the two; it prints the
# median wall and CPU time of each side, every round, both AUCs and the Spark job counts.
#
# Usage: bench/validate.sh ROWS [ROWS ...]    e.g. bench/validate.sh 100000, later 10000000
# Env:   BENCH_DIR (default bench/out), CREDIT_RISK_HEAP (default 8g, the same for every size)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RESULTS="$OUT/validate-results-v2.tsv"   # v2: with CPU times and the load (v1: the first runs)
[[ -f "$RESULTS" ]] || printf "rows\tpack_s\tpack_cpu_s\tpack_jobs\tmllib_auc_s\tmllib_cpu_s\tmllib_jobs\tauc_pack\tauc_mllib\tload1_before\n" > "$RESULTS"

for ROWS in "$@"; do
  DATA="$OUT/validate-data-$ROWS"
  generate_once "$DATA" ValidateData.java "$ROWS"
  echo "== validate $ROWS"
  rm -rf "$OUT/validate-out-$ROWS"
  LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"   # other work on the machine distorts wall times
  SPARK_LOCAL_IP=127.0.0.1 java -Xmx"$HEAP" $OPENS -cp "$CP" "$ROOT/bench/ValidateBench.java" "$DATA" \
    "$OUT/validate-out-$ROWS" > "$OUT/validate-$ROWS.txt" 2> "$OUT/validate-$ROWS.err"
  cat "$OUT/validate-$ROWS.txt"   # medians first, then every round
  awk -F'\t' -v rows="$ROWS" '
    $1 == "pack_s" { ps = $2; pc = $4; pj = $6; pa = $8 }
    $1 == "mllib_auc_s" { ms = $2; mc = $4; mj = $6; ma = $8 }
    END { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", rows, ps, pc, pj, ms, mc, mj, pa, ma, load }' \
    load="$LOAD_BEFORE" "$OUT/validate-$ROWS.txt" >> "$RESULTS"
  tail -n1 "$RESULTS"
done
