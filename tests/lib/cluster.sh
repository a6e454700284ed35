# Sourced by system checks: a Spark standalone cluster from the pyspark package's own distribution, a master and
# two workers bound to 127.0.0.1 only, 1 core and CLUSTER_WORKER_MEMORY each, separate work dirs.
#   cluster_start        starts it (or reuses the one bin/test started: REFINERY_CLUSTER_MASTER) and waits until
#                        both workers are registered; sets CLUSTER_MASTER (spark://127.0.0.1:PORT), CLUSTER_DIR
#   cluster_stop         stops what cluster_start started (call it from the caller's EXIT trap); never a shared one
#   cluster_worker_pids  the two worker JVMs' pids;  cluster_executor_pids  the running executor JVMs' pids
#   cluster_restore_workers  restarts any worker that a fault check killed, and waits for two again
#   cluster_submit ARGS  spark-submit of the assembly (+ Delta jars) to the cluster, as the README shows, plus
#                        the options in CLUSTER_SUBMIT_CONF
#   cluster_wait_for PATTERN FILE PID  waits (10 min at most) until FILE has a line matching PATTERN; fails as soon
#                        as PID has exited
#   cluster_busiest_executor  the executor JVM that used the most CPU over the next second (one running a task)
#   cluster_kill_tree PID  SIGKILLs a spark-submit and the JVM it started (a driver killed without warning)
. "$REFINERY_HOME/tests/lib/pyspark-env.sh"
CLUSTER_WORKER_MEMORY="${CLUSTER_WORKER_MEMORY:-2g}"
CLUSTER_OWNED=""
CLUSTER_SUBMIT_CONF=() # more spark-submit options for cluster_submit

_cluster_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

_cluster_registered() { # how many workers the master counts alive now (its web UI's JSON)
  python3 -c 'import json, sys, urllib.request
try:
    print(json.load(urllib.request.urlopen(sys.argv[1], timeout=5))["aliveworkers"])
except Exception:
    print(0)' "http://127.0.0.1:$(cat "$CLUSTER_DIR/ui-port")/json/"
}

_cluster_wait_workers() { # $1: how many registered workers to wait for
  for _ in $(seq 1 240); do
    [ "$(_cluster_registered)" -ge "$1" ] && return 0
    sleep 0.5
  done
  echo "cluster: only $(_cluster_registered) of $1 workers registered after 120 s"; tail -20 "$CLUSTER_DIR"/*.log
  return 1
}

_cluster_start_worker() { # $1: worker number (its own work dir and log)
  mkdir -p "$CLUSTER_DIR/worker$1"
  SPARK_DAEMON_MEMORY=512m "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
    --memory "$CLUSTER_WORKER_MEMORY" --work-dir "$CLUSTER_DIR/worker$1" --webui-port 0 "$CLUSTER_MASTER" \
    >> "$CLUSTER_DIR/worker$1.log" 2>&1 &
  disown  # a fault check kills workers: no job-control notice; cluster_stop finds them by work dir
}

cluster_start() {
  if [ -n "${REFINERY_CLUSTER_MASTER:-}" ] && [ -d "${REFINERY_CLUSTER_DIR:-}" ]; then # bin/test's
    export REFINERY_CLUSTER_MASTER REFINERY_CLUSTER_DIR
    CLUSTER_MASTER="$REFINERY_CLUSTER_MASTER"; CLUSTER_DIR="$REFINERY_CLUSTER_DIR"
    return 0
  fi
  CLUSTER_DIR=$(mktemp -d); CLUSTER_OWNED=1
  local port; port=$(_cluster_free_port)
  CLUSTER_MASTER="spark://127.0.0.1:$port"
  _cluster_free_port > "$CLUSTER_DIR/ui-port"
  SPARK_DAEMON_MEMORY=512m "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
    --port "$port" --webui-port "$(cat "$CLUSTER_DIR/ui-port")" > "$CLUSTER_DIR/master.log" 2>&1 &
  CLUSTER_MASTER_PID=$!
  for _ in $(seq 1 240); do
    grep -q 'I have been elected leader' "$CLUSTER_DIR/master.log" 2>/dev/null && break
    sleep 0.5
  done
  _cluster_start_worker 1; _cluster_start_worker 2
  _cluster_wait_workers 2 || return 1
  echo "cluster: master $CLUSTER_MASTER, 2 workers (1 core, $CLUSTER_WORKER_MEMORY each) registered"
}

cluster_stop() {
  [ -n "$CLUSTER_OWNED" ] || return 0
  local pids pid
  # the workers by their work dir: a check may have restarted one that it killed
  pids="$(cluster_worker_pids) ${CLUSTER_MASTER_PID:-}"
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  for pid in $pids; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  done
  # a stopped worker kills its executors; an executor of a killed one exits when its driver or worker goes
  rm -rf "$CLUSTER_DIR"
  CLUSTER_OWNED=""
}

cluster_worker_pids() { # the worker JVMs (spark-class execs java, so the pid is the JVM's)
  pgrep -f "org.apache.spark.deploy.worker.Worker --host 127.0.0.1 .*--work-dir $CLUSTER_DIR/" || true
}

cluster_executor_pids() {
  pgrep -f "org.apache.spark.executor.CoarseGrainedExecutorBackend .*spark://CoarseGrainedScheduler@127.0.0.1" \
    | while read -r pid; do
        # only executors whose working directory is under this cluster's work dirs
        case "$(readlink "/proc/$pid/cwd" 2>/dev/null)" in "$CLUSTER_DIR"/*) echo "$pid" ;; esac
      done
}

cluster_restore_workers() {
  local i
  for i in 1 2; do
    if ! pgrep -f "org.apache.spark.deploy.worker.Worker --host 127.0.0.1 .*--work-dir $CLUSTER_DIR/worker$i " \
        > /dev/null; then
      _cluster_start_worker "$i"
    fi
  done
  _cluster_wait_workers 2
}

# The submit line of README "Running on a cluster", against this cluster; the driver runs here (client mode).
cluster_submit() {
  "$SPARK_SUBMIT" --master "$CLUSTER_MASTER" --class dev.refinery.cli.Main --jars "$DELTA_JARS" \
    --driver-memory "${CLUSTER_DRIVER_MEMORY:-1g}" --executor-memory "${CLUSTER_EXECUTOR_MEMORY:-1g}" \
    --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --driver-java-options "-Dlog4j2.configurationFile=$REFINERY_HOME/conf/log4j2.properties" \
    "${CLUSTER_SUBMIT_CONF[@]}" "$ASSEMBLY" "$@"
}

cluster_wait_for() {
  for _ in $(seq 1 1200); do
    grep -qE "$1" "$2" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

cluster_kill_tree() {
  pkill -9 -P "$1" 2>/dev/null || true; kill -9 "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
}

cluster_busiest_executor() {
  local pid best="" most=-1 used
  declare -A before
  for pid in $(cluster_executor_pids); do before[$pid]=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0); done
  sleep 1
  for pid in "${!before[@]}"; do
    used=$(( $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0) - ${before[$pid]} ))
    if [ "$used" -gt "$most" ]; then most=$used; best=$pid; fi
  done
  echo "$best"
}
