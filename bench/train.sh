#!/usr/bin/env bash
# Benchmark of train (all four models, 14 candidate features) on the data of
# bench/build_dataset.sh. For each size: make sure the demo data and its model_dataset exist
# (generate and build-dataset, not timed), then time `train --as-of 2025-12-31` as a whole process,
# with the time per model from the model card and the peak driver heap from the JVM's GC log.
#
# Usage: bench/train.sh APPLICATIONS [APPLICATIONS ...]   e.g. bench/train.sh 1000000 4000000
# Env:   BENCH_DIR (default bench/out), CREDIT_RISK_HEAP (default 8g, the same for every size)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RESULTS="$OUT/train-results.tsv"
[[ -f "$RESULTS" ]] || printf "applications\ttrain_rows\ttrain_s\tscore_logistic_s\tscore_isotonic_s\tscorecard_s\tgbt_s\tgbt_trees\tpeak_heap_mb\tpeak_live_heap_mb\n" > "$RESULTS"

for APPS in "$@"; do
  DATA="$OUT/data-$APPS"
  WH="$OUT/wh-$APPS"
  dataset_once "$DATA" "$WH" $(( (APPS * 100 + 122) / 123 )) "$OUT/train-build-$APPS.txt"
  rm -rf "$WH/runs"/*/models
  echo "== train $APPS"
  T0=$(date +%s.%N)
  CREDIT_RISK_JAVA_OPTS="-Xlog:gc:file=$OUT/train-$APPS.gc.log" "$ROOT/bin/credit-risk" train --as-of 2025-12-31 \
    "${SETS[@]}" > "$OUT/train-$APPS.txt" 2> "$OUT/train-$APPS.err"
  T1=$(date +%s.%N)
  read -r PEAK LIVE < <(peak "$OUT/train-$APPS.gc.log")
  CARD=$(sed -n 's/^Model card: //p' "$OUT/train-$APPS.txt")
  python3 - "$APPS" "$T0" "$T1" "$PEAK" "$LIVE" "$CARD" >> "$RESULTS" <<'PY'
import json, sys
apps, t0, t1, peak, live, card = sys.argv[1:]
c = json.load(open(card))
rows = c["training_data"]["rows_by_split_and_status"]["train"]
t = c["timings_ms"]
trees = c["models"]["gbt"]["tuning"]
chosen = c["models"]["gbt"]["chosen_params"]["max_depth"]
n_trees = next(x["trees"] for x in trees if x["max_depth"] == chosen)
secs = [f"{t['train_' + m] / 1000:.1f}" for m in ("score_logistic", "score_isotonic", "scorecard", "gbt")]
print("\t".join([apps, str(rows.get("bad", 0) + rows.get("good", 0)), f"{float(t1) - float(t0):.1f}", *secs,
                 f"{n_trees} (depth {chosen})", peak, live]))
PY
  tail -n1 "$RESULTS"
  cat "$OUT/train-$APPS.txt"
done
