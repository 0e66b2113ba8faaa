#!/usr/bin/env bash
# The CUDA check on a GPU machine that has PyTorch but no .NET SDK or NuGet access:
#   dotnet publish bench/TrainingBench -c Release -r linux-x64 --self-contained true -p:TorchDevice=system -o app
#   tar -C app -cJf app.tar.xz .            (copy app.tar.xz and this repository to the GPU machine)
#   bash bench/TrainingBench/gpu-check.sh app.tar.xz REPORT_DIR
# TorchSharp then runs on the libtorch of the installed PyTorch (LD_LIBRARY_PATH); the PyTorch reference loads
# what the GPU trainings wrote. Results: REPORT_DIR/gpu-check.md and the logs beside it.
set -o pipefail
archive=${1:?app archive}; out=${2:?report folder}; work=${3:-/tmp/isc-gpu}; sections=${4:-parity,timings,trainer}
app=$(mktemp -d); mkdir -p "$out" "$work"
tar -xJf "$archive" -C "$app" || exit 3
tl=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')/lib
{ python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())'
  nvidia-smi -L
  # LibTorchSharp is built against one libtorch version: list the libtorch symbols it needs that this one lacks.
  nm -D --defined-only "$tl"/libtorch_cpu.so "$tl"/libc10.so "$tl"/libtorch.so "$tl"/libtorch_cuda.so 2>/dev/null | awk '{print $3}' | LC_ALL=C sort -u > "$work/defined.txt"
  nm -D --undefined-only "$app/libLibTorchSharp.so" | awk '{print $2}' | LC_ALL=C sort -u > "$work/needed.txt"
  LC_ALL=C comm -23 "$work/needed.txt" "$work/defined.txt" | grep -E '^_ZN?K?[0-9]*(at|c10|torch)' > "$out/missing-symbols.txt"
  echo "libtorch symbols LibTorchSharp needs that $tl lacks: $(wc -l < "$out/missing-symbols.txt")"
} 2>&1 | tee "$out/env.txt"
export LD_LIBRARY_PATH="$tl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
timeout 420 "$app/TrainingBench" gpu "$out" "$work" "$sections" 2>&1 | tee "$out/gpu-run.log"
for run in "$work"/run_*; do
  [ -d "$run" ] || continue
  backbone=$(basename "$run" | cut -d_ -f2)
  for f in $(ls "$run"/checkpoint_*.pth.tar | tail -1) "$run/trimmed.pth.tar"; do
    flag=; case $f in *trimmed*) flag=--trimmed;; esac
    echo "$f: $(python3 "$(dirname "$0")/../../tests/python/d2lv_reference.py" check --file "$f" --backbone "$backbone" \
      --width 64 --classes 16 --hidden 4096 --proj-out 8192 $flag 2>&1 | tail -1)"
  done
done 2>&1 | tee "$out/python-check.txt"
cp "$work"/run_resnet50_bf16/log.txt "$out/trainer-log-resnet50-bf16.txt" 2>/dev/null
true
