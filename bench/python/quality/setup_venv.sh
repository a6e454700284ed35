#!/usr/bin/env bash
# Creates bench/.venv-quality with datatrove (the peer of quality-conformance / quality-throughput) and
# trafilatura (to turn the shared HTML pages into document text once). Idempotent.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/../../.venv-quality"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import datatrove, trafilatura, spacy, lxml_html_clean" 2>/dev/null; then
  "$VENV/bin/pip" install -q --disable-pip-version-check "datatrove==0.10.1" "trafilatura==2.3.1" "spacy==3.8.7" lxml_html_clean >&2
fi
echo "$VENV/bin/python"
