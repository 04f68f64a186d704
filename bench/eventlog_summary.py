"""Summarises a Spark event log: per job description (the job group's step), the number of jobs,
stages run (skipped stages not counted), shuffle bytes and records written and read, and task
time; then the totals. Used by bench/run_1m_eventlog.sh to compare plans by load-independent counts."""
import json
import sys
from collections import OrderedDict, defaultdict

jobs = {}            # job id -> description
stage_job = {}       # stage id -> job id
steps = OrderedDict()
acc = defaultdict(lambda: defaultdict(int))
import os
path = sys.argv[1]
# Spark 4 writes the log as a folder of rolled files (eventlog_v2_*/events_N_*).
files = ([os.path.join(path, f) for f in sorted((f for f in os.listdir(path) if f.startswith("events_")),
                                                 key=lambda f: int(f.split("_")[1]))]
         if os.path.isdir(path) else [path])
lines = (line for f in files for line in open(f))
for line in lines:
    e = json.loads(line)
    ev = e["Event"]
    if ev == "SparkListenerJobStart":
        props = e.get("Properties", {}) or {}
        raw = props.get("spark.job.description") or "(no description)"
        # "[Delta: ]*<job group>: <step>[: <Delta's own label>]" -> "<step>" or "<step> [delta]"
        delta = raw.startswith("Delta: ")
        while raw.startswith("Delta: "):
            raw = raw[len("Delta: "):]
        parts = raw.split(": ")
        desc = (parts[1] if len(parts) > 1 else parts[0]) + (" [delta]" if delta else "")
        jobs[e["Job ID"]] = desc
        steps.setdefault(desc, None)
        acc[desc]["jobs"] += 1
        for s in e.get("Stage IDs", []):
            stage_job[s] = e["Job ID"]
    elif ev == "SparkListenerStageCompleted":
        info = e["Stage Info"]
        desc = jobs.get(stage_job.get(info["Stage ID"]), "(unknown)")
        a = acc[desc]
        a["stages"] += 1
        for m in info.get("Accumulables", []):
            name, val = m.get("Name"), m.get("Value")
            try:
                val = int(val)
            except (TypeError, ValueError):
                continue
            if name == "internal.metrics.shuffle.write.bytesWritten":
                a["shuffle_write_bytes"] += val
            elif name == "internal.metrics.shuffle.write.recordsWritten":
                a["shuffle_write_records"] += val
            elif name in ("internal.metrics.shuffle.read.remoteBytesRead", "internal.metrics.shuffle.read.localBytesRead"):
                a["shuffle_read_bytes"] += val
            elif name == "internal.metrics.executorRunTime":
                a["task_ms"] += val
            elif name == "internal.metrics.diskBytesSpilled":
                a["spill_disk_bytes"] += val
            elif name == "sort time":
                a["sort_ms"] += val
cols = ["jobs", "stages", "shuffle_write_bytes", "shuffle_write_records", "shuffle_read_bytes", "spill_disk_bytes", "sort_ms", "task_ms"]
print("step".ljust(58) + "".join(c.rjust(22) for c in cols))
tot = defaultdict(int)
for d in steps:
    a = acc[d]
    print(d[:57].ljust(58) + "".join(f"{a[c]:>22,}" for c in cols))
    for c in cols:
        tot[c] += a[c]
print("TOTAL".ljust(58) + "".join(f"{tot[c]:>22,}" for c in cols))
