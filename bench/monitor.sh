#!/usr/bin/env bash
# Benchmark of `credit-risk monitor` over monthly runs (issue 15, "Scale"). Not timed: a small real
# warehouse made once with `credit-risk demo` (the template: the product's schemas, models,
# validate rows and model card), then bench/MonitorData.java writes, in those schemas, the tables
# monitor reads for RUNS monthly as-of dates of APPLICATIONS_PER_RUN applications each:
# validation_metrics, scored_applications, loan_performance and the raw loans and repayments.
# Timed, as whole processes with the same heap and a GC log each:
#   a. credit-risk monitor --from FIRST --to LAST over the RUNS dates, with Spark's event log on;
#   b. the floor: bench/ScanFloor.java --noop reads each table monitor reads once (the same
#      versions, the columns monitor reads) into Spark's noop sink.
# It prints every pass over rows that monitor made (bench/monitor_passes.py: call site, table,
# scans, rows read), the time of a against b and the peak heap of each (bench/lib.sh peak()).
#
# Usage: bench/monitor.sh RUNS APPLICATIONS_PER_RUN    e.g. bench/monitor.sh 24 200000
# Env:   BENCH_DIR (default /tmp/monbench), CREDIT_RISK_HEAP (default 8g, the same for every size),
#        MONITOR_SETS: more key=value settings, space-separated, for the generator and monitor alike
#        (the runs' fingerprint includes them), e.g. MONITOR_SETS=validation.summary_max_groups=1000
#        to take monitor's keyed path at a small size; its data gets its own folders
set -euo pipefail
export BENCH_DIR="${BENCH_DIR:-/tmp/monbench}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS="$1"; N="$2"
RESULTS="$OUT/monitor.tsv"
[[ -f "$RESULTS" ]] || printf "runs\tapplications_per_run\tscored_rows\trepayment_rows\tmonitor_s\tfloor_s\tmonitor_to_floor\tscans\trows_read\tfloor_rows\tpeak_heap_monitor_mb\tpeak_live_monitor_mb\tpeak_heap_floor_mb\tload1_before\n" > "$RESULTS"
# The launcher's profile: the generator must compute the fingerprint monitor will run with.
export CREDIT_RISK_CONF="${CREDIT_RISK_CONF:-$ROOT/conf/local.conf}"

TEMPLATE="$OUT/template"
if [[ ! -f "$TEMPLATE/.done" ]]; then
  echo "== template warehouse: credit-risk demo --customers 3000 (not timed)"
  rm -rf "$TEMPLATE"; mkdir -p "$TEMPLATE"
  (cd "$TEMPLATE" && "$ROOT/bin/credit-risk" demo --customers 3000 --data-dir "$TEMPLATE/demo-data" > demo.txt)
  touch "$TEMPLATE/.done"
fi

read -r -a MORE <<< "${MONITOR_SETS:-}"
TAG="${RUNS}x$N$(for s in "${MORE[@]}"; do s="${s##*.}"; printf -- "-%s" "${s//=/}"; done)"
DATA="$OUT/data-$TAG"; WH="$OUT/wh-$TAG"
SETS=(warehouse.path="$WH" inputs.loans.path="$DATA/loans" inputs.repayments.path="$DATA/repayments" "${MORE[@]}")
if [[ ! -f "$DATA/.done" ]]; then
  echo "== generating $RUNS runs of $N applications into $DATA and $WH (not timed)"
  rm -rf "$DATA" "$WH"; mkdir -p "$DATA"
  SPARK_LOCAL_IP=127.0.0.1 java -Xmx"$HEAP" $OPENS -cp "$CP" "$ROOT/bench/MonitorData.java" "$RUNS" "$N" \
    "$TEMPLATE" "$DATA" "$WH" 42 "${SETS[@]}" > "$DATA.generate.txt" 2> "$DATA.generate.err"
  cat "$DATA.generate.txt"
  touch "$DATA/.done"
fi
FROM=$(python3 -c "import datetime as d; t=d.date(2025,12,1); m=t.year*12+t.month-1-($RUNS-1); \
s=d.date(m//12, m%12+1, 1); e=d.date(s.year+(s.month==12), s.month%12+1, 1)-d.timedelta(1); print(e)")
SET_ARGS=(); for s in "${SETS[@]}"; do SET_ARGS+=(--set "$s"); done

EV="$OUT/eventlog-$TAG"; rm -rf "$EV"; mkdir -p "$EV"
rm -rf "$WH/monitoring_metrics" "$WH/monitoring"   # each timing starts from the same warehouse
LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"   # other work on the machine distorts wall times
echo "== a. monitor --from $FROM --to 2025-12-31 ($TAG)"
T0=$(date +%s.%N)
CREDIT_RISK_JAVA_OPTS="-Xlog:gc:file=$OUT/monitor-$TAG.gc.log" "$ROOT/bin/credit-risk" monitor --from "$FROM" \
  --to 2025-12-31 "${SET_ARGS[@]}" --set spark.conf.spark.eventLog.enabled=true \
  --set spark.conf.spark.eventLog.dir="$EV" --set spark.conf.spark.eventLog.compress=false \
  > "$OUT/monitor-$TAG.txt" 2> "$OUT/monitor-$TAG.err"
T1=$(date +%s.%N)

echo "== b. floor: the tables monitor reads, once ($TAG)"
F0=$(date +%s.%N)
EVF="$OUT/eventlog-floor-$TAG"; rm -rf "$EVF"; mkdir -p "$EVF"
SPARK_LOCAL_IP=127.0.0.1 java -Xmx"$HEAP" $OPENS -Xlog:gc:file="$OUT/floor-$TAG.gc.log" -Dspark.eventLog.enabled=true \
  -Dspark.eventLog.dir="$EVF" -Dspark.eventLog.compress=false -cp "$CP" \
  "$ROOT/bench/ScanFloor.java" --noop \
  "$WH/validation_metrics=as_of_date,run_id,model_run_id,model,segment,metric,value,light" \
  "$WH/scored_applications=as_of_date,model_run_id,application_id,application_month,model,pd,status,label,split" \
  "$DATA/loans=loan_id,application_id,disbursed_date" \
  "$DATA/repayments=loan_id,due_date,amount_due,amount_paid,paid_date" 2> "$OUT/floor-$TAG.err"
F1=$(date +%s.%N)

cat "$OUT/monitor-$TAG.txt"
python3 "$ROOT/bench/monitor_passes.py" "$(ls -td "$EV"/* | head -n1)" | tee "$OUT/passes-$TAG.txt"
echo "== the floor's passes (task time against monitor's: less distorted by the load than wall time)"
python3 "$ROOT/bench/monitor_passes.py" "$(ls -td "$EVF"/* | head -n1)" | tee "$OUT/floor-passes-$TAG.txt"
read -r PEAK_M LIVE_M < <(peak "$OUT/monitor-$TAG.gc.log")
read -r PEAK_F _ < <(peak "$OUT/floor-$TAG.gc.log")
python3 - "$RUNS" "$N" "$T0" "$T1" "$F0" "$F1" "$PEAK_M" "$LIVE_M" "$PEAK_F" "$LOAD_BEFORE" \
  "$OUT/passes-$TAG.txt" "$DATA.generate.txt" >> "$RESULTS" <<'PY'
import re, sys
runs, n, t0, t1, f0, f1, pm, lm, pf, load, passes, gen = sys.argv[1:]
mon, floor = float(t1) - float(t0), float(f1) - float(f0)
scans = rows = 0
for line in open(passes):
    m = re.match(r"(.{70})(\S+)\s+(\d+)\s+([\d,]+)\s+[\d,]+$", line)
    if m and "_delta_log" not in m.group(2) and m.group(2) != "(no table)":
        scans += int(m.group(3)); rows += int(m.group(4).replace(",", ""))
counts = dict(re.findall(r"^(\w+) rows (\d+)", open(gen).read(), re.M))
floor_rows = sum(int(counts.get(t, 0)) for t in ("validation_metrics", "scored_applications", "loans", "repayments"))
print(f"{runs}\t{n}\t{counts.get('scored_applications', '?')}\t{counts.get('repayments', '?')}\t{mon:.1f}\t{floor:.1f}"
      f"\t{mon / floor:.2f}\t{scans}\t{rows}\t{floor_rows}\t{pm}\t{lm}\t{pf}\t{load}")
PY
column -t -s $'\t' < <(head -n1 "$RESULTS"; tail -n1 "$RESULTS")
