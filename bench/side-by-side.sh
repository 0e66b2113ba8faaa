#!/usr/bin/env bash
# The D2LV train step in PyTorch (bench/python/side_by_side.py, the step of tests/python/training_reference.py) and in
# the harness (TrainingBench sidebyside), same model, batch, precision and layout, each in its own process, back to back
# per round; warm-up steps excluded. Prints one table (bench/RESULTS.md, "Side by side with PyTorch").
#
#   bench/side-by-side.sh [--device cpu|cuda] [--width W] [--batch B] [--classes K] [--size S] [--steps N]
#                         [--warmup N] [--precision fp32|bf16] [--channels-last] [--threads T] [--rounds R]
#                         [--no-sequential] [--app DIR|ARCHIVE.tar.xz] [--paper]
#
# --paper: the paper's step (width 64, batch 128, 100,000 classes, 256 px, 10 steps after 3 warm-up); options after it
# still apply, e.g. on a GPU machine: bench/side-by-side.sh --device cuda --paper --precision bf16 --channels-last --app app.tar.xz
#
# Sides: "pytorch"; "harness" (the trainer's step: 4-shard BatchNorm in one pass); "harness-sequential" (shard after
# shard, the form the PyTorch reference takes; --no-sequential drops it). Threads: both sides get the same intra-op count,
# by default the harness's rule (1 below width 16, else one per core). oneDNN: both on, or both off where the harness
# switches it off (no CPU cache topology exposed; ISC_TORCH_ONEDNN=on|off overrides, as for the harness).
# --app runs a published TrainingBench, a folder or a .tar.xz of one, on the installed PyTorch's libtorch (for a GPU
# machine without the .NET SDK; made as for gpu-check.sh: `dotnet publish bench/TrainingBench -c Release -r linux-x64
# --self-contained true -p:TorchDevice=system -o DIR`, then `tar -C DIR -cJf app.tar.xz .`).
set -euo pipefail
device=cpu width=8 batch=16 classes=1000 size=64 steps=5 warmup=2 precision=fp32 cl= threads=0 rounds=1 sequential=1 app=
while [ $# -gt 0 ]; do
  case $1 in
    --device) device=$2; shift ;; --width) width=$2; shift ;; --batch) batch=$2; shift ;; --classes) classes=$2; shift ;;
    --size) size=$2; shift ;; --steps) steps=$2; shift ;; --warmup) warmup=$2; shift ;; --precision) precision=$2; shift ;;
    --threads) threads=$2; shift ;; --rounds) rounds=$2; shift ;; --app) app=$2; shift ;;
    --channels-last) cl=--channels-last ;; --no-sequential) sequential= ;;
    --paper) width=64 batch=128 classes=100000 size=256 steps=10 warmup=3 ;;
    *) echo "side-by-side.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case $device in cpu|cuda) ;; *) echo "side-by-side.sh: --device cpu or cuda" >&2; exit 2 ;; esac
case $precision in fp32|bf16) ;; *) echo "side-by-side.sh: --precision fp32 or bf16" >&2; exit 2 ;; esac
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-/usr/bin/python3}

if [ "$device" = cuda ]; then
  command -v nvidia-smi >/dev/null || { echo "side-by-side.sh: --device cuda, but there is no nvidia-smi (no NVIDIA driver)" >&2; exit 3; }
  "$python" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' ||
    { echo "side-by-side.sh: --device cuda, but $python's PyTorch sees no CUDA device" >&2; exit 3; }
fi
[ "$threads" -gt 0 ] || { [ "$width" -lt 16 ] && threads=1 || threads=$(nproc); }
if [ -z "${ISC_TORCH_ONEDNN:-}" ]; then
  [ -d /sys/devices/system/cpu/cpu0/cache ] && ISC_TORCH_ONEDNN=on || ISC_TORCH_ONEDNN=off
fi
export ISC_TORCH_ONEDNN

records=$(mktemp)
trap 'rm -f "$records" "$records.gpu"; [ -z "${unpacked:-}" ] || rm -rf "$unpacked"' EXIT
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

common=(--device "$device" --width "$width" --batch "$batch" --classes "$classes" --size "$size" --steps "$steps"
        --warmup "$warmup" --precision "$precision" --threads "$threads" $cl)

# Runs one side; on CUDA samples the GPU's memory in use (less the idle baseline before the run) while it runs.
run() {
  local baseline=0 sampler=
  if [ "$device" = cuda ]; then
    baseline=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0)
    echo "$baseline" > "$records.gpu"
    ( while :; do nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0 >> "$records.gpu"; sleep 0.2; done ) &
    sampler=$!
  fi
  "$@" | tail -1 >> "$records"
  if [ -n "$sampler" ]; then
    kill "$sampler"; wait "$sampler" 2>/dev/null || true
    echo "gpu-peak $(( $(sort -n "$records.gpu" | tail -1) - baseline ))" >> "$records"
  fi
}

echo "load at start: $(cat /proc/loadavg)"
echo "settings: device $device, ResNet-50 D2LV width $width (projector $((width * 64))/$((width * 128))), $classes classes," \
     "batch $batch ($((batch / 4)) ids x 4), ${size}x$size, 4 BatchNorm shards, $precision${cl:+, channels-last}," \
     "$steps steps after $warmup warm-up, $rounds round(s), $threads intra-op thread(s) each side, oneDNN $ISC_TORCH_ONEDNN"
for _ in $(seq "$rounds"); do
  run "$python" "$repo/bench/python/side_by_side.py" "${common[@]}" --onednn "$ISC_TORCH_ONEDNN"
  run "$harness" sidebyside "${common[@]}"
  [ -z "$sequential" ] || run "$harness" sidebyside "${common[@]}" --sequential
done
"$python" "$repo/bench/python/side_by_side_table.py" "$records" "$batch"
echo "load at end: $(cat /proc/loadavg)"
