#!/usr/bin/env bash
# Benchmarks must not rot: every benchmark of bench/run.sh at its smoke size (seconds each), its Python and
# PyTorch peers run for real on tiny inputs (their venvs are made on first use), and each RESULT line must hold
# every key the full run prints. Runs after mvn install, so bench/run.sh does not build again.
set -euo pipefail
REFINERY_HOME="${REFINERY_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$REFINERY_HOME"
REFINERY_BENCH_BUILT=1 REFINERY_BENCH_JAVA_OPTS="${REFINERY_BENCH_JAVA_OPTS:--Xmx3g -XX:+UseSerialGC}" \
  bench/run.sh --smoke "$@"
