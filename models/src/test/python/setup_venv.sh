#!/usr/bin/env bash
# Creates models/.venv-check with safetensors, numpy and tokenizers (small wheels) for PythonInteropTest.
# Idempotent; prints the venv's python; exits non-zero when PyPI cannot be reached.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/../../../.venv-check"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import safetensors, numpy, tokenizers" 2>/dev/null; then
  "$VENV/bin/pip" install -q --disable-pip-version-check --timeout 20 "safetensors==0.5.3" "tokenizers==0.21.1" numpy >&2
fi
echo "$VENV/bin/python"
