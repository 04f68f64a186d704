#!/usr/bin/env bash
# The GBT early-stopping study (docs/benchmarks.md, "GBT early stopping"): for each size, generate
# the data and build model_dataset as of 2025-12-31 once (not timed), then run bench/GbtStopping.java:
# train's GBT as configured against fixed tree counts, on train's own split and features.
#
# Usage: bench/gbt_stopping.sh CUSTOMERS [CUSTOMERS ...]   e.g. bench/gbt_stopping.sh 20000 813009
#        (20000 customers is the demo, about 24,000 applications; 813009 gives about 1M)
# Env:   BENCH_DIR (default bench/out), CREDIT_RISK_HEAP (default 8g), FIXED (default 50,100,200),
#        SEEDS (train.seed values, default 20240601,1,2), GBT_SETS (more --set pairs for train's config)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for CUSTOMERS in "$@"; do
  WH="$OUT/gbt-wh-$CUSTOMERS"
  dataset_once "$OUT/gbt-data-$CUSTOMERS" "$WH" "$CUSTOMERS" "$OUT/gbt-build-$CUSTOMERS.txt"
  echo "== GBT stopping study, $CUSTOMERS customers, load $(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086
  CREDIT_RISK_CONF="$ROOT/conf/local.conf" java -Xmx"$HEAP" $OPENS -Dlog4j2.configurationFile=classpath:credit-risk-log4j2.properties -cp "$CP" \
    "$ROOT/bench/GbtStopping.java" "$WH" 2025-12-31 "${FIXED:-50,100,200}" "${SEEDS:-20240601,1,2}" \
    ${GBT_SETS:-} 2> "$OUT/gbt-stopping-$CUSTOMERS.err" | tee "$OUT/gbt-stopping-$CUSTOMERS.txt"
done
