#!/usr/bin/env bash
# `bin/refinery report` on a demo warehouse opens in headless Chromium (Debian's package, installed here on
# first use) with no script errors and every chart rendered; a screenshot is kept in target/.
set -euo pipefail
REFINERY_HOME="${REFINERY_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium (first use only)" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
    || { echo "cannot install chromium"; exit 1; }
fi
export REFINERY_HOME
. "$REFINERY_HOME/tests/lib/demo-warehouse.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$REFINERY_HOME/bin/refinery" report --conf "$REFINERY_HOME/conf/demo.conf" --set "warehouse.root=\"$DEMO_WAREHOUSE\"" \
  --out "$work/report.html" 2> "$work/report.err" || { tail -30 "$work/report.err"; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --user-data-dir="$work/profile" --virtual-time-budget=10000)
timeout 120 chromium "${flags[@]}" --dump-dom "file://$work/report.html" > "$work/dom.html" 2> "$work/chromium.err"
mkdir -p "$REFINERY_HOME/target"
timeout 120 chromium "${flags[@]}" --window-size=1200,3000 --screenshot="$REFINERY_HOME/target/report-screenshot.png" \
  "file://$work/report.html" > /dev/null 2>&1 || true
body=$(grep -o '<body[^>]*>' "$work/dom.html" | head -1)
echo "$body"
expected=$(sed -n 's/.*data-charts-expected="\([0-9]*\)".*/\1/p' <<< "$body")
rendered=$(sed -n 's/.*data-charts-rendered="\([0-9]*\)".*/\1/p' <<< "$body")
errors=$(sed -n 's/.*data-errors="\([^"]*\)".*/\1/p' <<< "$body")
[ -n "$expected" ] || { echo "the page's script did not finish"; exit 1; }
[ "$expected" -ge 5 ] || { echo "only $expected charts in the report"; exit 1; }
[ "$expected" = "$rendered" ] || { echo "rendered $rendered of $expected charts"; exit 1; }
[ "$errors" = "[]" ] || { echo "script errors: $errors"; exit 1; }
echo "report: $rendered charts rendered, no script errors; screenshot in target/report-screenshot.png"
