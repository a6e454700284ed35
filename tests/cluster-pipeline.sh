#!/usr/bin/env bash
# The shaded assembly on a real Spark standalone cluster (tests/lib/cluster.sh: a master and two 1-core workers
# on 127.0.0.1, from the pyspark package), submitted with the line of README "Running on a cluster": the demo
# pipeline with its driver SIGKILLed in the middle of ingest, then the same command again, in which one
# executor JVM is SIGKILLed in the middle of dedup (Spark re-runs its tasks). The tables, rows and doc_id
# fingerprints must equal those of bin/refinery's local[2] run: nothing lost, nothing doubled. The event log
# (executor metrics sampled every 250 ms) gives each stage's peak executor heap, as README's table shows.
set -euo pipefail
REFINERY_HOME="${REFINERY_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
export REFINERY_HOME
. "$REFINERY_HOME/tests/lib/cluster.sh"
. "$REFINERY_HOME/tests/lib/summary.sh"
. "$REFINERY_HOME/tests/lib/demo-warehouse.sh"
[ -f "$ASSEMBLY" ] || { echo "missing $ASSEMBLY: run mvn install first"; exit 1; }
work=$(mktemp -d); trap 'cluster_stop; rm -rf "$work"' EXIT
cd "$work"  # executors run in their workers' work dirs: a path only the driver can see would fail there
fail() { echo "cluster pipeline: $*"; exit 1; }
cluster_start

mkdir events
CLUSTER_SUBMIT_CONF=(--conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file://$work/events"
  --conf spark.eventLog.logStageExecutorMetrics=true --conf spark.executor.metrics.pollingInterval=250ms
  --conf spark.eventLog.compress=false --conf spark.eventLog.rolling.enabled=false)
demo() { cluster_submit demo --set "warehouse.root=\"$work/wh\""; }

t0=$(date +%s)
demo > /dev/null 2> killed.err &
pid=$!
# ingest's first progress line: some of its tasks are done, others running, nothing committed yet
cluster_wait_for '^refinery: ingest: tasks' killed.err $pid || { tail -30 killed.err; fail "ingest never ran"; }
sleep 2
cluster_kill_tree $pid
echo "SIGKILLed the driver during: $(grep '^refinery: stage' killed.err | tail -1) ($(( $(date +%s) - t0 )) s in)"

demo > rerun.txt 2> rerun.err &
pid=$!
# dedup's first progress line: its tasks are running on the executors now
cluster_wait_for '^refinery: dedup: tasks' rerun.err $pid || { wait $pid || true; tail -30 rerun.err; fail "no dedup"; }
victim=$(cluster_busiest_executor)
[ -n "$victim" ] || fail "no executor to kill"
kill -9 "$victim"; echo "the same command again: SIGKILLed executor JVM $victim (the busier one) during dedup"
wait $pid || { tail -40 rerun.err; fail "the re-run did not survive the executor's death"; }
grep -E 'Lost executor|Lost task|Resubmitted|FetchFailed' rerun.err | cut -c1-160 | sed 's/^/  /' | head -4 || true
grep -q 'Lost executor' rerun.err || fail "the driver never noticed the executor's death"

summary_tables < rerun.txt > cluster.txt
summary_tables < "$DEMO_SUMMARY" > local.txt
cat cluster.txt
grep -qE '^  documents +[1-9]' cluster.txt || { tail -30 rerun.err; fail "no documents written"; }
diff local.txt cluster.txt || fail "tables differ from bin/refinery's local[2] run"

python3 - events <<'PY'
# per pipeline stage, the largest executor heap in use (sampled, so an upper bound: it includes garbage not
# yet collected), over the killed run and the re-run
import glob, json, os, re, sys
stage_of, peak = {}, {}
for path in glob.glob(sys.argv[1] + "/**/*", recursive=True):
    if os.path.isdir(path):
        continue
    for line in open(path, encoding="utf-8", errors="replace"):
        try:
            e = json.loads(line)
        except ValueError:  # the killed driver's last line may be cut short
            continue
        if e["Event"] == "SparkListenerJobStart":
            # "refinery dedup" (Pipeline), "Delta: dedup: Filtering files ..." (Delta prefixes ours)
            m = re.search(r"refinery (\w+)|^Delta: (\w+):", (e.get("Properties") or {}).get("spark.job.description", ""))
            for sid in e["Stage IDs"]:
                stage_of[sid] = (m.group(1) or m.group(2)) if m else "(table snapshots)"
        elif e["Event"] == "SparkListenerStageExecutorMetrics" and e["Executor ID"] != "driver":
            stage = stage_of.get(e["Stage ID"], "(no stage)")
            peak[stage] = max(peak.get(stage, 0), e["Executor Metrics"].get("JVMHeapMemory", 0))
print("peak executor heap in use per stage (MiB): "
      + ", ".join(f"{s} {peak[s] // 2**20}" for s in sorted(peak, key=lambda s: -peak[s])))
PY
echo "cluster pipeline: driver and executor killed, same tables as local[2] ($(( $(date +%s) - t0 )) s)"
