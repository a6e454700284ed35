#!/usr/bin/env bash
# Creates bench/.venv-models with PyTorch (the peer of the `models` benchmark), safetensors, tokenizers and
# numpy (the Python checks of our checkpoints and tokenizer.json). Idempotent; prints the venv's python.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/../../.venv-models"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import torch, safetensors, tokenizers, numpy" 2>/dev/null; then
  "$VENV/bin/pip" install -q --disable-pip-version-check "torch==2.7.1" "safetensors==0.5.3" "tokenizers==0.21.1" numpy >&2
fi
echo "$VENV/bin/python"
