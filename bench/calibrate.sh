#!/usr/bin/env bash
# Benchmark of calibrate: PD calibration of two models, the strategy curve of every segment for the
# model's score and the consumer score with and without reject inference (fuzzy), the policies and
# the swap sets. For each size: generate N scored applications with bench/CalibrateData.java (not
# timed), then time `calibrate` as a whole process over the 12 application months, with 1 segment
# ("all" only) and with 12 (product x channel, plus "all"), and with few or many candidate cutoffs
# (SPREAD 1: a few hundred distinct model points; 100: tens of thousands). Records the curve's rows,
# the stage times from cutoffs.json, the peak driver heap from the JVM's GC log, and the CPU time
# of the whole process tree (user + system): on a shared machine, wall time measures the neighbours
# too, CPU time mostly the work.
#
# Usage: bench/calibrate.sh APPLICATIONS [APPLICATIONS ...]   e.g. bench/calibrate.sh 1000000 4000000
# Env:   BENCH_DIR (default bench/out), CREDIT_RISK_HEAP (default 8g), SPREADS (default "1 100")
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RESULTS="$OUT/calibrate-results.tsv"
[[ -f "$RESULTS" ]] || printf "applications\tsegments\tspread\tcurve_rows\tcalibrate_s\tcpu_s\tcalibration_ms\tcurve_ms\tpolicies_ms\tswap_ms\tpeak_heap_mb\tpeak_live_heap_mb\n" > "$RESULTS"

for APPS in "$@"; do
  for SPREAD in ${SPREADS:-1 100}; do
    WH="$OUT/calibrate-wh-$APPS-$SPREAD"
    if [[ ! -f "$WH/.done" ]]; then
      echo "== generating $APPS scored applications (spread $SPREAD) into $WH"
      rm -rf "$WH"
      SPARK_LOCAL_IP=127.0.0.1 java -Xmx"$HEAP" $OPENS -cp "$CP" "$ROOT/bench/CalibrateData.java" "$APPS" "$WH" "$SPREAD" 42 \
        2> "$WH.generate.err"
      touch "$WH/.done"
    fi
    for SEGMENTS in 1 12; do
      if [[ $SEGMENTS == 1 ]]; then SEG='calibrate.segments=[]'; else SEG='calibrate.segments=["product,channel"]'; fi
      LOG="$OUT/calibrate-$APPS-$SPREAD-$SEGMENTS"
      echo "== calibrate $APPS applications, $SEGMENTS segments, spread $SPREAD"
      T0=$(date +%s.%N)
      # getrusage of the children: the launcher and the JVM it waits for, all threads.
      CPU=$(CREDIT_RISK_JAVA_OPTS="-Xlog:gc:file=$LOG.gc.log" python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "w") as out, open(sys.argv[2], "w") as err:
    rc = subprocess.run(sys.argv[3:], stdout=out, stderr=err).returncode
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.1f}")
sys.exit(rc)' "$LOG.txt" "$LOG.err" "$ROOT/bin/credit-risk" calibrate --as-of 2025-12-31 \
        --model bench --set "warehouse.path=$WH" --set calibrate.months=12 --set "$SEG")
      T1=$(date +%s.%N)
      read -r PEAK LIVE < <(peak "$LOG.gc.log")
      RUN_DIR=$(sed -n 's/.*cutoffs: \(.*\)\/cutoffs.json$/\1/p' "$LOG.txt")
      python3 - "$APPS" "$SEGMENTS" "$SPREAD" "$T0" "$T1" "$CPU" "$PEAK" "$LIVE" "$RUN_DIR/cutoffs.json" "$LOG.txt" >> "$RESULTS" <<'PY'
import json, re, sys
apps, segs, spread, t0, t1, cpu, peak, live, cutoffs, txt = sys.argv[1:]
t = json.load(open(cutoffs))["timings_ms"]
rows = re.search(r"([\d,]+) rows\)", open(txt).read()).group(1).replace(",", "")
print(f"{apps}\t{segs}\t{spread}\t{rows}\t{float(t1) - float(t0):.1f}\t{cpu}\t{t['calibration']}\t{t['cutoff_curve']}"
      f"\t{t['policies']}\t{t['swap_sets']}\t{peak}\t{live}")
PY
      tail -n1 "$RESULTS"
    done
  done
done
