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
