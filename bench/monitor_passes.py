"""Every pass over table rows in a Spark event log (bench/monitor.sh): per call site in the jobs'
code (the innermost com.creditrisk frames of the SQL execution that ran it) and table scanned, the
number of scans (stages that read input rows), the rows they read and their task time; then the
rows read per table over the whole run. The table of a scan is the last folder of the Delta
location in the execution's plan; reads of a Delta log are listed as "<table>/_delta_log".

monitor sets one job description for its read of validation_metrics and leaves it set, so the
call site, not the description, says which step a pass belongs to.
Usage: monitor_passes.py EVENT_LOG (a file or Spark 4's rolled-log folder)"""
import json
import os
import re
import sys
from collections import OrderedDict, defaultdict

path = sys.argv[1]
files = ([os.path.join(path, f) for f in sorted((f for f in os.listdir(path) if f.startswith("events_")),
                                                 key=lambda f: int(f.split("_")[1]))]
         if os.path.isdir(path) else [path])

executions = {}   # execution id -> (call site, tables)
job_exec = {}     # job id -> execution id
stage_job = {}    # stage id -> job id
rows = OrderedDict()   # (site, tables) -> [scans, rows, task_ms]
per_table = defaultdict(lambda: [0, 0])


def site(details, description):
    frames = re.findall(r"com\.creditrisk\.([\w.$]+)\(([\w.]+:\d+)\)", details or "")
    if not frames:
        return "(Delta's own job: the table's log and state)" if (description or "").startswith("Delta: ") \
            else "(no product frame)"
    inner = frames[0]
    outer = next((f for f in frames[1:] if f[0].startswith("monitoring.") and f != inner), None)
    text = f"{inner[0].rsplit('.', 1)[0].split('.')[-1]}.{inner[0].rsplit('.', 1)[1]} ({inner[1]})"
    if outer and not inner[0].startswith("monitoring."):
        text += f" <- {outer[0].rsplit('.', 1)[1]} ({outer[1]})"
    return text


def tables(plan):
    names = []
    for loc in re.findall(r"Location: \w+(?:\(\d+ paths?\))? ?\[([^\]]+)\]", plan or ""):
        for p in loc.split(", "):
            parts = p.rstrip("/").split("/")
            if "_delta_log" in parts:
                name = parts[parts.index("_delta_log") - 1] + "/_delta_log"
            else:
                name = parts[-1]
            if name not in names:
                names.append(name)
    return "+".join(names) or "(no table)"


for f in files:
    for line in open(f):
        e = json.loads(line)
        ev = e["Event"]
        if ev.endswith("SparkListenerSQLExecutionStart"):
            executions[e["executionId"]] = (site(e.get("details"), e.get("description")), tables(e.get("physicalPlanDescription")))
        elif ev == "SparkListenerJobStart":
            props = e.get("Properties", {}) or {}
            if "spark.sql.execution.id" in props:
                job_exec[e["Job ID"]] = int(props["spark.sql.execution.id"])
            for s in e.get("Stage IDs", []):
                stage_job[s] = e["Job ID"]
        elif ev == "SparkListenerStageCompleted":
            info = e["Stage Info"]
            acc = {m.get("Name"): m.get("Value") for m in info.get("Accumulables", [])}
            read = int(acc.get("internal.metrics.input.recordsRead", 0) or 0)
            if read == 0:
                continue
            ex = job_exec.get(stage_job.get(info["Stage ID"]))
            s, t = executions.get(ex, ("(no SQL execution)", "(unknown)"))
            r = rows.setdefault((s, t), [0, 0, 0])
            r[0] += 1
            r[1] += read
            r[2] += int(acc.get("internal.metrics.executorRunTime", 0) or 0)
            per_table[t][0] += 1
            per_table[t][1] += read

print(f"{'call site':<70}{'table':<34}{'scans':>7}{'rows read':>16}{'task_ms':>12}")
for (s, t), (n, r, ms) in rows.items():
    print(f"{s[:69]:<70}{t[:33]:<34}{n:>7}{r:>16,}{ms:>12,}")
print()
print(f"{'table':<50}{'scans':>7}{'rows read':>16}")
for t, (n, r) in sorted(per_table.items()):
    print(f"{t[:49]:<50}{n:>7}{r:>16,}")
