"""Fourier transforms in ``keras.ops``: ``fft``, ``fft2``, ``ifft2`` take and give a ``(real, imag)`` pair of
float tensors of one shape; ``rfft`` gives the pair for the non-negative frequencies of a real signal, ``irfft``
the real signal back. None counts MACs (no published convention counts FFTs as multiply-adds)."""

from __future__ import annotations

from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.op_support import FLOATS, floating, needs_rank
from nncalc.frameworks.keras.ops import _shapes
from nncalc.frameworks.keras.tensor import KerasTensor


def _pair(name: str, x, least: int) -> tuple[tuple, str]:
    """The shape and dtype of a ``(real, imag)`` pair: one shape, float tensors, as Keras requires."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise KerasValueError(f"keras.ops.{name} takes a tuple (real, imag) of two tensors; received {x!r}")
    real, imag = _shapes(name, list(x))
    if real != imag:
        raise KerasValueError(f"keras.ops.{name}: the real and imaginary parts must have the same shape; received "
                              f"{shape_text(real)} and {shape_text(imag)}")
    kinds = [getattr(part, "dtype", "float32") for part in x]
    if any(kind not in FLOATS for kind in kinds):
        raise KerasValueError(f"keras.ops.{name}: the real and imaginary parts must be float tensors; received "
                              f"{' and '.join(kinds)}")
    needs_rank(real, least, f"keras.ops.{name}")
    return real, kinds[0]


def _length(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise KerasValueError(f"{what}: fft_length must be a positive int; received {value!r}")
    return value


def build_fft(state) -> dict:
    """The Fourier-transform members of ``keras.ops``."""

    def complex_to_complex(name, least):
        def op(x):
            shape, kind = _pair(name, x, least)
            return KerasTensor(shape, kind), KerasTensor(shape, kind)

        return op

    def rfft(x, fft_length=None):
        (shape,) = _shapes("rfft", (x,))
        needs_rank(shape, 1, "keras.ops.rfft")
        length = shape[-1] if fft_length is None else _length(fft_length, "keras.ops.rfft")
        out = (*shape[:-1], None if length is None else length // 2 + 1)
        kind = floating(x.dtype)
        return KerasTensor(out, kind), KerasTensor(out, kind)

    def irfft(x, fft_length=None):
        shape, kind = _pair("irfft", x, 1)
        if fft_length is not None:
            length = _length(fft_length, "keras.ops.irfft")
        elif shape[-1] is None:
            length = None
        elif shape[-1] < 2:
            raise KerasValueError(f"keras.ops.irfft: {shape_text(shape)} has too few frequencies to invert; give "
                                  "fft_length")
        else:
            length = 2 * (shape[-1] - 1)
        return KerasTensor((*shape[:-1], length), kind)

    return {"fft": complex_to_complex("fft", 1), "fft2": complex_to_complex("fft2", 2),
            "ifft2": complex_to_complex("ifft2", 2), "rfft": rfft, "irfft": irfft}
