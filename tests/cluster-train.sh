#!/usr/bin/env bash
# `train pretrain` with two trainers as one barrier stage on the two executors of the standalone cluster
# (tests/lib/cluster.sh): two JVMs, the gradient ring over real sockets between them, with one worker JVM
# SIGKILLed half-way. The barrier stage fails as a whole and runs again (or the job fails and the same command
# with train.resume=true goes on); either way training resumes from the last checkpoint, and the loss at every
# step equals, within float tolerance, the uninterrupted two-trainer local[2] run's. Rank 0's progress lines
# and the summary reach the driver's console; an empty validation split is reported as such, never as NaN.
set -euo pipefail
REFINERY_HOME="${REFINERY_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
export REFINERY_HOME
. "$REFINERY_HOME/tests/lib/cluster.sh"
. "$REFINERY_HOME/tests/lib/demo-warehouse.sh"
[ -f "$ASSEMBLY" ] || { echo "missing $ASSEMBLY: run mvn install first"; exit 1; }
work=$(mktemp -d); trap 'cluster_stop; rm -rf "$work"' EXIT
cd "$work"
fail() { echo "cluster train: $*"; exit 1; }
cluster_start

# A copy of the demo run's warehouse (its shards); each training run has its own run id (train_metrics rows,
# checkpoints). A small model and few steps: the point is where the work runs and that it resumes exactly.
cp -r "$DEMO_WAREHOUSE" wh
# Enough steps that the worker dies while training: the kill comes when the driver has printed step
# STEPS/2 + 2, and rank 0's lines reach it a moment after the step (a step of this model is tens of ms).
STEPS=120
TRAIN=(--conf "$REFINERY_HOME/conf/demo.conf" --set "warehouse.root=\"$work/wh\"" --set 'train.shards-run="demo"'
  --set train.tasks=2 --set train.torch-threads=1 --set train.model.layers=2 --set train.model.width=64
  --set train.model.heads=2 --set train.batch-size=2 --set train.max-steps=$STEPS --set train.log-every=1
  --set train.checkpoint-every=$((STEPS / 2)) --set train.eval-every=$STEPS --set train.lr.warmup-steps=5)
losses() { # "step loss" per progress line (the last one of each step: a resumed stage repeats some)
  sed -nE 's/.*train pretrain step ([0-9]+)\/[0-9]+ loss ([0-9.]+).*/\1 \2/p' "$1" | sort -n -s -k1,1 \
    | awk '{ last[$1] = $2 } END { for (s in last) print s, last[s] }' | sort -n
}

t0=$(date +%s)
"$REFINERY_HOME/bin/refinery" train pretrain "${TRAIN[@]}" --set 'spark.master="local[2]"' --set 'run.id="train-local"' \
  > local.txt 2> local.err || { tail -30 local.err; fail "local training failed"; }
echo "local[2], two trainers: $(tail -1 local.txt) ($(( $(date +%s) - t0 )) s)"

t0=$(date +%s)
( set -o pipefail; cluster_submit train pretrain "${TRAIN[@]}" --set 'run.id="train-cluster"' \
    > cluster.txt 2> cluster.err ) &
pid=$!
kill_at=$(( STEPS / 2 + 2 ))  # past the checkpoint at half-way
cluster_wait_for "train pretrain step $kill_at/" cluster.txt $pid || { tail -20 cluster.err; fail "no step $kill_at"; }
echo "cluster: step $kill_at reached after $(( $(date +%s) - t0 )) s (the driver prints rank 0's progress lines)"
victim=$(cluster_worker_pids | sed -n 1p)
kill -9 "$victim"
last=$(grep 'train pretrain step [0-9]*/' cluster.txt | tail -1)
echo "SIGKILLed worker JVM $victim after: $last"
case "$last" in *"step $STEPS/"*) cluster_kill_tree $pid; fail "the kill came after the last step: raise STEPS";; esac
cluster_restore_workers  # the barrier stage needs both slots again
for _ in $(seq 1 1200); do kill -0 $pid 2>/dev/null || break; sleep 0.5; done  # never wait for ever
if kill -0 $pid 2>/dev/null; then
  cluster_kill_tree $pid; tail -20 cluster.err; fail "the job still runs 10 minutes after the worker's death"
fi
if wait $pid; then
  echo "the barrier stage failed as a whole and Spark ran it again"
else
  echo "the job failed; the same command again with train.resume=true"
  cluster_submit train pretrain "${TRAIN[@]}" --set 'run.id="train-cluster"' --set train.resume=true \
    >> cluster.txt 2>> cluster.err || { tail -30 cluster.err; fail "resume failed"; }
fi
awk '/train pretrain step [0-9]+\// { split($4, s, "/"); if (prev != "" && s[1] + 0 <= prev + 0)
  print "  steps " s[1] ".." prev " ran again: resumed from the checkpoint after step " s[1] - 1; prev = s[1] }' cluster.txt
tail -1 cluster.txt
grep -q 'train pretrain done: .*no val loss' cluster.txt || fail "no summary on the driver's console, or a NaN validation loss"
! grep -qw NaN cluster.txt || fail "NaN printed"
losses local.txt > local.loss; losses cluster.txt > cluster.loss
[ "$(wc -l < local.loss)" -eq $STEPS ] || fail "local run printed $(wc -l < local.loss) of $STEPS steps"
join local.loss cluster.loss | awk -v n1="$(wc -l < local.loss)" -v n2="$(wc -l < cluster.loss)" '
  { d = $2 - $3; if (d < 0) d = -d; if (d > 2e-4) { print "step " $1 ": " $2 " vs " $3; bad = 1 }; n++ }
  END { if (bad || n != n1 || n != n2) { print "loss curves differ (" n " common steps of " n1 ", " n2 ")"; exit 1 } }' \
  || fail "the resumed cluster run's losses differ from the local run's"
echo "cluster train: killed worker, resumed; losses equal local[2]'s at all $STEPS steps ($(( $(date +%s) - t0 )) s)"
