#!/usr/bin/env bash
# The 4-shard train step in its two modes, one-pass and micro-batch (TrainingSettings.MicroBatch), each in its own
# process, back to back: ms/step and peak memory (bench/RESULTS.md, "Micro-batch mode"; TrainingBench micro).
#
#   bench/micro-batch.sh [--device cpu|cuda] [--backbone resnet50|resnet152|ibn] [--width W] [--batch B] [--classes K]
#                        [--size S] [--steps N] [--warmup N] [--precision fp32|bf16|fp16] [--channels-last] [--threads T]
#                        [--modes "onepass micro"] [--app DIR|ARCHIVE.tar.xz]
#
# Defaults: the paper's step (width 64, batch 128 = 4 x 32, 100,000 classes, 256 px), ResNet-152, 2 steps after 1 warm-up.
# Peak memory: the process's VmHWM (peak resident set: on the CPU, where the tensors live); on CUDA also the GPU's
# memory in use sampled with nvidia-smi every 0.2 s, less the idle baseline before the run (what the caching allocator
# reserved at its peak: what must fit on the card).
# --app runs a published TrainingBench, a folder or a .tar.xz of one, on the installed PyTorch's libtorch (a GPU machine
# without the .NET SDK; made with `dotnet publish bench/TrainingBench -c Release -r linux-x64 --self-contained true
# -p:TorchDevice=system -o DIR`, then `tar -C DIR -cJf app.tar.xz .`).
set -euo pipefail
device=cpu backbone=resnet152 width=64 batch=128 classes=100000 size=256 steps=2 warmup=1 precision=fp32 cl= threads=0
modes="onepass micro" app=
while [ $# -gt 0 ]; do
  case $1 in
    --device) device=$2; shift ;; --backbone) backbone=$2; shift ;; --width) width=$2; shift ;; --batch) batch=$2; shift ;;
    --classes) classes=$2; shift ;; --size) size=$2; shift ;; --steps) steps=$2; shift ;; --warmup) warmup=$2; shift ;;
    --precision) precision=$2; shift ;; --threads) threads=$2; shift ;; --modes) modes=$2; shift ;; --app) app=$2; shift ;;
    --channels-last) cl=--channels-last ;;
    *) echo "micro-batch.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case $device in cpu|cuda) ;; *) echo "micro-batch.sh: --device cpu or cuda" >&2; exit 2 ;; esac
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-/usr/bin/python3}
if [ "$device" = cuda ]; then
  command -v nvidia-smi >/dev/null || { echo "micro-batch.sh: --device cuda, but there is no nvidia-smi (no NVIDIA driver)" >&2; exit 3; }
fi
gpu=$(mktemp)
trap 'rm -f "$gpu"; [ -z "${unpacked:-}" ] || rm -rf "$unpacked"' EXIT
if [ -f "$app" ]; then
  unpacked=$(mktemp -d)
  tar -xJf "$app" -C "$unpacked"
  app=$unpacked
fi
if [ -n "$app" ]; then
  harness=$app/TrainingBench
  export LD_LIBRARY_PATH="$("$python" -c 'import torch, os; print(os.path.dirname(torch.__file__))')/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
else
  dotnet build "$repo/bench/TrainingBench" -c Release -v q -nologo >/dev/null
  harness=$repo/bench/TrainingBench/bin/Release/net10.0/TrainingBench
fi
echo "load at start: $(cat /proc/loadavg); memory available: $(awk '/MemAvailable/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
for mode in $modes; do
  baseline=0 sampler=
  if [ "$device" = cuda ]; then
    baseline=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0)
    echo "$baseline" > "$gpu"
    ( while :; do nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0 >> "$gpu"; sleep 0.2; done ) &
    sampler=$!
  fi
  "$harness" micro --mode "$mode" --device "$device" --backbone "$backbone" --width "$width" --batch "$batch" --classes "$classes" \
    --size "$size" --steps "$steps" --warmup "$warmup" --precision "$precision" --threads "$threads" $cl | tail -1
  if [ -n "$sampler" ]; then
    kill "$sampler"; wait "$sampler" 2>/dev/null || true
    echo "gpu memory peak over the idle baseline: $(( $(sort -n "$gpu" | tail -1) - baseline )) MiB"
  fi
done
echo "load at end: $(cat /proc/loadavg)"
