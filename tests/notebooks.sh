#!/usr/bin/env bash
# Every Zeppelin note parses, and each of its %sql / %spark.sql paragraphs runs against the tables of a demo
# run and returns rows, unless the paragraph is marked as allowed to be empty ("refinery.allowEmpty") or
# needs a table the demo does not write ("refinery.needsTable", e.g. train_metrics from `refinery train`).
set -euo pipefail
REFINERY_HOME="${REFINERY_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
export REFINERY_HOME
. "$REFINERY_HOME/tests/lib/demo-warehouse.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$REFINERY_HOME/notebooks" "$work/notes.sql" "$DEMO_WAREHOUSE" <<'PY'
import glob, json, os, re, sys
folder, out, warehouse = sys.argv[1], sys.argv[2], sys.argv[3]
statements = []
for path in sorted(glob.glob(folder + "/*.zpln")):
    note = json.load(open(path, encoding="utf-8"))  # fails the check on a note that does not parse
    assert note.get("paragraphs"), f"{path}: no paragraphs"
    for p in note["paragraphs"]:
        text = p.get("text", "")
        m = re.match(r"%(spark\.)?sql\s*\n", text)
        if not m:
            continue
        sql = re.sub(r"\$\{(\w+)=([^}]*)\}", r"\2", text[m.end():]).strip().rstrip(";")
        needs = p.get("config", {}).get("refinery.needsTable")
        if needs and not os.path.isdir(os.path.join(warehouse, needs, "_delta_log")):
            # e.g. train_metrics: written by `refinery train`, which the demo does not run
            print(f"skipped ({needs} is not in the demo warehouse): {path.split('/')[-1]}: {p.get('title')}")
            continue
        marker = "-- allow-empty\n" if p.get("config", {}).get("refinery.allowEmpty") else ""
        statements.append(f"-- {path.split('/')[-1]}: {p.get('title', '')}\n{marker}{sql};\n")
open(out, "w", encoding="utf-8").write("\n".join(statements))
print(f"{len(statements)} SQL paragraphs to check")
PY
"$REFINERY_HOME/bin/refinery" sql --conf "$REFINERY_HOME/conf/demo.conf" --set "warehouse.root=\"$DEMO_WAREHOUSE\"" \
  --require-rows --file "$work/notes.sql" > "$work/out.txt" 2> "$work/err.txt" || {
  grep -B3 -- "-- ERROR" "$work/out.txt" || tail -20 "$work/err.txt"; exit 1; }
tail -1 "$work/out.txt"
