"""``keras.applications`` read from Keras's source: ``nncalc summary`` on a file building each application, cold
(an empty parse cache) and warm (``--no-cache``: analysed again, the parsed Keras modules reused), beside real
Keras building the same model and printing its ``summary()`` (``KERAS_BACKEND=torch``, CPU) — each a fresh
process, as a user runs it.

``python benchmarks/keras_applications.py [--runs N] [--no-keras]``. Writes
``benchmarks/results/keras_applications.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from libraries import ROOT, median_cell, timed, write_result

APPLICATIONS = ("MobileNetV2", "ResNet50", "EfficientNetB0", "ConvNeXtXLarge", "EfficientNetV2L", "EfficientNetB7",
                "NASNetLarge")
KERAS = "import keras\nkeras.applications.{name}(weights=None).summary()\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-keras", action="store_true", help="skip real Keras (minutes for the large ones)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for name in APPLICATIONS:
            path = Path(work, f"{name}.py")
            path.write_text(f"import keras\n\nmodel = keras.applications.{name}(weights=None)\n")
            nncalc = [sys.executable, "-m", "nncalc.cli", "summary", str(path), "--no-cache"]
            cold, warm = [], []
            for run in range(args.runs):
                env = {**os.environ, "NNCALC_CACHE": str(Path(work, f"cache-{name}-{run}")),
                       "PYTHONPATH": str(ROOT / "src")}
                cold.append(timed(nncalc, env))
                warm.append(timed(nncalc, env))
            reference = []
            if not args.no_keras:
                probe = Path(work, "keras_probe.py")
                probe.write_text(KERAS.format(name=name))
                reference = [timed([sys.executable, str(probe)], {**os.environ, "KERAS_BACKEND": "torch"})]
            rows.append((name, cold, warm, reference))
            print(name, "done", file=sys.stderr)
    lines = ["# keras.applications from Keras's source", "",
             f"Medians of {args.runs} fresh processes each (wall / CPU seconds), `python benchmarks/"
             f"keras_applications.py`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs,"
             f" load average {os.getloadavg()[0]:.1f} at the end. Keras: one run of real Keras (torch backend, CPU)"
             " building the model and printing its summary.", "",
             "| application | nncalc, cold cache | nncalc, warm cache | Keras |", "|---|---|---|---|"]
    for name, *samples in rows:
        lines.append(f"| {name} | {' | '.join(map(median_cell, samples))} |")
    write_result("keras_applications.md", lines)


if __name__ == "__main__":
    main()
