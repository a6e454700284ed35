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

# The notes' %spark (Scala) paragraphs, through spark-shell from the pyspark package against the demo
# warehouse (typed in as a user would), with a stand-in for Zeppelin's `z` (a textbox answers with the demo warehouse or its default, show
# prints); each paragraph runs in its own block and must reach its end.
. "$REFINERY_HOME/tests/lib/pyspark-env.sh"
python3 - "$REFINERY_HOME/notebooks" "$work/notes.scala" "$DEMO_WAREHOUSE" <<'PY'
import glob, json, re, sys
folder, out, warehouse = sys.argv[1], sys.argv[2], sys.argv[3]
blocks = ['''
import org.apache.spark.sql.DataFrame
object z {
  private val fields = Map("warehouse" -> "%s")
  def textbox(name: String, default: String = ""): Object = fields.getOrElse(name, default)
  def show(df: DataFrame): Unit = df.show(20, false)
}
var failed = 0
''' % warehouse.replace("\\", "\\\\").replace('"', '\\"')]
count = 0
for path in sorted(glob.glob(folder + "/*.zpln")):
    for p in json.load(open(path, encoding="utf-8"))["paragraphs"]:
        text = p.get("text", "")
        m = re.match(r"%spark\s*\n", text)  # Scala only: %spark.sql and %sql are checked above
        if not m:
            continue
        count += 1
        name = f"{path.split('/')[-1]}: {p.get('title', '')}".replace('"', "'")
        blocks.append(f'try {{\n{text[m.end():]}\nprintln("scala paragraph ok: {name}")\n}} catch {{ case e: Throwable =>\n'
                      f'  failed += 1; println("scala paragraph FAILED: {name}: " + e) }}\n')
blocks.append('System.exit(if (failed == 0) 0 else 1)\n')
open(out, "w", encoding="utf-8").write("\n".join(blocks))
open(out + ".count", "w").write(str(count))
PY
"$PYSPARK_VENV/bin/spark-shell" --master 'local[1]' --jars "$DELTA_JARS" --conf spark.ui.enabled=false \
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
  < "$work/notes.scala" > "$work/scala.txt" 2> "$work/scala.err" || true
ok=$(grep -c '^scala paragraph ok: ' "$work/scala.txt" || true)
expected=$(cat "$work/notes.scala.count")
if [ "$ok" != "$expected" ] || grep -qE '^scala paragraph FAILED|^ *error:|<console>:[0-9]+: error' "$work/scala.txt"; then
  grep -E -A3 'FAILED|error' "$work/scala.txt" | head -30 || true; tail -20 "$work/scala.err"
  echo "notebooks: $ok of $expected Scala paragraphs ran"; exit 1
fi
echo "notebooks: all $expected %spark (Scala) paragraphs ran in spark-shell"
