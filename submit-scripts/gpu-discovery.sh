#!/usr/bin/env bash
# Spark GPU discovery script: prints this machine's NVIDIA GPUs in Spark's resource format,
#
#   {"name":"gpu","addresses":["0","1"]}
#
# from `nvidia-smi --query-gpu=index --format=csv,noheader`. Spark runs it on every executor
# (spark.executor.resource.gpu.discoveryScript; ship it with spark-submit --files) or, on a
# standalone cluster, on every worker (spark.worker.resource.gpu.discoveryScript). See
# conf/spark-defaults-gpu.conf.example.
#
# Without nvidia-smi, or when it fails, it prints an empty address list and says why on stderr:
# Spark then refuses to start an executor that asks for GPUs, with a message naming the resource.
set -uo pipefail

me="gpu-discovery.sh"
none='{"name":"gpu","addresses":[]}'

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "$me: nvidia-smi not found on $HOSTNAME (no NVIDIA driver?): reporting no GPUs" >&2
  echo "$none"
  exit 0
fi

if ! out=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>&1); then
  echo "$me: nvidia-smi failed on $HOSTNAME: ${out}; reporting no GPUs" >&2
  echo "$none"
  exit 0
fi

addresses=""
while IFS= read -r line; do
  index="${line//[[:space:]]/}"
  [[ -z "$index" ]] && continue
  if [[ ! "$index" =~ ^[0-9]+$ ]]; then
    echo "$me: unexpected line from nvidia-smi on $HOSTNAME: '$line'; reporting no GPUs" >&2
    echo "$none"
    exit 0
  fi
  addresses+="${addresses:+,}\"$index\""
done <<<"$out"

[[ -n "$addresses" ]] || echo "$me: nvidia-smi lists no GPU on $HOSTNAME" >&2
echo "{\"name\":\"gpu\",\"addresses\":[$addresses]}"
