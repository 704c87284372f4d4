"""Layers that change spatial sizes without weights: upsampling (nearest, linear…), padding and cropping.
No weights, no MACs (interpolation is counted apart from multiply-accumulates).

Output sizes per axis:

* upsampling by a factor: ``H_out = ⌊H_in × scale_h⌋`` (an integer factor: ``H_in × scale_h``); to a size:
  ``H_out = size_h``;
* padding: ``H_out = H_in + p_h_before + p_h_after`` (``H_in + 2 × p_h`` when both sides are equal); a negative
  padding crops, as PyTorch's ``F.pad`` allows;
* cropping: ``H_out = H_in − c_h_before − c_h_after``.
"""

from __future__ import annotations

import math

from nncalc.errors import ShapeError
from nncalc.formula import Expr, Num, sym
from nncalc.layers.base import axis_names


def as_pairs(value, rank: int, name: str = "padding") -> "tuple[tuple[int, int], ...]":
    """Keras-style per-axis (before, after) pairs: ``1`` → ``((1, 1), (1, 1))``; ``(1, 2)`` → ``((1, 1),
    (2, 2))``; ``((1, 2), (3, 4))`` stays. Anything else is an error naming ``name``."""

    def is_int(v) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    if is_int(value):
        return ((value, value),) * rank
    if isinstance(value, (tuple, list)) and len(value) == rank:
        pairs = []
        for item in value:
            if is_int(item):
                pairs.append((item, item))
            elif isinstance(item, (tuple, list)) and len(item) == 2 and all(is_int(v) for v in item):
                pairs.append((item[0], item[1]))
            else:
                break
        else:
            return tuple(pairs)
    raise ShapeError(
        f"`{name}` should be an int, a tuple of {rank} ints or a tuple of {rank} (before, after) pairs. "
        f"Received: {name}={value!r}"
    )


def _check_spatial(spatial: tuple, count: int, what: str) -> None:
    if len(spatial) != count:
        values = "1 value" if count == 1 else f"{count} values"
        raise ShapeError(f"{what} has {values}, but the input has {len(spatial)} spatial dimensions")


def upsample_output(
    spatial: tuple[int | None, ...], size: tuple | None = None, scale: tuple | None = None
) -> tuple[tuple[int | None, ...], list[tuple[str, Expr]]]:
    """Output sizes of an upsampling (or any resize) to ``size`` or by ``scale`` (one per axis), with formulas.

    A factor may be a float: the output is ``⌊H_in × scale⌋`` as PyTorch computes it; exactly one of ``size``
    and ``scale`` is given.
    """
    if (size is None) == (scale is None):
        raise ShapeError("either size or scale_factor should be defined, not both and not neither")
    names = axis_names(len(spatial))
    sizes, formulas = [], []
    if size is not None:
        _check_spatial(spatial, len(size), "the output size")
        for axis, wanted in zip(names, size):
            if wanted is None or wanted < 1:
                raise ShapeError(f"the output size along {axis} must be a positive int. Received: {wanted!r}")
            sizes.append(wanted)
            formulas.append((axis, sym(f"{axis}_out", wanted)))
        return tuple(sizes), formulas
    _check_spatial(spatial, len(scale), "the scale factor")
    for axis, factor, n in zip(names, scale, spatial):
        if not isinstance(factor, (int, float)) or isinstance(factor, bool) or factor <= 0:
            raise ShapeError(f"the scale factor along {axis} must be a positive number. Received: {factor!r}")
        n_in = sym(f"{axis}_in", n)
        label = f"scale_{axis.lower()}"
        if float(factor).is_integer():
            formula = n_in * sym(label, int(factor))
            out = formula.value
        else:
            out = None if n is None else math.floor(n * factor)
            from fractions import Fraction  # lazily: only fractional scale factors need it (and decimal)

            ratio = Fraction(factor).limit_denominator(1000)
            formula = (n_in * Num(ratio.numerator)) // Num(ratio.denominator)
            if formula.value != out:
                formula = sym(f"{axis}_out", out)
        if out is not None and out < 1:
            raise ShapeError(
                f"upsampling {axis} = {n} by {factor} leaves no output",
                hint="use a larger input or a larger scale factor",
            )
        sizes.append(out)
        formulas.append((axis, formula))
    return tuple(sizes), formulas


def _grow(n_in: Expr, before: int, after: int, label: str, sign: int) -> Expr:
    """``n_in ± 2 × p`` or ``n_in ± p_before ± p_after`` (zero sides left out)."""
    if before == after:
        if not before:
            return n_in
        part: Expr = Num(2) * sym(label, abs(before))
        return n_in + part if (before > 0) == (sign > 0) else n_in - part
    formula = n_in
    for side, amount in (("before", before), ("after", after)):
        if amount:
            term = sym(f"{label}_{side}", abs(amount))
            formula = formula + term if (amount > 0) == (sign > 0) else formula - term
    return formula


def pad_output(
    spatial: tuple[int | None, ...], pads: "tuple[tuple[int, int], ...]"
) -> tuple[tuple[int | None, ...], list[tuple[str, Expr]]]:
    """Output sizes after padding each axis by (before, after), with formulas; negative amounts crop."""
    _check_spatial(spatial, len(pads), "the padding")
    sizes, formulas = [], []
    for axis, (before, after), n in zip(axis_names(len(spatial)), pads, spatial):
        formula = _grow(sym(f"{axis}_in", n), before, after, f"p_{axis.lower()}", +1)
        out = formula.value
        if out is not None and out < 0:
            raise ShapeError(
                f"padding ({before}, {after}) of {axis} = {n} gives {out}: the resulting padded dimension is invalid",
                hint="a negative padding crops; it cannot remove more than the input has",
            )
        sizes.append(out)
        formulas.append((axis, formula))
    return tuple(sizes), formulas


def check_reflection_padding(spatial: tuple[int | None, ...], pads: "tuple[tuple[int, int], ...]") -> None:
    """Reflection padding mirrors the input without its edge: each amount must be less than the input's size."""
    for axis, (before, after), n in zip(axis_names(len(spatial)), pads, spatial):
        if n is not None and max(before, after) >= n:
            raise ShapeError(
                f"reflection padding ({before}, {after}) needs {axis} > {max(before, after)}, but the input has "
                f"{axis} = {n}: padding size should be less than the corresponding input dimension",
                hint="use replicate or zero padding, or pad less",
            )


def crop_output(
    spatial: tuple[int | None, ...], crops: "tuple[tuple[int, int], ...]"
) -> tuple[tuple[int | None, ...], list[tuple[str, Expr]]]:
    """Output sizes after cropping (before, after) from each axis, with formulas; nothing may be left over."""
    _check_spatial(spatial, len(crops), "the cropping")
    sizes, formulas = [], []
    for axis, (before, after), n in zip(axis_names(len(spatial)), crops, spatial):
        if before < 0 or after < 0:
            raise ShapeError(f"cropping must not be negative. Received: ({before}, {after}) for {axis}")
        formula = _grow(sym(f"{axis}_in", n), before, after, f"c_{axis.lower()}", -1)
        out = formula.value
        if out is not None and out < 1:
            raise ShapeError(
                f"cropping ({before}, {after}) removes all of {axis} = {n}: the cropping is too large",
                hint=f"crop fewer than {n} elements in total along {axis}",
            )
        sizes.append(out)
        formulas.append((axis, formula))
    return tuple(sizes), formulas
