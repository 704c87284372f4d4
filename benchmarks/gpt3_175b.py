"""Time and peak memory of ``nncalc summary`` on GPT-3 175B, read from source.

The model is ``tests/models/torch_gpt2_nanogpt.py`` (nanoGPT's GPT-2 small) with GPT-3's configuration
appended: ``model = GPT(GPTConfig(n_layer=96, n_head=96, n_embd=12288, block_size=2048))`` —
174,604,259,328 parameters (``tests/test_gpt_scaling.py`` checks the closed form). nncalc's tensors have
shapes but no elements, so the cost grows with the number of layers, never with their width::

    PYTHONPATH=src python benchmarks/gpt3_175b.py [--runs 5] [--seq 2048]

Runs the installed CLI as a user does, in fresh processes (``measure.run_once``: wall time, CPU time, peak
resident memory of the whole process, start-up included), prints the medians and exits non-zero when the
median time exceeds 2 s or the peak memory 300 MB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cases import MODELS, nncalc_cmd  # noqa: E402
from measure import side_by_side  # noqa: E402

GPT3 = "\nmodel = GPT(GPTConfig(n_layer=96, n_head=96, n_embd=12288, block_size=2048))\n"
TIME_BUDGET_S = 2.0
MEMORY_BUDGET_MB = 300.0


def gpt3_file(directory: Path) -> Path:
    """The GPT-2 file with GPT-3's configuration appended, written to ``directory``."""
    path = directory / "gpt3_175b.py"
    path.write_text((MODELS / "torch_gpt2_nanogpt.py").read_text() + GPT3)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seq", type=int, default=2048, help="sequence length of the token input")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        command = nncalc_cmd(gpt3_file(Path(directory)), str(args.seq), "int64", "model")
        samples = side_by_side({"nncalc summary GPT-3 175B": command}, args.runs)["nncalc summary GPT-3 175B"]
    if not samples.ok:
        print(f"failed: {samples.error}")
        return 1
    peak_mb = samples.peak * (1 << 20) / 1e6
    print(f"median of {args.runs}: {samples.wall:.2f} s wall, {samples.cpu:.2f} s CPU, peak {peak_mb:.0f} MB "
          f"(budget {TIME_BUDGET_S} s, {MEMORY_BUDGET_MB:.0f} MB)")
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):  # wall time then measures the queue for a CPU, CPU time the work
        print(f"load average {load:.1f} on {os.cpu_count()} CPUs: the wall time includes waiting for a CPU")
    return 0 if samples.wall < TIME_BUDGET_S and peak_mb < MEMORY_BUDGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
