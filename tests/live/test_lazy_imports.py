"""The live adapters are imported lazily: ``import nncalc``, ``nncalc.summary`` as an attribute, ``nncalc.live``
itself and the whole static path import no framework."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import nncalc
summary = nncalc.summary
import nncalc.live, nncalc.render.html
report = nncalc.analyze("examples/simple_cnn_torch.py")
report._repr_html_()
loaded = sorted(name for name in ("torch", "keras", "tensorflow", "jax") if name in sys.modules)
print(",".join(loaded) or "none")
"""


def test_no_framework_is_imported():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"


CLI_PROBE = """
import contextlib, io, sys
from nncalc.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["summary", sys.argv[1]])
assert code == 0 and "Total params" in out.getvalue(), out.getvalue()
slow = ("typing", "dataclasses", "inspect", "copy")
print(",".join(name for name in slow if name in sys.modules) or "none")
"""


def test_cli_summary_of_the_seeds_skips_slow_standard_modules():
    """Start-up speed: ``nncalc summary`` of the seeds needs none of these (each costs milliseconds)."""
    for seed in ("examples/simple_cnn_torch.py", "examples/simple_cnn_keras.py"):
        done = subprocess.run([sys.executable, "-c", CLI_PROBE, seed], capture_output=True, text=True, cwd=ROOT,
                              timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT / "src"), NNCALC_IN_PROCESS="1"))
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "none", seed


FAMILY_PROBE = """
import contextlib, io, sys
from nncalc.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["summary", sys.argv[1]])
assert code == 0 and "Total params" in out.getvalue(), out.getvalue()
from nncalc.frameworks.keras import ON_DEMAND_FAMILIES as KERAS_FAMILIES
from nncalc.frameworks.torch.namespaces import ON_DEMAND_FAMILIES
families = [
    "nncalc.frameworks.torch." + name
    for name in ("decompositions", "numeric_ops", "signal_ops", "einops", *ON_DEMAND_FAMILIES)
] + ["nncalc.frameworks.keras." + name for name in (
    "ops_math", "ops_arrays", "ops_linalg", "ops_fft", "ops_nn", "ops_core", "tf_ops", "tf_math", "tf_nn",
    *KERAS_FAMILIES)]
families += ["json", "sysconfig"]  # only notebooks and files importing from libraries need them
print(",".join(name for name in families if name in sys.modules) or "none")
"""


def test_the_seeds_do_not_load_the_op_families_they_do_not_use():
    """Issue 16/17: start-up does not grow with coverage; these op and layer families load when a file first uses
    a name of theirs (tests/frameworks and tests/coverage use them all)."""
    for seed in ("examples/simple_cnn_torch.py", "examples/simple_cnn_keras.py"):
        done = subprocess.run([sys.executable, "-c", FAMILY_PROBE, seed], capture_output=True, text=True, cwd=ROOT,
                              timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT / "src"), NNCALC_IN_PROCESS="1"))
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "none", seed
