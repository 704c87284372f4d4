"""nncalc against torchinfo and Keras, side by side in one run, and how nncalc's cost grows.

    python benchmarks/run.py [--runs 5] [--quick]

Every measurement is a whole fresh process (imports included): wall time and peak resident memory, the
median of ``--runs`` runs. Writes ``benchmarks/results/results.md``, ``results.json`` and ``scaling.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODELS = ROOT / "tests" / "models"
DRIVERS = HERE / "drivers"
RESULTS = HERE / "results"


@dataclass
class Case:
    """A model file and how each tool is pointed at it."""

    label: str
    file: Path
    framework: str
    shape: str = ""
    dtype: str = "float32"
    model: str | None = None


CASES = [
    Case("seed (Keras)", MODELS / "seed_keras.py", "keras"),
    Case("seed (PyTorch)", MODELS / "seed_torch.py", "pytorch", "3,32,32", model="SimpleCNN"),
    Case("ResNet-50", MODELS / "torch_resnet50.py", "pytorch", "3,224,224", model="resnet50"),
    Case("GPT-2 small", MODELS / "torch_gpt2_small.py", "pytorch", "1024", "int64"),
    Case("BERT-base", MODELS / "torch_bert_base.py", "pytorch", "512", "int64"),
]


@dataclass
class Measure:
    """Median wall seconds and peak resident MiB of a command over several fresh processes."""

    seconds: float
    peak_mib: float
    ok: bool
    error: str = ""


def measure(cmd: list[str], runs: int) -> Measure:
    """Run ``cmd`` ``runs`` times; per run, wall time and the child's own peak RSS (``os.wait4``)."""
    times, peaks = [], []
    env = dict(os.environ, KERAS_BACKEND="torch", PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{DRIVERS}")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # every tool gets its bytecode cache, as after a pip install
    for _ in range(runs):
        start = time.perf_counter()
        with tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                err.seek(0)
                return Measure(0.0, 0.0, False, err.read().decode(errors="replace").strip().splitlines()[-1:][0])
        times.append(elapsed)
        peaks.append(usage.ru_maxrss / 1024)
    return Measure(statistics.median(times), statistics.median(peaks), True)


def nncalc_cmd(case: Case) -> list[str]:
    cmd = [sys.executable, "-m", "nncalc.cli", "summary", str(case.file), "--format", "json"]
    if case.shape:
        cmd += ["--input-shape", case.shape]
    if case.dtype == "int64":
        cmd += ["--dtype", "int64"]
    if case.model:
        cmd += ["--model", case.model]
    return cmd


def other_cmds(case: Case) -> dict[str, list[str]]:
    """The tools a user would otherwise pick for this model, as fresh-process commands."""
    py = sys.executable
    model = [case.model] if case.model else []
    if case.framework == "keras":
        return {
            "keras summary()": [py, str(DRIVERS / "keras_summary.py"), str(case.file)],
            "nncalc.summary() live": [py, str(DRIVERS / "nncalc_live.py"), str(case.file), "keras", ""],
        }
    return {
        "torchinfo": [py, str(DRIVERS / "torchinfo_summary.py"), str(case.file), case.shape, case.dtype, *model],
        "nncalc.summary() live": [py, str(DRIVERS / "nncalc_live.py"), str(case.file), "pytorch", case.shape, *model],
    }


def stacked_file(layers: int, folder: Path) -> Path:
    """A plain file stacking ``layers`` Linear+ReLU pairs with a loop."""
    path = folder / f"stack_{layers}.py"
    path.write_text(
        "import torch.nn as nn\n\n"
        "blocks = []\n"
        f"for i in range({layers // 2}):\n"
        "    blocks.append(nn.Linear(64, 64))\n"
        "    blocks.append(nn.ReLU())\n"
        "model = nn.Sequential(*blocks)\n"
    )
    return path


def fit_slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of y against x."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 runs, scaling up to 1,000 layers")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    RESULTS.mkdir(exist_ok=True)
    rows, missing = [], []
    for case in CASES:
        if not case.file.exists():
            missing.append(f"{case.label}: {case.file.relative_to(ROOT)} is not written yet")
            continue
        ours = measure(nncalc_cmd(case), runs)
        for tool, cmd in other_cmds(case).items():
            theirs = measure(cmd, runs)
            rows.append({"model": case.label, "tool": tool, "nncalc": asdict(ours), "other": asdict(theirs)})
            print(f"{case.label:16} nncalc {ours.seconds:6.3f}s {ours.peak_mib:7.1f}MiB | {tool:22} "
                  f"{theirs.seconds:6.3f}s {theirs.peak_mib:7.1f}MiB {'' if theirs.ok else theirs.error}", flush=True)
    scaling = []
    sizes = [10, 100, 1000] if args.quick else [10, 100, 1000, 10000]
    with tempfile.TemporaryDirectory() as folder:
        for layers in sizes:
            path = stacked_file(layers, Path(folder))
            m = measure([sys.executable, "-m", "nncalc.cli", "summary", str(path), "--input-shape", "64",
                         "--format", "json"], runs)
            scaling.append({"layers": layers, "params": (layers // 2) * 64 * 65, **asdict(m)})
            print(f"stack of {layers:6} layers: {m.seconds:.3f}s {m.peak_mib:.1f}MiB {m.error}", flush=True)
    write_results(rows, scaling, missing, runs)
    return 0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()} ({cpu})"


def write_results(rows: list[dict], scaling: list[dict], missing: list[str], runs: int) -> None:
    ok = [s for s in scaling if s["ok"]]
    slope = fit_slope([s["layers"] for s in ok], [s["seconds"] for s in ok]) if len(ok) > 1 else None
    lines = [
        f"Machine: {machine()}. Median of {runs} fresh processes each (imports included).",
        "",
        "| model | nncalc static | peak | other tool | its time | peak | time ratio nncalc / other |",
        "|---|--:|--:|---|--:|--:|--:|",
    ]
    for row in rows:
        a, b = row["nncalc"], row["other"]
        ratio = f"{a['seconds'] / b['seconds']:.3f} ({b['seconds'] / a['seconds']:.1f}× faster)" if b["ok"] else b["error"]
        lines.append(f"| {row['model']} | {a['seconds']:.3f} s | {a['peak_mib']:.0f} MiB | {row['tool']} | "
                     f"{b['seconds']:.3f} s | {b['peak_mib']:.0f} MiB | {ratio} |")
    lines += ["", "| layers | parameters | nncalc static | peak |", "|--:|--:|--:|--:|"]
    for s in scaling:
        lines.append(f"| {s['layers']:,} | {s['params']:,} | {s['seconds']:.3f} s | {s['peak_mib']:.0f} MiB |")
    if slope is not None:
        lines += ["", f"Fitted slope: {slope * 1000:.3f} ms per layer."]
    lines += [f"- not measured: {m}" for m in missing]
    (RESULTS / "results.md").write_text("\n".join(lines) + "\n")
    (RESULTS / "results.json").write_text(json.dumps({"machine": machine(), "runs": runs, "tools": rows,
                                                      "scaling": scaling, "missing": missing}, indent=2))
    plot(ok)
    print("\n".join(lines))


def plot(scaling: list[dict]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install matplotlib)")
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.loglog([s["layers"] for s in scaling], [s["seconds"] for s in scaling], "o-", label="nncalc summary")
    ax.set_xlabel("layers")
    ax.set_ylabel("wall time, whole process (s)")
    ax.set_title("nncalc's cost grows with layers")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / "scaling.png", dpi=120)


if __name__ == "__main__":
    sys.exit(main())
