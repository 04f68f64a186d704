# Shared by the benchmark scripts (sourced): the folders, the heap, the jobs classpath and the
# JVM flags, and peak() for the GC log. Builds the jobs jar on first use.
# Env: BENCH_DIR (default bench/out), CREDIT_RISK_HEAP (default 8g, the same for every size)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${BENCH_DIR:-$ROOT/bench/out}"
HEAP="${CREDIT_RISK_HEAP:-8g}"
export CREDIT_RISK_HEAP="$HEAP"
mkdir -p "$OUT"
"$ROOT/bin/credit-risk" --version >/dev/null   # builds the jar on first use
CP="$(ls "$ROOT"/jobs/target/credit-risk-jobs-*.jar | grep -v original | head -n1):$(cat "$ROOT/jobs/target/classpath.txt")"
OPENS="$(cat "$ROOT/jobs/target/classes/com/creditrisk/jvm.options")"

peak() {  # max heap before GC and after GC, in MB, from a -Xlog:gc log
  python3 - "$1" <<'PY'
import re, sys
before = after = 0
for line in open(sys.argv[1]):
    m = re.search(r"(\d+)M->(\d+)M\(\d+M\)", line)
    if m:
        before = max(before, int(m.group(1))); after = max(after, int(m.group(2)))
print(before, after)
PY
}

generate_once() {  # generate_once DATA GENERATOR.java ROWS: runs a bench/ generator (seed 42) unless DATA/.done exists
  local data="$1" generator="$2" rows="$3"
  if [[ ! -f "$data/.done" ]]; then
    echo "== generating $rows rows into $data"
    SPARK_LOCAL_IP=127.0.0.1 java -Xmx"$HEAP" $OPENS -cp "$CP" "$ROOT/bench/$generator" "$rows" "$data" 42 \
      2> "$data.generate.err"
    touch "$data/.done"
  fi
}

dataset_once() {  # dataset_once DATA WH CUSTOMERS BUILD_LOG: `generate` into DATA unless DATA/.done, then
  # build-dataset as of 2025-12-31 into warehouse WH unless it has a model_dataset (neither timed).
  # Sets SETS, the --set pairs that point a command at DATA and WH.
  local data="$1" wh="$2" customers="$3" log="$4" t
  SETS=(--set warehouse.path="$wh")
  for t in score_snapshots applications loans repayments loan_events; do SETS+=(--set "inputs.$t.path=$data/$t"); done
  if [[ ! -f "$data/.done" ]]; then
    echo "== generating $customers customers into $data"
    "$ROOT/bin/credit-risk" generate --customers "$customers" --out "$data" | tee "$data.generate.txt"
    touch "$data/.done"
  fi
  if [[ ! -d "$wh/model_dataset" ]]; then
    echo "== build-dataset into $wh (not timed)"
    "$ROOT/bin/credit-risk" build-dataset --as-of 2025-12-31 "${SETS[@]}" > "$log"
  fi
}
