#!/usr/bin/env bash
# `bin/refinery demo` twice gives identical tables (rows and doc_ids), and so does a demo killed (-9)
# midway through and run again.
set -euo pipefail
REFINERY_HOME="${REFINERY_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
export REFINERY_HOME
. "$REFINERY_HOME/tests/lib/summary.sh"
. "$REFINERY_HOME/tests/lib/demo-warehouse.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
demo() { "$REFINERY_HOME/bin/refinery" demo --set "warehouse.root=\"$work/$1\"" 2> "$work/$1.err"; }

# A second run into the same warehouse as the first.
summary_tables < "$DEMO_SUMMARY" > "$work/first.txt"
"$REFINERY_HOME/bin/refinery" demo --set "warehouse.root=\"$DEMO_WAREHOUSE\"" 2> "$work/a.err" \
  | summary_tables > "$work/second.txt" || { tail -30 "$work/a.err"; exit 1; }
cat "$work/first.txt"
diff "$work/first.txt" "$work/second.txt" || { echo "second demo run differs"; exit 1; }

# Kill a run once its first stage has committed and the second has started, then run it again.
"$REFINERY_HOME/bin/refinery" demo --set "warehouse.root=\"$work/b\"" > /dev/null 2> "$work/b.err" &
pid=$!
for _ in $(seq 1 600); do
  if [ "$(grep -c '^refinery: stage .* \.\.\.$' "$work/b.err" 2>/dev/null)" -ge 2 ]; then break; fi
  kill -0 $pid 2>/dev/null || break
  sleep 0.5
done
pkill -9 -P $pid 2>/dev/null || true; kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
grep '^refinery: stage' "$work/b.err" || true
demo b | summary_tables > "$work/resumed.txt" || { tail -30 "$work/b.err"; exit 1; }
diff "$work/first.txt" "$work/resumed.txt" || { echo "run killed midway and re-run differs"; exit 1; }
echo "demo: identical tables on re-run and after a kill"
