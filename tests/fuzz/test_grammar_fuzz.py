"""Property-based fuzzing: generated PyTorch ``nn.Sequential`` files checked against real torch, and mutated seed
files that must never crash nncalc.

For a generated model nncalc must give real torch's total parameters and output shape where torch accepts the
model, and a clean :class:`~nncalc.errors.NncalcError` where torch raises: never another exception, a hang, or a
result where torch raises. A mutated file must end in a result or a clean error.

CI runs a bounded number of examples; ``NNCALC_FUZZ_EXAMPLES=5000`` runs more (see ``tests/README.md``).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
from hypothesis import HealthCheck, event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fuzz_job import mutate  # noqa: E402  (tests/fuzz is on sys.path)
from nncalc import analyze  # noqa: E402
from nncalc.errors import NncalcError  # noqa: E402

EXAMPLES = int(os.environ.get("NNCALC_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, derandomize="NNCALC_FUZZ_EXAMPLES" not in os.environ, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
SEEDS = [Path("/work/shared/seed/simple_cnn_torch.py"), *Path(__file__).parents[1].glob("models/**/*_torch.py")]
SEED_TEXTS = [p.read_text() for p in SEEDS if p.is_file()][:20]


# ----- the grammar -------------------------------------------------------------------------------------------
@st.composite
def models(draw):
    """(source, input shape without batch): a Sequential of bounded layers, mostly shape-consistent."""
    channels = draw(st.integers(1, 4))
    size = draw(st.integers(1, 16))
    shape = (channels, size, draw(st.sampled_from([size, max(1, size - 1), size + 2])))
    c, h, w = shape
    flat: int | None = None  # features after a Flatten
    layers: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["conv", "linear", "maxpool", "avgpool", "bn", "relu", "flatten", "dropout"]))
        honest = draw(st.integers(0, 9)) > 0  # mostly consistent with the shape so far
        if kind == "conv":
            out = draw(st.integers(1, 6))
            k = draw(st.integers(1, 5))
            stride = draw(st.integers(1, 3))
            pad = draw(st.integers(0, 2))
            groups = draw(st.sampled_from([1, 1, 1, 2]))
            cin = c if honest else draw(st.integers(1, 6))
            bias = draw(st.booleans())
            layers.append(f"nn.Conv2d({cin}, {out}, kernel_size={k}, stride={stride}, padding={pad}, "
                          f"groups={groups}, bias={bias})")
            c, h, w = out, (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
        elif kind in ("maxpool", "avgpool"):
            k = draw(st.integers(1, 3))
            stride = draw(st.sampled_from([None, 1, 2]))
            pad = draw(st.integers(0, 1))
            name = "MaxPool2d" if kind == "maxpool" else "AvgPool2d"
            args = f"{k}" + (f", stride={stride}" if stride else "") + (f", padding={pad}" if pad else "")
            layers.append(f"nn.{name}({args})")
            s = stride or k
            h, w = (h + 2 * pad - k) // s + 1, (w + 2 * pad - k) // s + 1
        elif kind == "bn":
            layers.append(f"nn.BatchNorm2d({c if honest else draw(st.integers(1, 6))})")
        elif kind == "linear":
            features = (flat if flat is not None else w) if honest else draw(st.integers(1, 300))
            out = draw(st.integers(1, 20))
            layers.append(f"nn.Linear({features}, {out}, bias={draw(st.booleans())})")
            if flat is not None:
                flat = out
            else:
                w = out
        elif kind == "flatten":
            layers.append("nn.Flatten()")
            flat = c * h * w if flat is None else flat
        elif kind == "relu":
            layers.append("nn.ReLU()")
        else:
            layers.append(f"nn.Dropout({draw(st.sampled_from(['0.0', '0.5', '0.25']))})")
    body = ",\n    ".join(layers)
    return f"import torch.nn as nn\n\nmodel = nn.Sequential(\n    {body},\n)\n", shape


def torch_result(source: str, shape: tuple):
    """(total params, output shape) from real torch, or None where torch refuses the model."""
    namespace: dict = {}
    try:
        exec(compile(source, "<fuzz>", "exec"), namespace)  # the test's own generated code, for the oracle
        model = namespace["model"].eval()
        with torch.no_grad():
            out = model(torch.zeros(1, *shape))
    except (RuntimeError, ValueError, TypeError, IndexError, ZeroDivisionError):
        return None
    return sum(p.numel() for p in model.parameters()), tuple(out.shape)


def nncalc_result(source: str, shape: tuple | None = None):
    """(total params, output shape) from nncalc, or the NncalcError it raised; anything else propagates."""
    try:
        report = analyze(source, input_shape=shape) if shape else analyze(source)
    except NncalcError as err:
        return err
    return report.total_params, tuple(report.output_shape or ())


@FUZZ
@given(models())
def test_generated_models_match_torch(case):
    source, shape = case
    expected = torch_result(source, shape)
    got = nncalc_result(source, shape)
    event("torch accepts" if expected is not None else "torch refuses")
    if expected is None:
        assert isinstance(got, NncalcError), f"torch refuses this model, nncalc gave {got}:\n{source}{shape}"
    else:
        assert not isinstance(got, NncalcError), f"torch gives {expected}, nncalc raised {got}:\n{source}{shape}"
        assert got == expected, f"{source}{shape}"


# ----- mutations of valid files (fuzz_job.mutate) ---------------------------------------------------------------
@pytest.mark.skipif(not SEED_TEXTS, reason="no seed files")
@FUZZ
@given(st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_mutated_seed_files_never_crash(seed, count):
    rng = random.Random(seed)
    source = mutate(rng.choice(SEED_TEXTS), rng, count)
    got = nncalc_result(source)  # a result or a clean NncalcError; any other exception fails the test
    event(type(got).__name__ if isinstance(got, NncalcError) else "result")
