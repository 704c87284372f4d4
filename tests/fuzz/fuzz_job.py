"""The robustness fuzz job: generated and mutated model files, each analysed in a contained child process.

Where ``test_grammar_fuzz.py`` checks nncalc's numbers against real torch, this job looks for what the
security corpus is about: a case that nncalc's own limits do not stop (the process limits of
:mod:`nncalc.contain` have to: a hang, a crash, memory past the limit) or that ends in an internal error. Each
is minimised (lines removed while it still fails the same way) and written to ``--out``; the exit status is 1
when anything was found.

Cases come from two sources, alternately:

* grammar: random PyTorch ``nn.Sequential`` and Keras ``Sequential`` files whose sizes are drawn, sometimes,
  from the values that broke nncalc before (``10**9`` layers, ``2**63``, ``10**400``, ``2**61 - 1``);
* mutation: the model files of ``tests/models`` and the seed, changed one to four times (a character deleted
  or replaced, tokens swapped, a line duplicated or deleted, an integer replaced by such a value, a line of
  another file spliced in).

``python tests/fuzz/fuzz_job.py --cases 300`` is what CI runs (``test_fuzz_job.py``);
``python tests/fuzz/fuzz_job.py --seconds 3600 --seed random`` is the hour-long run (tests/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

import nncalc.analysis  # noqa: E402,F401  (imported once: every case's child is forked with them)
import nncalc.frameworks.keras  # noqa: E402,F401
import nncalc.frameworks.torch  # noqa: E402,F401
from nncalc import contain  # noqa: E402
from nncalc.errors import LimitExceeded  # noqa: E402
from nncalc.interpreter import Limits  # noqa: E402

LIMITS = contain.ProcessLimits()
"""Per case, the command line's defaults: 1 GiB, 30 s."""
INTERPRETER = Limits(max_seconds=8.0)
"""The interpreter's clock per case, well inside the process's: a case that still reaches the process limits
ran on for 22 s after the interpreter should have stopped it (in nncalc's own code, or one C call)."""
EXTREMES = ["0", "-1", "10**9", "2**63", "10**400", "2**61 - 1", "3 * 10**6", "10**12", "65536"]
MODEL_FILES = sorted((ROOT / "tests" / "models").glob("*.py")) + sorted((ROOT / "examples").glob("*.py"))


# ----- cases ------------------------------------------------------------------------------------------------------
def _size(rng: random.Random, low: int, high: int) -> str:
    return rng.choice(EXTREMES) if rng.random() < 0.08 else str(rng.randint(low, high))


def torch_model(rng: random.Random) -> str:
    layers, lines = [], ["import torch.nn as nn", ""]
    channels = rng.randint(1, 8)
    for _ in range(rng.randint(1, 8)):
        kind = rng.choice(["conv", "linear", "pool", "bn", "relu", "flatten", "lstm", "encoder", "drop"])
        if kind == "conv":
            out = _size(rng, 1, 16)
            layers.append(f"nn.Conv2d({channels}, {out}, {_size(rng, 1, 5)}, stride={_size(rng, 1, 3)}, "
                          f"padding={_size(rng, 0, 2)})")
            channels = int(out) if out.isdigit() else channels
        elif kind == "linear":
            layers.append(f"nn.Linear({_size(rng, 1, 300)}, {_size(rng, 1, 64)})")
        elif kind == "pool":
            layers.append(f"nn.MaxPool2d({_size(rng, 1, 3)})")
        elif kind == "bn":
            layers.append(f"nn.BatchNorm2d({_size(rng, 1, 16)})")
        elif kind == "lstm":
            layers.append(f"nn.LSTM({_size(rng, 1, 32)}, {_size(rng, 1, 32)}, num_layers={_size(rng, 1, 3)})")
        elif kind == "encoder":
            lines.append(f"block = nn.TransformerEncoderLayer({_size(rng, 2, 16)}, {rng.choice([1, 2])})")
            layers.append(f"nn.TransformerEncoder(block, num_layers={_size(rng, 1, 3)})")
        else:
            layers.append({"relu": "nn.ReLU()", "flatten": "nn.Flatten()", "drop": "nn.Dropout(0.1)"}[kind])
    lines.append("model = nn.Sequential(\n    " + ",\n    ".join(layers) + ",\n)")
    lines.append(f"# nncalc: input-shape {channels},{_size(rng, 1, 32)},{_size(rng, 1, 32)}")
    return "\n".join(lines) + "\n"


def keras_model(rng: random.Random) -> str:
    layers = [f"keras.Input(({_size(rng, 1, 32)}, {_size(rng, 1, 32)}, {_size(rng, 1, 4)}))"]
    for _ in range(rng.randint(1, 8)):
        kind = rng.choice(["conv", "dense", "pool", "bn", "flatten", "group", "heads", "drop"])
        layers.append({
            "conv": f"keras.layers.Conv2D({_size(rng, 1, 16)}, {_size(rng, 1, 5)}, strides={_size(rng, 1, 3)})",
            "dense": f"keras.layers.Dense({_size(rng, 1, 64)})",
            "pool": f"keras.layers.MaxPooling2D({_size(rng, 1, 3)})",
            "bn": "keras.layers.BatchNormalization()",
            "flatten": "keras.layers.Flatten()",
            "group": f"keras.layers.GroupNormalization(groups={_size(rng, 1, 8)})",
            "heads": f"keras.layers.Reshape(({_size(rng, 1, 64)}, -1))",
            "drop": "keras.layers.Dropout(0.2)",
        }[kind])  # fmt: skip
    return "import keras\n\nmodel = keras.Sequential([\n    " + ",\n    ".join(layers) + ",\n])\n"


def mutate(text: str, rng: random.Random, count: int, others: list[str] = ()) -> str:
    """``text`` changed ``count`` times (see the module docstring)."""
    import re

    for _ in range(count):
        lines = text.splitlines(keepends=True)
        op = rng.randrange(7)
        if op == 0 and text:  # delete a character
            i = rng.randrange(len(text))
            text = text[:i] + text[i + 1 :]
        elif op == 1:  # swap two tokens
            tokens = text.split(" ")
            if len(tokens) > 1:
                i, j = rng.randrange(len(tokens)), rng.randrange(len(tokens))
                tokens[i], tokens[j] = tokens[j], tokens[i]
                text = " ".join(tokens)
        elif op == 2 and lines:  # duplicate a line
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            text = "".join(lines)
        elif op == 3 and lines:  # delete a line
            del lines[rng.randrange(len(lines))]
            text = "".join(lines)
        elif op == 4:  # an integer becomes an extreme value
            numbers = list(re.finditer(r"(?<![\w.])\d+(?![\w.])", text))
            if numbers:
                m = rng.choice(numbers)
                text = text[: m.start()] + rng.choice(EXTREMES) + text[m.end() :]
        elif op == 5 and others and lines:  # a line of another file spliced in
            donor = rng.choice(others).splitlines(keepends=True)
            if donor:
                lines.insert(rng.randrange(len(lines) + 1), rng.choice(donor))
                text = "".join(lines)
        elif text:  # replace a character
            i = rng.randrange(len(text))
            text = text[:i] + rng.choice("0123456789()[]:,.=_ \nx*") + text[i + 1 :]
    return text if text.endswith("\n") else text + "\n"


def cases(seed: int):
    """An endless stream of (source, name) cases; the same seed gives the same stream."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in MODEL_FILES]
    index = 0
    while True:
        index += 1
        kind = index % 3
        if kind == 0:
            yield torch_model(rng), f"grammar-torch-{index}"
        elif kind == 1:
            yield keras_model(rng), f"grammar-keras-{index}"
        else:
            yield mutate(rng.choice(texts), rng, rng.randint(1, 4), texts), f"mutant-{index}"


# ----- running one case -----------------------------------------------------------------------------------------
def outcome(source: str) -> str:
    """``ok``, ``error`` (a clean NncalcError), or what went wrong: ``internal: …`` (any other exception, in the
    child) or ``stopped: …`` (the process limits had to stop it: a hang, a crash, memory)."""

    def work():
        from nncalc.analysis import analyze
        from nncalc.errors import NncalcError

        try:
            analyze(source, filename="case.py", limits=INTERPRETER)
        except NncalcError:
            return "error"
        except Exception as err:  # what the job looks for
            return f"internal: {type(err).__name__}: {str(err)[:200]}"
        return "ok"

    try:
        return contain.run_contained(work, LIMITS, "case.py").value
    except LimitExceeded as err:
        return f"stopped: {err.message}"


def is_finding(result: str) -> bool:
    return result.startswith(("internal", "stopped"))


def minimise(source: str, result: str, budget: int = 24) -> str:
    """Remove lines (halves, then single lines) while the case still fails the same way; ``budget`` tries."""
    kind = result.split(":")[0]
    lines = source.splitlines(keepends=True)
    chunk = max(1, len(lines) // 2)
    while chunk >= 1 and budget > 0:
        i = 0
        while i < len(lines) and budget > 0:
            trial = lines[:i] + lines[i + chunk :]
            budget -= 1
            if trial and outcome("".join(trial)).split(":")[0] == kind:
                lines = trial
            else:
                i += chunk
        chunk //= 2
    return "".join(lines)


def run(cases_wanted: int | None, seconds: float | None, seed: int, out: Path | None, log=print) -> list[tuple]:
    """Run cases until ``cases_wanted`` are done or ``seconds`` pass; returns the findings (name, result, source)."""
    start = time.monotonic()
    counts: dict[str, int] = {}
    findings = []
    done = 0
    for source, name in cases(seed):
        if cases_wanted is not None and done >= cases_wanted:
            break
        if seconds is not None and time.monotonic() - start > seconds:
            break
        result = outcome(source)
        done += 1
        key = result.split(":")[0]
        counts[key] = counts.get(key, 0) + 1
        if is_finding(result):
            small = minimise(source, result)
            findings.append((name, result, small))
            log(f"{name}: {result}")
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha1(small.encode()).hexdigest()[:10]
                (out / f"fuzz_{digest}.py").write_text(f"# {result}\n{small}", encoding="utf-8")
    log(f"{done} cases in {time.monotonic() - start:.0f} s (seed {seed}): {counts}")
    return findings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, help="stop after this many cases")
    parser.add_argument("--seconds", type=float, help="stop after this long")
    parser.add_argument("--seed", default="0", help="the stream of cases (an int), or 'random'")
    parser.add_argument("--out", type=Path, help="write each minimised finding here")
    args = parser.parse_args(argv)
    if not contain.available():
        print("the fuzz job needs os.fork and the resource module", file=sys.stderr)
        return 2
    seed = random.randrange(2**32) if args.seed == "random" else int(args.seed)
    if args.cases is None and args.seconds is None:
        args.cases = 300
    return 1 if run(args.cases, args.seconds, seed, args.out) else 0


if __name__ == "__main__":
    sys.exit(main())
