# Sourced by system checks: DEMO_WAREHOUSE, a warehouse holding one complete `bin/refinery demo` run, and
# DEMO_SUMMARY, what that run printed. bin/test makes it once for all checks; a check run alone makes its own.
if [ -z "${REFINERY_DEMO_WAREHOUSE:-}" ] || [ ! -s "${REFINERY_DEMO_WAREHOUSE}.summary" ]; then
  REFINERY_DEMO_WAREHOUSE="${REFINERY_DEMO_WAREHOUSE:-$(mktemp -d)/warehouse}"
  mkdir -p "$(dirname "$REFINERY_DEMO_WAREHOUSE")"
  "$REFINERY_HOME/bin/refinery" demo --set "warehouse.root=\"$REFINERY_DEMO_WAREHOUSE\"" \
    > "$REFINERY_DEMO_WAREHOUSE.summary" 2> "$REFINERY_DEMO_WAREHOUSE.err" || {
      tail -40 "$REFINERY_DEMO_WAREHOUSE.err"; echo "demo run failed"; exit 1; }
  export REFINERY_DEMO_WAREHOUSE
fi
DEMO_WAREHOUSE="$REFINERY_DEMO_WAREHOUSE"
DEMO_SUMMARY="$REFINERY_DEMO_WAREHOUSE.summary"
