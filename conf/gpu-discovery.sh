#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript / spark.driver.resource.gpu.discoveryScript):
# prints the GPUs of this machine as Spark's ResourceInformation JSON, e.g. {"name":"gpu","addresses":["0","1"]}.
# With spark.task.resource.gpu.amount=1 each train-bridge barrier task then gets one of these addresses.
set -euo pipefail
if command -v nvidia-smi >/dev/null 2>&1; then
  ids=$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ' | paste -sd, -)
else
  ids=""
fi
addresses=""
if [ -n "$ids" ]; then
  addresses="\"${ids//,/\",\"}\""
fi
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"
