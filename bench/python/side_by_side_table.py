#!/usr/bin/python3
"""The table of bench/side-by-side.sh: reads its records file (one JSON line per process run; a line `gpu-peak MB`
after a run adds the device memory the driver sampled during it) and prints one Markdown row per side."""
import json, statistics, sys


def main(path, batch):
    runs = []
    for line in open(path):
        if line.startswith("gpu-peak "):
            runs[-1]["gpu_peak_mb"] = float(line.split()[1])
        elif line.strip():
            runs.append(json.loads(line))
    sides = {}
    for r in runs:
        sides.setdefault(r["side"], []).append(r)
    rows, rate = [], {}
    for side, rs in sides.items():
        ms = [m for r in rs for m in r["ms"]]
        median, best = statistics.median(ms), min(ms)
        rate[side] = batch * 1000 / median, batch * 1000 / best
        memory = f"{max(r['peak_mb'] for r in rs):,.0f} MB"
        if "gpu_peak_mb" in rs[0]:
            allocated = f"{max(r['cuda_allocated_mb'] for r in rs):,.0f} MB allocated (torch), " if "cuda_allocated_mb" in rs[0] else ""
            memory += f"; GPU: {allocated}{max(r['gpu_peak_mb'] for r in rs):,.0f} MB in use (nvidia-smi)"
        rows.append((side, rs[0]["version"], rs[0]["threads"], "on" if rs[0]["onednn"] else "off", len(rs), len(ms), median, best, memory))
    print("| side | library | threads | oneDNN | runs | steps | ms/step median | best | images/s (median) | images/s (best) | peak memory: host VmHWM; on CUDA also the GPU's | harness/PyTorch images/s (median; best) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    base = rate.get("pytorch")
    for side, version, threads, onednn, n, steps, median, best, memory in rows:
        ratio = f"{rate[side][0] / base[0]:.2f}; {rate[side][1] / base[1]:.2f}" if base and side != "pytorch" else "—"
        print(f"| {side} | {version} | {threads} | {onednn} | {n} | {steps} | {median:,.1f} | {best:,.1f} | {rate[side][0]:,.1f} | "
              f"{rate[side][1]:,.1f} | {memory} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
