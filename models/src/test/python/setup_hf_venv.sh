#!/usr/bin/env bash
# Creates models/.venv-hf with CPU PyTorch, transformers, peft, trl and lm-eval (pinned) for the Hugging Face parity
# checks (HfParityTest and the trainers' TRL/PEFT checks). Idempotent; prints the venv's python last;
# exits non-zero when the packages cannot be installed, so the checks fail instead of being skipped.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/../../../.venv-hf"
PKGS=("torch==2.7.1" "transformers==4.57.1" "peft==0.17.1" "trl==0.24.0" "accelerate==1.10.1" "datasets==4.2.0"
  "safetensors==0.6.2" "numpy<2.4" "lm-eval==0.4.11")
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m
want = {"torch": "2.7.1", "transformers": "4.57.1", "peft": "0.17.1", "trl": "0.24.0", "lm_eval": "0.4.11"}
assert all(m.version(k) == v for k, v in want.items())
PY
then
  "$VENV/bin/pip" install -q --disable-pip-version-check "${PKGS[@]}" >&2
fi
echo "$VENV/bin/python"
