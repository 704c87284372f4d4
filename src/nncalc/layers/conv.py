"""Convolutions of any rank: output size, weight terms, parameter formula and MACs.

Parameters: ``(k_h × k_w × C_in / groups + 1) × filters`` (without the ``+ 1`` when there is no bias).
MACs per call: output positions × filters × (k_h × k_w × C_in / groups).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from nncalc.errors import ShapeError
from nncalc.formula import Expr, exact_div, product, sym
from nncalc.layers.base import Term, axis_names, check_positive, kernel_names, positions, sliding_window


@dataclass(frozen=True)
class ConvSpec:
    """A convolution in canonical form, whatever framework declared it.

    ``padding`` is ``'valid'``, ``'same'`` or one (before, after) pair per spatial axis.
    """

    rank: int
    in_channels: int
    filters: int
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: "str | tuple[tuple[int, int], ...]"
    dilation: tuple[int, ...]
    groups: int = 1
    bias: bool = True

    def __post_init__(self):
        if self.groups < 1 or self.in_channels % self.groups or self.filters % self.groups:
            raise ShapeError(
                f"in_channels ({self.in_channels}) and filters ({self.filters}) must both be divisible by "
                f"groups ({self.groups})"
            )
        for name in ("kernel", "stride", "dilation"):
            if any(v < 1 for v in getattr(self, name)):
                raise ShapeError(f"{name} must be positive. Received: {name}={getattr(self, name)}")


def _channels_in(spec: ConvSpec) -> Expr:
    c_in = sym("C_in", spec.in_channels)
    return exact_div(c_in, sym("groups", spec.groups)) if spec.groups > 1 else c_in


def conv_terms(spec: ConvSpec) -> list[Term]:
    """``kernel (k…, C_in/groups, filters)`` and, with bias, ``bias (filters)``."""
    c_name = "C_in/groups" if spec.groups > 1 else "C_in"
    dims = tuple(zip(kernel_names(spec.rank), spec.kernel)) + (
        (c_name, spec.in_channels // spec.groups),
        ("filters", spec.filters),
    )
    terms = [Term("kernel", dims)]
    if spec.bias:
        terms.append(Term("bias", (("filters", spec.filters),)))
    return terms


def conv_params_formula(spec: ConvSpec) -> Expr:
    """The seed's formula: ``(k_h × k_w × C_in + 1) × filters``."""
    per_filter = product([sym(n, k) for n, k in zip(kernel_names(spec.rank), spec.kernel)] + [_channels_in(spec)])
    if spec.bias:
        per_filter = per_filter + 1
    return per_filter * sym("filters", spec.filters)


def conv_output(spec: ConvSpec, spatial: tuple[int | None, ...]) -> tuple[tuple[int | None, ...], list[tuple[str, Expr]]]:
    """Output spatial sizes and one formula per axis."""
    if len(spatial) != spec.rank:
        raise ShapeError(f"a {spec.rank}D convolution needs {spec.rank} spatial dimensions, got {len(spatial)}")
    sizes, formulas = [], []
    for i, axis in enumerate(axis_names(spec.rank)):
        padding = spec.padding if isinstance(spec.padding, str) else spec.padding[i]
        out, formula = sliding_window(spatial[i], spec.kernel[i], spec.stride[i], padding, spec.dilation[i], axis=axis)
        check_positive(out, axis, spatial[i], f"a {spec.kernel[i]}-wide convolution")
        sizes.append(out)
        formulas.append((axis, formula))
    return tuple(sizes), formulas


def conv_macs(spec: ConvSpec, batch: int | None, out_spatial: tuple[int | None, ...]) -> int:
    """Multiply-accumulates of one call, bias excluded."""
    return positions((batch, *out_spatial)) * spec.filters * prod(spec.kernel) * (spec.in_channels // spec.groups)
