#!/usr/bin/env bash
# `bin/refinery demo` twice into one warehouse gives identical tables (rows and doc_ids). A run killed (-9)
# midway through and run again is tests/cluster-pipeline.sh's (driver and executor killed on a real cluster).
set -euo pipefail
REFINERY_HOME="${REFINERY_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
export REFINERY_HOME
. "$REFINERY_HOME/tests/lib/summary.sh"
. "$REFINERY_HOME/tests/lib/demo-warehouse.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# A second run into the same warehouse as the first.
summary_tables < "$DEMO_SUMMARY" > "$work/first.txt"
"$REFINERY_HOME/bin/refinery" demo --set "warehouse.root=\"$DEMO_WAREHOUSE\"" 2> "$work/a.err" \
  | summary_tables > "$work/second.txt" || { tail -30 "$work/a.err"; exit 1; }
cat "$work/first.txt"
diff "$work/first.txt" "$work/second.txt" || { echo "second demo run differs"; exit 1; }
echo "demo: identical tables on re-run"
