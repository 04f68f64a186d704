#!/usr/bin/env bash
# Runs build-dataset on an existing generated data set with Spark's event log on, then summarises
# the log with bench/eventlog_summary.py (jobs, stages, shuffle bytes and rows per step): counts
# that do not depend on machine load, for comparing plans when wall-clock timings are noisy.
# Usage: bench/run_1m_eventlog.sh DATA_DIR WAREHOUSE_DIR EVENTLOG_DIR
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$1"; WH="$2"; EV="$3"
rm -rf "$WH"; mkdir -p "$EV"
T0=$(date +%s.%N)
"$ROOT/bin/credit-risk" build-dataset --as-of 2025-12-31 --set warehouse.path="$WH" \
  --set spark.conf.spark.eventLog.enabled=true --set spark.conf.spark.eventLog.dir="$EV" --set spark.conf.spark.eventLog.compress=false \
  $(for t in score_snapshots applications loans repayments loan_events; do echo "--set inputs.$t.path=$DATA/$t"; done)
T1=$(date +%s.%N)
python3 -c "import sys; print(f'wall {float(sys.argv[2]) - float(sys.argv[1]):.1f} s')" "$T0" "$T1"
python3 "$ROOT/bench/eventlog_summary.py" "$(ls -td "$EV"/* | head -n1)"
