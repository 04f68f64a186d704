#!/usr/bin/env bash
# Single-file work against the single-node tools a data scientist would otherwise pick (issue 16),
# in one script so both sides run on the same machine in the same conditions:
#   bin       `credit-risk bin` on the realistic modelling CSV (bench/realistic_data.py model)
#             vs a pandas + scikit-learn WoE binning written here, like toad's Combiner(method='dt'):
#             per numeric feature a DecisionTreeClassifier(max_leaf_nodes=MAX_BINS, min_samples_leaf
#             5%) on the non-missing, non-special values gives the cuts; missing and -9 in their
#             own bins; one bin per category; then WoE and IV per bin.
#   validate  `credit-risk validate --scores` on a (pd, bad) CSV (bench/realistic_data.py scores),
#             with --baseline, vs numpy + scikit-learn: roc_auc_score, KS from roc_curve, 10-bin PSI
#             on the baseline's deciles.
# Whole processes (JVM and Spark start-up, Python imports and CSV reading included), one untimed
# warm-up of each side, then RUNS rounds alternating the two; every run's wall, user and system
# CPU, peak RSS, credit-risk's peak heap (the largest heap in use before a collection, and the
# largest live set after one, from the JVM's GC log) and /proc/loadavg before it go to
# $OUT/single-file-runs.tsv, the medians to $OUT/single-file-results.tsv (a file with an older
# header is moved aside first). Data is generated once per size (not timed); at 100M rows and more
# it is deleted after the size's runs.
#
# Usage: bench/single_file.sh bin|validate ROWS [ROWS ...]   e.g. bench/single_file.sh validate 1000 1000000
# Env:   RUNS (default 3), BENCH_DIR (default bench/out), CREDIT_RISK_HEAP (default 8g),
#        PYTHON (default /usr/bin/python3, with the Debian numpy, pandas and scikit-learn)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORK="$1"; shift
RUNS="${RUNS:-3}"
PYTHON="${PYTHON:-/usr/bin/python3}"
RUNS_TSV="$OUT/single-file-runs.tsv"
RESULTS="$OUT/single-file-results.tsv"
RUNS_HEADER="work\trows\tside\trun\twall_s\tcpu_s\tmax_rss_mb\tspark_jobs\tload1\tload5\tpeak_heap_mb\tlive_heap_mb"
RESULTS_HEADER="work\trows\tcsv_mb\tcr_wall_s\tcr_cpu_s\tcr_rss_mb\tpeer_wall_s\tpeer_cpu_s\tpeer_rss_mb\twall_ratio\tcpu_ratio\tload1_range\tcr_peak_heap_mb\tcr_live_heap_mb"
for f in "$RUNS_TSV:$RUNS_HEADER" "$RESULTS:$RESULTS_HEADER"; do
  file="${f%%:*}" header="${f#*:}"
  if [[ -f "$file" && "$(head -n1 "$file")" != "$(printf "$header")" ]]; then mv "$file" "$file.$(date +%s).old"; fi
  [[ -f "$file" ]] || printf "$header\n" > "$file"
done

PEER="$OUT/single_file_peer.py"
cat > "$PEER" <<'PY'
import sys
import numpy as np
import pandas as pd


def woe_iv(bins, y):
    """WoE and IV per bin label, goods and bads each with 0.5 added where a bin has none of one."""
    t = pd.DataFrame({"bin": bins, "y": y}).groupby("bin", dropna=False)["y"].agg(["count", "sum"])
    bads, goods = t["sum"].to_numpy(float), (t["count"] - t["sum"]).to_numpy(float)
    bads, goods = np.where(bads == 0, 0.5, bads), np.where(goods == 0, 0.5, goods)
    db, dg = bads / bads.sum(), goods / goods.sum()
    woe = np.log(db / dg)
    return woe, float(((db - dg) * woe).sum())


def binning(path, label, specials, max_bins):
    from sklearn.tree import DecisionTreeClassifier
    df = pd.read_csv(path)
    y = df.pop(label).to_numpy()
    ivs = {}
    for col in df.columns:
        x = df[col]
        if x.dtype == object:
            bins = x.fillna("__missing__").to_numpy()
        else:
            v = x.to_numpy(float)
            missing, special = np.isnan(v), np.isin(v, specials)
            fit = ~missing & ~special
            tree = DecisionTreeClassifier(max_leaf_nodes=max_bins, min_samples_leaf=0.05)
            tree.fit(v[fit].reshape(-1, 1), y[fit])
            cuts = np.sort(tree.tree_.threshold[tree.tree_.feature >= 0])
            bins = np.digitize(v, cuts, right=True).astype(float)
            bins[special] = -1.0 - np.searchsorted(specials, v[special])
            bins[missing] = -100.0
        _, ivs[col] = woe_iv(bins, y)
    for col, iv in sorted(ivs.items(), key=lambda e: -e[1]):
        print(f"{col}\t{iv:.4f}")


def validate(path, baseline, score, label):
    from sklearn.metrics import roc_auc_score, roc_curve
    df = pd.read_csv(path, usecols=[score, label])
    s, y = df[score].to_numpy(), df[label].to_numpy()
    auc = roc_auc_score(y, s)
    fpr, tpr, _ = roc_curve(y, s)
    ks = float(np.max(np.abs(tpr - fpr)))
    base = pd.read_csv(baseline, usecols=[score])[score].to_numpy()
    cuts = np.unique(np.quantile(base, np.linspace(0.1, 0.9, 9)))
    e = np.bincount(np.searchsorted(cuts, base, side="left"), minlength=len(cuts) + 1) / len(base)
    a = np.bincount(np.searchsorted(cuts, s, side="left"), minlength=len(cuts) + 1) / len(s)
    e, a = np.maximum(e, 1e-4), np.maximum(a, 1e-4)
    psi = float(((a - e) * np.log(a / e)).sum())
    print(f"AUC {auc:.17g} KS {ks:.17g} PSI {psi:.6f}")


if __name__ == "__main__":
    if sys.argv[1] == "bin":
        binning(sys.argv[2], sys.argv[3], np.array(sorted(float(x) for x in sys.argv[4].split(","))), int(sys.argv[5]))
    else:
        validate(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
PY

gen() {  # gen KIND ROWS FILE: bench/realistic_data.py unless FILE exists (not timed)
  [[ -f "$3" ]] || { echo "== generating $1 $2 rows into $3"; "$PYTHON" "$ROOT/bench/realistic_data.py" "$1" "$2" "$3.tmp" 42 && mv "$3.tmp" "$3"; }
}

run() {  # run SIDE RUN CMD...: one whole process under /usr/bin/time, one row of $RUNS_TSV
  local side="$1" n="$2"; shift 2
  local load; load="$(cut -d' ' -f1,2 /proc/loadavg)"
  rm -f "$OUT/sf-gc.log"
  CREDIT_RISK_JAVA_OPTS="-Xlog:gc:file=$OUT/sf-gc.log" /usr/bin/time -f '%e %U %S %M' -o "$OUT/sf.time" "$@" \
    > "$OUT/sf-$side.out" 2> "$OUT/sf-$side.err" \
    || { echo "$side failed, see $OUT/sf-$side.err" >&2; tail -5 "$OUT/sf-$side.err" >&2; exit 1; }
  local jobs heap=(- -); jobs="$(sed -n 's/^Spark jobs: //p' "$OUT/sf-$side.out")"
  if [[ -f "$OUT/sf-gc.log" ]]; then read -r -a heap < <(peak "$OUT/sf-gc.log"); fi
  read -r wall user sys rss < <(tail -n1 "$OUT/sf.time")
  if [[ "$n" != warm-up ]]; then
    printf "%s\t%s\t%s\t%s\t%s\t%.2f\t%d\t%s\t%s\t%s\t%s\t%s\n" "$WORK" "$ROWS" "$side" "$n" "$wall" \
      "$(echo "$user + $sys" | bc)" $((rss / 1024)) "${jobs:--}" ${load} "${heap[0]}" "${heap[1]}" >> "$RUNS_TSV"
    tail -n1 "$RUNS_TSV"
  fi
}

for ROWS in "$@"; do
  case "$WORK" in
    bin)
      DATA="$OUT/realistic-model-$ROWS.csv"; gen model "$ROWS" "$DATA"
      CR=("$ROOT/bin/credit-risk" bin --input "$DATA" --label-col bad --special-values -9 --out "$OUT/sf-bin-out")
      PY=("$PYTHON" "$PEER" bin "$DATA" bad -9 20) ;;
    validate)
      DATA="$OUT/realistic-scores-$ROWS.csv"; gen scores "$ROWS" "$DATA"
      BASE="$OUT/realistic-scores-baseline.csv"
      [[ -f "$BASE" ]] || { "$PYTHON" "$ROOT/bench/realistic_data.py" scores 100000 "$BASE.tmp" 7 && mv "$BASE.tmp" "$BASE"; }
      CR=("$ROOT/bin/credit-risk" validate --scores "$DATA" --score-col pd --higher-is risk --label-col bad
          --baseline "$BASE" --out "$OUT/sf-validate-out")
      PY=("$PYTHON" "$PEER" validate "$DATA" "$BASE" pd bad) ;;
    *) echo "usage: bench/single_file.sh bin|validate ROWS [ROWS ...]" >&2; exit 2 ;;
  esac
  echo "== $WORK $ROWS rows: warm-up, then $RUNS rounds alternating credit-risk and the peer"
  run credit-risk warm-up "${CR[@]}"; run peer warm-up "${PY[@]}"
  for ((i = 1; i <= RUNS; i++)); do
    run credit-risk "$i" "${CR[@]}"; run peer "$i" "${PY[@]}"
  done
  cat "$OUT/sf-credit-risk.out" "$OUT/sf-peer.out"
  "$PYTHON" - "$RUNS_TSV" "$WORK" "$ROWS" "$RUNS" "$(( $(stat -c %s "$DATA") / 1000000 ))" >> "$RESULTS" <<'PY'
import statistics as st, sys
path, work, rows, runs, mb = sys.argv[1:]
rows_ = [l.rstrip("\n").split("\t") for l in open(path)][1:]
last = {}
for side in ("credit-risk", "peer"):
    mine = [r for r in rows_ if r[0] == work and r[1] == rows and r[2] == side][-int(runs):]
    last[side] = mine
med = {s: [st.median(float(r[i]) for r in m) for i in (4, 5, 6)] for s, m in last.items()}
heap = [max((int(r[i]) for r in last["credit-risk"] if r[i] != "-"), default=None) for i in (10, 11)]
loads = [float(r[8]) for m in last.values() for r in m]
cr, peer = med["credit-risk"], med["peer"]
print(f"{work}\t{rows}\t{mb}\t{cr[0]:.1f}\t{cr[1]:.1f}\t{cr[2]:.0f}\t{peer[0]:.1f}\t{peer[1]:.1f}\t{peer[2]:.0f}\t"
      f"{cr[0] / peer[0]:.2f}\t{cr[1] / peer[1]:.2f}\t{min(loads):.2f}-{max(loads):.2f}\t"
      f"{'-' if heap[0] is None else heap[0]}\t{'-' if heap[1] is None else heap[1]}")
PY
  tail -n1 "$RESULTS"
  if (( ROWS >= 100000000 )); then rm -f "$DATA"; fi   # not kept on disk longer than the run
done
