#!/usr/bin/python3
"""Loads many C#-written checkpoints and trimmed models into the PyTorch reference (d2lv_reference.py) with
strict=True, in one process (importing torch once). Input: a JSON list of
{"file", "backbone", "width", "classes", "hidden", "proj_out", "trimmed"}; output: one JSON list of
{"file", "ok", "detail"} on stdout. Used by `isc verify-artifacts`."""
import argparse, contextlib, io, json, os, sys, types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import d2lv_reference as ref  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--list", required=True)
    jobs = json.load(open(p.parse_args().list))
    results = []
    for j in jobs:
        args = types.SimpleNamespace(file=j["file"], backbone=j["backbone"], width=j["width"], classes=j["classes"],
                                     hidden=j["hidden"], proj_out=j["proj_out"], trimmed=j["trimmed"], input=None, out=None)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                ref.cmd_check(args)
            results.append({"file": j["file"], "ok": True, "detail": out.getvalue().strip()})
        except Exception as e:  # report every file, do not stop at the first
            results.append({"file": j["file"], "ok": False, "detail": f"{type(e).__name__}: {e}"[:400]})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
