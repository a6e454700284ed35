#!/usr/bin/env bash
# The assembly on a real Spark standalone cluster (tests/lib/cluster.sh: a master and two 1-core workers on
# 127.0.0.1, from the pyspark package), submitted as README "Running on a cluster" shows:
#   pipeline   `demo` (ingest..shards) gives the same tables and doc_id fingerprints as local[2] (bin/refinery)
#   faults     the driver SIGKILLed in the middle of a stage, then the same command again, and in that re-run
#              one executor SIGKILLed in the middle of dedup (Spark re-runs its tasks): same tables
#   train      `train pretrain` with 2 barrier trainers on the 2 executors: the loss curve of the local
#              two-trainer run, rank 0's progress lines on the driver's console, no NaN for an empty validation
#   worker     a worker SIGKILLed during `train pretrain`: the barrier stage fails as a whole and resumes from
#              the last checkpoint: same losses, step for step, as the uninterrupted run
# Each part prints its time; what each fault did (tasks re-run, steps resumed) is printed from the logs.
set -euo pipefail
REFINERY_HOME="${REFINERY_HOME:-$(cd "$(dirname "$0")/../.." && pwd)}"
export REFINERY_HOME
. "$REFINERY_HOME/tests/lib/cluster.sh"
. "$REFINERY_HOME/tests/lib/summary.sh"
. "$REFINERY_HOME/tests/lib/demo-warehouse.sh"
[ -f "$ASSEMBLY" ] || { echo "missing $ASSEMBLY: run mvn install first"; exit 1; }
work=$(mktemp -d); trap 'cluster_stop; rm -rf "$work"' EXIT
cd "$work"  # executors run in their workers' work dirs: a path only the driver can see would fail there
summary_tables < "$DEMO_SUMMARY" > local.txt

part_start() { part=$1; part_t0=$(date +%s); echo "--- cluster: $part"; }
part_end() { echo "--- cluster: $part passed in $(( $(date +%s) - part_t0 )) s"; }
fail() { echo "cluster $part: $*"; exit 1; }
demo_on_cluster() { # $1: warehouse folder name under $work; stdout: the summary; stderr to $1.err
  cluster_submit demo --set "warehouse.root=\"$work/$1\"" 2> "$work/$1.err"
}
same_as_local() { # $1: warehouse name (its summary in $1.txt)
  summary_tables < "$1.txt" > "$1.tables"
  grep -qE '^  documents +[1-9]' "$1.tables" || { tail -30 "$1.err"; fail "no documents written"; }
  diff local.txt "$1.tables" || fail "tables differ from the local[2] run"
}
wait_for() { # $1: pattern, $2: file, $3: pid that must stay alive; waits up to 10 minutes
  for _ in $(seq 1 1200); do
    grep -qE "$1" "$2" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}
stage_memory() { # $1: an event log folder; per pipeline stage the largest executor heap in use (sampled, so
  # an upper bound: it includes garbage not yet collected)
  python3 - "$1" <<'PY'
import glob, json, os, re, sys
stage_of, peak = {}, {}
for path in glob.glob(sys.argv[1] + "/**/*", recursive=True):
    if os.path.isdir(path):
        continue
    for line in open(path, encoding="utf-8"):
        e = json.loads(line)
        if e["Event"] == "SparkListenerJobStart":
            # "refinery dedup" (Pipeline), "Delta: dedup: Filtering files ..." (Delta prefixes ours)
            m = re.search(r"refinery (\w+)|^Delta: (\w+):", (e.get("Properties") or {}).get("spark.job.description", ""))
            for sid in e["Stage IDs"]:
                stage_of[sid] = (m.group(1) or m.group(2)) if m else "(table snapshots)"
        elif e["Event"] == "SparkListenerStageExecutorMetrics" and e["Executor ID"] != "driver":
            stage = stage_of.get(e["Stage ID"], "(no stage)")
            peak[stage] = max(peak.get(stage, 0), e["Executor Metrics"].get("JVMHeapMemory", 0))
print("    peak executor heap in use per stage (MiB): "
      + ", ".join(f"{s} {peak[s] // 2**20}" for s in sorted(peak, key=lambda s: -peak[s])))
PY
}
lost_tasks() { # the driver's log lines about tasks lost with their executor, and their count
  grep -E 'Lost task|Lost executor|ExecutorLostFailure|Resubmitted' "$1" | sed 's/^/    /' | head -8 || true
  echo "    ($(grep -cE 'Lost task' "$1" || true) task attempts lost and re-run)"
}

cluster_start

part_start pipeline
mkdir events
# the event log with executor memory sampled every 250 ms gives each stage's peak heap (README's table)
CLUSTER_SUBMIT_CONF=(--conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file://$work/events"
  --conf spark.eventLog.logStageExecutorMetrics=true --conf spark.executor.metrics.pollingInterval=250ms
  --conf spark.eventLog.compress=false --conf spark.eventLog.rolling.enabled=false)
demo_on_cluster demo > demo.txt || { tail -40 demo.err; fail "demo failed"; }
CLUSTER_SUBMIT_CONF=()
same_as_local demo
cat demo.tables
stage_memory events || echo "    (no per-stage memory: the event log did not parse)"
part_end

# Both faults in one warehouse (one demo run fewer): the driver killed mid-stage, then the same command again,
# and in that re-run one executor killed in the middle of dedup. Each must leave the clean run's tables.
part_start faults
demo_on_cluster faults > /dev/null &
pid=$!
wait_for '^refinery: stage quality' faults.err $pid || { tail -30 faults.err; fail "quality never started"; }
sleep 3
pkill -9 -P $pid 2>/dev/null || true; kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
echo "    SIGKILLed the driver during: $(grep '^refinery: stage' faults.err | tail -1)"
mv faults.err faults-killed.err
demo_on_cluster faults > faults.txt &
pid=$!
# dedup's first progress line: its tasks are running on the executors now
wait_for '^refinery: dedup: tasks' faults.err $pid || { wait $pid || true; tail -30 faults.err; fail "no dedup"; }
victim=$(cluster_executor_pids | sed -n 1p)  # sed reads all: no SIGPIPE under pipefail
[ -n "$victim" ] || fail "no executor to kill"
kill -9 "$victim"; echo "    re-run: SIGKILLed executor JVM $victim during dedup"
wait $pid || { tail -40 faults.err; fail "the re-run did not survive the executor's death"; }
same_as_local faults
lost_tasks faults.err
part_end

# Training reads the shards of the cluster's demo run; each trainer run has its own run id (train_metrics
# rows, checkpoints). A small model and few steps: the point is where the work runs, not how well it learns.
TRAIN=(--conf "$REFINERY_HOME/conf/demo.conf" --set "warehouse.root=\"$work/demo\"" --set 'train.shards-run="demo"'
  --set train.tasks=2 --set train.torch-threads=1 --set train.model.layers=2 --set train.model.width=64
  --set train.model.heads=2 --set train.batch-size=2 --set train.max-steps=${CLUSTER_TRAIN_STEPS:-10}
  --set train.log-every=1 --set train.checkpoint-every=5 --set train.eval-every=10 --set train.lr.warmup-steps=5)
stamped() { # stdin lines prefixed with seconds since $1
  while IFS= read -r line; do
    printf '%s %s\n' "$(awk -v now="$(date +%s.%N)" -v t0="$1" 'BEGIN { printf "%6.1f", now - t0 }')" "$line"
  done
}
losses() { # "step loss" per progress line (the last one of each step: a resumed stage repeats some)
  sed -nE 's/.*train pretrain step ([0-9]+)\/[0-9]+ loss ([0-9.]+).*/\1 \2/p' "$1" | sort -n -s -k1,1 \
    | awk '{ last[$1] = $2 } END { for (s in last) print s, last[s] }' | sort -n
}
same_losses() { # $1, $2: files of "step loss"; equal within float tolerance, every step present in both
  [ -s "$1" ] || fail "no progress lines in $1"
  join "$1" "$2" | awk -v n1="$(wc -l < "$1")" -v n2="$(wc -l < "$2")" '
    { d = $2 - $3; if (d < 0) d = -d; if (d > 2e-4) { print "step " $1 ": " $2 " vs " $3; bad = 1 } ; n++ }
    END { if (bad || n != n1 || n != n2) { print "loss curves differ (" n " common steps of " n1 ", " n2 ")"; exit 1 } }'
}

part_start train
t0=$(date +%s.%N)
"$REFINERY_HOME/bin/refinery" train pretrain "${TRAIN[@]}" --set 'spark.master="local[2]"' --set 'run.id="train-local"' \
  2> train-local.err | stamped "$t0" > train-local.txt || { tail -30 train-local.err; fail "local training failed"; }
echo "    local[2]: $(tail -1 train-local.txt)"
t0=$(date +%s.%N)
cluster_submit train pretrain "${TRAIN[@]}" --set 'run.id="train-cluster"' 2> train-cluster.err \
  | stamped "$t0" > train-cluster.txt || { tail -30 train-cluster.err; fail "cluster training failed"; }
cat train-cluster.txt | sed 's/^/    /' | awk 'NR <= 3 || /done/'
grep -q 'train pretrain done: .*no val loss' train-cluster.txt || fail "summary missing or NaN validation loss"
! grep -qw NaN train-cluster.txt || fail "NaN printed"
losses train-local.txt > local.loss; losses train-cluster.txt > cluster.loss
same_losses local.loss cluster.loss
echo "    loss curve of the 2 executors equals local[2]'s over $(wc -l < cluster.loss) steps"
part_end

part_start worker
t0=$(date +%s.%N)
( set -o pipefail; cluster_submit train pretrain "${TRAIN[@]}" --set 'run.id="train-fault"' 2> train-fault.err \
  | stamped "$t0" > train-fault.txt ) &
pid=$!
kill_at=$(( ${CLUSTER_TRAIN_STEPS:-10} / 2 + 2 ))  # past the checkpoint at half-way
wait_for "train pretrain step $kill_at/" train-fault.txt $pid || { tail -20 train-fault.err; fail "no step $kill_at"; }
victim=$(cluster_worker_pids | sed -n 1p)
kill -9 "$victim"
echo "    SIGKILLed worker JVM $victim at: $(grep 'train pretrain step [0-9]*/' train-fault.txt | tail -1)"
cluster_restore_workers  # the re-run barrier stage needs both slots again
if wait $pid; then
  echo "    the barrier stage failed as a whole and Spark re-ran it:"
else
  echo "    the job failed; the same command again with train.resume=true:"
  t0=$(date +%s.%N)
  cluster_submit train pretrain "${TRAIN[@]}" --set 'run.id="train-fault"' --set train.resume=true \
    2>> train-fault.err | stamped "$t0" >> train-fault.txt || { tail -30 train-fault.err; fail "resume failed"; }
fi
grep -E 'Resubmitt|Lost executor|barrier' train-fault.err | sed 's/^/      /' | head -5 || true
awk '/train pretrain step [0-9]+\// { split($5, s, "/"); if (prev != "" && s[1] + 0 <= prev + 0)
  print "      steps " s[1] ".." prev " ran again: resumed from the checkpoint after step " s[1] - 1; prev = s[1] }' \
  train-fault.txt
grep -q 'train pretrain done' train-fault.txt || fail "no summary after the resume"
losses train-fault.txt > fault.loss
same_losses cluster.loss fault.loss
echo "    the resumed run's losses equal the uninterrupted run's at all $(wc -l < fault.loss) steps"
part_end
