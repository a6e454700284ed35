# Sourced by system checks: helpers to compare demo summaries (tables, rows, doc_id fingerprints, drops).
summary_tables() { # stdin: the summary printed by `refinery demo`; stdout: its table and drop lines only
  sed -n '/^  table /,$p' | grep -v '^data card of run .* written to '
}
