"""nncalc: layer-by-layer output shapes, parameters with their formulas, compute and memory of PyTorch and
Keras models, read from source without running it.

>>> import nncalc
>>> report = nncalc.analyze("examples/simple_cnn_keras.py")
>>> report.total_params
404218

Importing nncalc is light: the pipeline and the renderers load on first use.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing costs milliseconds of every start

__version__ = "0.1.0"
__all__ = ["analyze", "trace", "summary", "Report", "Row", "NncalcError", "ShapeError", "__version__"]

if TYPE_CHECKING:
    from nncalc.analysis import analyze, trace
    from nncalc.live import summary
    from nncalc.errors import NncalcError, ShapeError
    from nncalc.report import Report, Row

_LAZY = {
    "analyze": "nncalc.analysis",
    "trace": "nncalc.analysis",
    "summary": "nncalc.live",
    "Report": "nncalc.report",
    "Row": "nncalc.report",
    "NncalcError": "nncalc.errors",
    "ShapeError": "nncalc.errors",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nncalc' has no attribute {name!r}")
