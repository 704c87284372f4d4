"""Start-up of ``nncalc summary`` on the two seed files, two source trees side by side: ``python
benchmarks/startup_ab.py BEFORE_SRC AFTER_SRC [RUNS]`` (e.g. a ``git archive main src`` unpacked in /tmp, and
``src``). Runs are interleaved (before, after, before, …) after three warm-up runs of each, so a change of load
hits both; it prints the median and minimum wall time and the median CPU time (user + system of the process
tree, less sensitive to other work on the machine) of each."""

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SEEDS = [Path(__file__).resolve().parents[1] / "tests" / "models" / name for name in ("seed_torch.py", "seed_keras.py")]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # bytecode cached, as installed
ENV["NNCALC_NO_CACHE"] = "1"  # every run analyses: a replay of the result cache would hide the change


def once(tree: str, path: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process tree) of one ``nncalc summary``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nncalc.cli", "summary", str(path)], env=dict(ENV, PYTHONPATH=tree),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    trees = {"before": sys.argv[1], "after": sys.argv[2]}
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    for path in SEEDS:
        for tree in trees.values():
            for _ in range(3):
                once(tree, path)
    samples = {(name, path): [] for name in trees for path in SEEDS}
    for _ in range(runs):
        for path in SEEDS:
            for name, tree in trees.items():
                samples[(name, path)].append(once(tree, path))
    for path in SEEDS:
        row = [path.name]
        for name in trees:
            walls, cpus = zip(*samples[(name, path)])
            row.append(f"{name}: wall median {statistics.median(walls) * 1000:.0f} ms, min {min(walls) * 1000:.0f} ms, "
                       f"CPU median {statistics.median(cpus) * 1000:.0f} ms")
        print(" | ".join(row))


if __name__ == "__main__":
    main()
