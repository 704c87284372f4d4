"""Errors the symbolic Keras raises.

Each is an :class:`~nncalc.errors.NncalcError` and also the built-in exception Keras would raise, so user code
catching ``ValueError`` behaves as with Keras. Keras rejects inconsistent models with ``ValueError``; nncalc
makes those :class:`~nncalc.errors.ShapeError` (the model cannot be built as written).
"""

from __future__ import annotations

from nncalc.frameworks.common.errors import (  # noqa: F401 - unknown_layer, reject_unknown: Keras's too
    FrameworkAttributeError,
    FrameworkTypeError,
    FrameworkValueError,
    reject_unknown,
    unknown_layer,
)
from nncalc.layers.merge import shape_str as shape_text  # noqa: F401 - a shape as Keras prints it: (None, 10)


class KerasValueError(FrameworkValueError):
    """A layer or model Keras would reject with ``ValueError``: bad configuration or an incompatible input."""


class KerasTypeError(FrameworkTypeError):
    """A call with arguments that do not bind (a missing ``kernel_size``, an unknown keyword)."""


class KerasAttributeError(FrameworkAttributeError):
    """A name that Keras does not have, or a property that is not defined yet (an unbuilt model's shape)."""

