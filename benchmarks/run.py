"""nncalc against torchinfo and Keras, side by side in one run, and how nncalc's cost grows.

    python benchmarks/run.py [--runs 5] [--quick] [--only tools|scaling] [--no-live]

Every measurement is a whole fresh process (interpreter start and imports included): wall time, CPU time and
peak resident memory, the median of ``--runs`` runs after one warm-up run. Prints the machine, every
measurement as it comes, then the results; writes ``benchmarks/results/results.md``, ``results.json`` and
``scaling.png``. Exits 1 if a requirement of the issue fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from cases import CASES, GPT_SIZES, NNCALC, ROOT, commands, gpt_file, nncalc_cmd, stacked_file, static_totals
from machine import describe, load
from measure import side_by_side
from report import markdown, plot

RESULTS = Path(__file__).resolve().parent / "results"
STACK_SIZES = (10, 100, 1_000, 10_000)


def measure_tools(runs: int, warmup: int, live: bool, notes: list[str]) -> list[dict]:
    """Each model: static nncalc, the other tool and live nncalc, interleaved."""
    rows = []
    for case in CASES:
        if not case.file.exists():
            notes.append(f"{case.label}: {case.file.relative_to(ROOT)} does not exist")
            continue
        print(f"  {case.label} ({case.file.relative_to(ROOT)})", flush=True)
        results = side_by_side(commands(case, live), runs, warmup)
        rows.append({"model": case.label, "file": str(case.file.relative_to(ROOT)),
                     "tools": {name: samples.as_dict() for name, samples in results.items()}})
    return rows


def measure_scaling(runs: int, warmup: int, sizes: tuple[int, ...], gpt_sizes: list[str],
                    notes: list[str]) -> list[dict]:
    """The stack of Linear layers at each size, then the GPT file at each size."""
    points = []
    with tempfile.TemporaryDirectory() as folder:
        files = [stacked_file(n, Path(folder)) for n in sizes]
        try:
            files += [gpt_file(name, Path(folder)) for name in gpt_sizes]
        except (OSError, SystemExit) as err:
            notes.append(f"GPT scaling series: {err}")
        for point in files:
            params, layers = static_totals(point)
            print(f"  {point.series} {point.label}: {layers:,} layers, {params:,} parameters", flush=True)
            cmd = nncalc_cmd(point.file, point.shape, point.dtype, "model")
            samples = side_by_side({NNCALC: cmd}, runs, warmup)[NNCALC]
            points.append({"series": point.series, "label": point.label, "blocks": point.blocks, "layers": layers,
                           "params": params, **samples.as_dict()})
    return points



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs per command first (default 1)")
    parser.add_argument("--quick", action="store_true", help="1 run, no warm-up, stack up to 1,000 layers, "
                        "GPT-2 small only: checks that everything runs")
    parser.add_argument("--only", choices=["tools", "scaling"], help="only one half of the benchmark")
    parser.add_argument("--no-live", action="store_true", help="skip nncalc.summary() on the live models")
    args = parser.parse_args(argv)
    runs, warmup = (1, 0) if args.quick else (args.runs, args.warmup)
    sizes = STACK_SIZES[:3] if args.quick else STACK_SIZES
    gpt_sizes = list(GPT_SIZES)[:1] if args.quick else list(GPT_SIZES)

    info = describe(ROOT)
    print(f"Machine: {info['cpu']}, {info['cpus']} CPUs, {info['memory']} RAM, {info['os']}")
    print(f"Python {info['python']}; " + ", ".join(f"{k} {v}" for k, v in info["packages"].items()))
    print(f"nncalc commit {info['commit']}; {info['load_before']}", flush=True)
    started = time.perf_counter()
    notes: list[str] = []
    rows = measure_tools(runs, warmup, not args.no_live, notes) if args.only != "scaling" else []
    points = measure_scaling(runs, warmup, sizes, gpt_sizes, notes) if args.only != "tools" else []
    info["load_after"] = load()
    info["duration_s"] = round(time.perf_counter() - started, 1)

    RESULTS.mkdir(exist_ok=True)
    text, passed = markdown(info, runs, warmup, rows, points, notes)
    (RESULTS / "results.md").write_text(text)
    (RESULTS / "results.json").write_text(json.dumps(
        {"machine": info, "runs": runs, "warmup": warmup, "tools": rows, "scaling": points, "notes": notes},
        indent=1))
    print()
    print(text)
    if points:
        print(plot(points, RESULTS / "scaling.png"))
    print(f"Took {info['duration_s']:.0f} s; wrote {RESULTS / 'results.md'} and results.json.")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
