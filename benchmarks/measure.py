"""Whole-process measurements: wall time, CPU time and peak resident memory of fresh processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SPAWN = Path(__file__).resolve().parent / "spawn.py"


def child_env() -> dict[str, str]:
    """The environment of every measured process.

    ``PYTHONDONTWRITEBYTECODE`` is removed: with it every process recompiles nncalc's modules on each start,
    which no installed package does (pip writes the bytecode cache), so each tool keeps its ``__pycache__``.
    Keras runs on the torch backend, as in the tests.
    """
    env = dict(os.environ, KERAS_BACKEND="torch")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@dataclass
class Samples:
    """Every run of one command; medians are what the tables quote."""

    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks_mib: list[float] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.walls)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")

    @property
    def peak(self) -> float:
        return statistics.median(self.peaks_mib) if self.peaks_mib else float("nan")

    def as_dict(self) -> dict:
        return {"wall_s": self.wall, "cpu_s": self.cpu, "peak_mib": self.peak, "walls": self.walls,
                "cpus": self.cpus, "peaks_mib": self.peaks_mib, "error": self.error}


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """One fresh process: (wall s, CPU s, peak MiB, error message or "")."""
    with tempfile.NamedTemporaryFile(suffix=".err") as err:
        done = subprocess.run([sys.executable, "-I", "-S", str(SPAWN), err.name, *cmd], env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            return 0.0, 0.0, 0.0, (done.stderr.strip().splitlines() or ["launcher failed"])[-1]
        wall, cpu, peak_kib, code = done.stdout.split()
        if int(code) != 0:
            lines = Path(err.name).read_text(errors="replace").strip().splitlines()
            return 0.0, 0.0, 0.0, f"exit {code}: {(lines or [''])[-1][:200]}"
    return float(wall), float(cpu), float(peak_kib) / 1024, ""


def side_by_side(commands: dict[str, list[str]], runs: int, warmup: int = 1, progress=print) -> dict[str, Samples]:
    """Run every command ``runs`` times, interleaved (a, b, c, a, b, c, ...) so load changes hit all alike.

    ``warmup`` unmeasured runs of each first fill the file cache and the bytecode caches.
    """
    env = child_env()
    results = {name: Samples() for name in commands}
    for _ in range(warmup):
        for name, cmd in commands.items():
            error = run_once(cmd, env)[3]
            if error:
                results[name].error = error
    for _ in range(runs):
        for name, cmd in commands.items():
            if results[name].error:
                continue
            wall, cpu, peak, error = run_once(cmd, env)
            if error:
                results[name].error = error
                continue
            results[name].walls.append(wall)
            results[name].cpus.append(cpu)
            results[name].peaks_mib.append(peak)
    for name, samples in results.items():
        shown = f"{samples.wall:8.3f} s wall {samples.cpu:8.3f} s CPU {samples.peak:8.1f} MiB" if samples.ok \
            else f"FAILED: {samples.error}"
        progress(f"    {name:34} {shown}")
    return results
