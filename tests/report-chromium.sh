#!/usr/bin/env bash
# The data card a new user meets: on a copy of the demo warehouse, a short `train pretrain` of the demo run,
# then `bin/refinery report` with no run id (it picks the latest run, the demo's). The card opens in headless
# Chromium (Debian's package, installed here on first use) with no script errors, every chart rendered, and
# data points drawn in the funnel, languages, duplicates, mixture and training curves; a screenshot is kept in
# target/.
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
cp -r "$DEMO_WAREHOUSE" "$work/warehouse" # training writes train_metrics; other checks keep the demo as it was
"$REFINERY_HOME/bin/refinery" train pretrain --conf "$REFINERY_HOME/conf/demo.conf" \
  --set "warehouse.root=\"$work/warehouse\"" --set train.max-steps=6 --set train.log-every=1 \
  --set train.eval-every=3 --set train.eval-batches=2 --set train.checkpoint-every=6 --set train.batch-size=4 \
  --set train.model.layers=1 --set train.model.width=32 --set train.model.heads=2 \
  > "$work/train.out" 2> "$work/train.err" || { tail -30 "$work/train.err"; exit 1; }
"$REFINERY_HOME/bin/refinery" report --set "warehouse.root=\"$work/warehouse\"" \
  --out "$work/report.html" > "$work/report.out" 2> "$work/report.err" || { tail -30 "$work/report.err"; exit 1; }
grep -q "data card of run demo written" "$work/report.out" || { cat "$work/report.out"; echo "report did not pick the demo run"; exit 1; }
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
points=$(sed -n 's/.*data-chart-points="\([^"]*\)".*/\1/p' <<< "$body")
python3 - "$points" <<'PY' || exit 1
import html, json, re, sys
points = json.loads(html.unescape(sys.argv[1]))
wanted = {"funnel": r"^Documents through the stages$", "languages": r"^Documents per language$",
          "duplicates": r"^Duplicate clusters by size", "mixture": r"^Mixture share by",
          "training curves": r"^Loss by step: pretrain$", "training speed": r"^Tokens per second by step: pretrain$"}
missing = [k for k, rx in wanted.items() if not any(re.search(rx, t) and n > 0 for t, n in points.items())]
if missing:
    print("no data points drawn for: " + ", ".join(missing) + "; charts: " + json.dumps(points))
    sys.exit(1)
print("data points drawn: " + ", ".join(f"{k} {max(n for t, n in points.items() if re.search(rx, t))}"
                                          for k, rx in wanted.items()))
PY
echo "report: $rendered charts rendered, no script errors; screenshot in target/report-screenshot.png"
