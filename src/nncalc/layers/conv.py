"""Convolutions of any rank, plain and transposed: output size, weight terms, parameter formula and MACs.

Parameters: ``(k_h × k_w × C_in / groups + 1) × filters`` (without the ``+ 1`` when there is no bias), the same
count for a transposed convolution, whose kernel only holds the two channel axes the other way round.
MACs per call: output positions × filters × (k_h × k_w × C_in / groups); for a transposed convolution every
INPUT position is spread over a window: input positions × C_in × (k_h × k_w × filters / groups).
"""

from __future__ import annotations

from math import prod

from nncalc.errors import ShapeError
from nncalc.formula import Expr, Num, exact_div, product, sym
from nncalc.layers.base import Term, axis_names, check_positive, kernel_names, positions, sliding_window
from nncalc.layers.rule import Rule, register
from nncalc.records import dataclass


@dataclass(frozen=True)
class ConvSpec:
    """A convolution in canonical form, whatever framework declared it.

    ``padding`` is ``'valid'``, ``'same'`` or one (before, after) pair per spatial axis.
    ``transposed`` marks a transposed convolution (``nn.ConvTranspose2d``, ``Conv2DTranspose``), whose
    ``output_padding`` adds to one side of the output: a tuple per axis, or None for Keras's default (the
    output is then ``H_in × s`` with ``'same'`` and ``(H_in − 1) × s + max(k, s)`` with ``'valid'``).
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
    transposed: bool = False
    output_padding: "tuple[int, ...] | None" = None

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
    """``kernel (k…, C_in/groups, filters)`` and, with bias, ``bias (filters)``.

    Transposed: ``kernel (k…, filters/groups, C_in)`` (Keras's layout; PyTorch's weight is
    ``(C_in, filters/groups, k…)``), the same number of weights.
    """
    kernel = tuple(zip(kernel_names(spec.rank), spec.kernel))
    if spec.transposed:
        f_name = "filters/groups" if spec.groups > 1 else "filters"
        dims = kernel + ((f_name, spec.filters // spec.groups), ("C_in", spec.in_channels))
    else:
        c_name = "C_in/groups" if spec.groups > 1 else "C_in"
        dims = kernel + ((c_name, spec.in_channels // spec.groups), ("filters", spec.filters))
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
    """Output spatial sizes and one formula per axis (a transposed spec uses :func:`transposed_window`)."""
    if len(spatial) != spec.rank:
        raise ShapeError(f"a {spec.rank}D convolution needs {spec.rank} spatial dimensions, got {len(spatial)}")
    sizes, formulas = [], []
    for i, axis in enumerate(axis_names(spec.rank)):
        padding = spec.padding if isinstance(spec.padding, str) else spec.padding[i]
        if spec.transposed:
            extra = None if spec.output_padding is None else spec.output_padding[i]
            out, formula = transposed_window(spatial[i], spec.kernel[i], spec.stride[i], padding, spec.dilation[i],
                                             extra, axis=axis)
            check_positive(out, axis, spatial[i], f"a {spec.kernel[i]}-wide transposed convolution")
        else:
            out, formula = sliding_window(spatial[i], spec.kernel[i], spec.stride[i], padding, spec.dilation[i],
                                          axis=axis)
            check_positive(out, axis, spatial[i], f"a {spec.kernel[i]}-wide convolution")
        sizes.append(out)
        formulas.append((axis, formula))
    return tuple(sizes), formulas


def conv_macs(spec: ConvSpec, batch: int | None, out_spatial: tuple[int | None, ...]) -> int:
    """Multiply-accumulates of one call of a plain convolution, bias excluded."""
    return positions((batch, *out_spatial)) * spec.filters * prod(spec.kernel) * (spec.in_channels // spec.groups)


def conv_transpose_macs(spec: ConvSpec, batch: int | None, in_spatial: tuple[int | None, ...]) -> int:
    """Multiply-accumulates of one call of a transposed convolution, bias excluded: each input position times
    its whole kernel, ``positions_in × C_in × k_h × k_w × filters / groups``."""
    return positions((batch, *in_spatial)) * spec.in_channels * prod(spec.kernel) * (spec.filters // spec.groups)


def _spatial_in(spec: ConvSpec, shape: tuple) -> tuple:
    """The spatial sizes of a canonical ``(N, *spatial, C)`` shape."""
    return tuple(shape[1:1 + spec.rank])


def conv_shape(spec: ConvSpec, shape: tuple) -> tuple:
    """``(N, *spatial, C_in)`` → ``(N, *spatial_out, filters)``: the rule's output, channels last."""
    return (shape[0], *conv_output(spec, _spatial_in(spec, shape))[0], spec.filters)


def conv_call_macs(spec: ConvSpec, shape: tuple) -> int:
    """The MACs of one call on a canonical ``(N, *spatial, C_in)`` input, plain or transposed."""
    spatial = _spatial_in(spec, shape)
    if spec.transposed:
        return conv_transpose_macs(spec, shape[0], spatial)
    return conv_macs(spec, shape[0], conv_output(spec, spatial)[0])


CONV = register(Rule(
    "conv", conv_terms, conv_shape, conv_call_macs, conv_params_formula,
    shape_formulas=lambda spec, shape: conv_output(spec, _spatial_in(spec, shape))[1],
    window=lambda spec, shape: spec,
))
"""``nn.Conv1d/2d/3d``, ``nn.ConvTranspose1d/2d/3d``, ``keras.layers.Conv1D/2D/3D`` and ``Conv*Transpose``."""


def transposed_window(
    size: int | None,
    kernel: int,
    stride: int,
    padding: "str | tuple[int, int]",
    dilation: int = 1,
    output_padding: int | None = 0,
    axis: str = "H",
) -> tuple[int | None, Expr]:
    """Output length of a transposed convolution along one axis, with its formula.

    Explicit (before, after) padding, as PyTorch: ``(H_in − 1) × s − 2 × p + d × (k − 1) + output_padding + 1``.
    Keras's ``'valid'``/``'same'``: with an ``output_padding``, ``(H_in − 1) × s + k_eff + output_padding``
    (``'same'``: ``k_eff mod 2`` in place of ``k_eff``); without one (None), ``(H_in − 1) × s + max(k_eff, s)``
    and ``H_in × s``; ``k_eff = d × (k − 1) + 1`` is the dilated kernel.
    """
    a = axis.lower()
    n_in, s = sym(f"{axis}_in", size), sym(f"s_{a}", stride)
    k = sym(f"k_{a}", kernel)
    k_eff: Expr = k if dilation == 1 else sym(f"d_{a}", dilation) * (k - 1) + 1
    dilated = dilation * (kernel - 1) + 1
    op = sym(f"output_padding_{a}", output_padding) if output_padding else None
    if (padding == "same" and output_padding is None) or (
        padding == "valid" and output_padding is None and stride > dilated
    ):
        formula = n_in * s
    elif padding == "same":
        formula = (n_in - 1) * s + Num(dilated % 2)
    else:
        before, after = (0, 0) if padding == "valid" else padding
        formula = (n_in - 1) * s
        if before == after and before:
            formula = formula - Num(2) * sym(f"p_{a}", before)
        elif before or after:
            formula = formula - sym(f"p_{a}_before", before) - sym(f"p_{a}_after", after)
        formula = formula + k_eff
    if op is not None:
        formula = formula + op
    return formula.value, formula


def depthwise_spec(rank: int, in_channels: int, multiplier: int, kernel, stride, padding, dilation,
                   bias: bool = True) -> ConvSpec:
    """A depthwise convolution: one group per input channel, ``multiplier`` filters each."""
    return ConvSpec(rank, in_channels, in_channels * multiplier, tuple(kernel), tuple(stride), padding,
                    tuple(dilation), groups=in_channels, bias=bias)


def pointwise_spec(rank: int, in_channels: int, filters: int, bias: bool = True) -> ConvSpec:
    """The 1×1 convolution that mixes channels after a depthwise one (separable convolutions)."""
    return ConvSpec(rank, in_channels, filters, (1,) * rank, (1,) * rank, "valid", (1,) * rank, bias=bias)


def _multiplier(spec: ConvSpec) -> int:
    return spec.filters // spec.in_channels


def _depthwise_dims(spec: ConvSpec) -> tuple:
    return tuple(zip(kernel_names(spec.rank), spec.kernel)) + (
        ("C_in", spec.in_channels), ("depth_multiplier", _multiplier(spec)))


def _depthwise_weights(spec: ConvSpec) -> Expr:
    """``k_h × k_w × C_in × depth_multiplier`` (the multiplier left out when it is 1)."""
    factors = [sym(n, k) for n, k in zip(kernel_names(spec.rank), spec.kernel)]
    return product(factors + _channel_factors(spec))


def _channel_factors(spec: ConvSpec) -> list:
    factors = [sym("C_in", spec.in_channels)]
    if _multiplier(spec) != 1:
        factors.append(sym("depth_multiplier", _multiplier(spec)))
    return factors


def depthwise_terms(spec: ConvSpec, role: str = "kernel") -> list[Term]:
    """A depthwise ``spec`` (groups = C_in) in Keras's layout: ``kernel (k…, C_in, depth_multiplier)`` and,
    with bias, ``bias (C_in × depth_multiplier)``."""
    terms = [Term(role, _depthwise_dims(spec))]
    if spec.bias:
        terms.append(Term("bias", (("C_in×depth_multiplier", spec.filters),)))
    return terms


def depthwise_params_formula(spec: ConvSpec) -> Expr:
    """``(k_h × k_w + 1) × C_in × depth_multiplier``: one k_h × k_w filter (and bias) per output channel."""
    per_channel = product([sym(n, k) for n, k in zip(kernel_names(spec.rank), spec.kernel)])
    if spec.bias:
        per_channel = per_channel + 1
    return product([per_channel] + _channel_factors(spec))


def separable_terms(depthwise: ConvSpec, pointwise: ConvSpec) -> list[Term]:
    """``depthwise_kernel (k…, C_in, depth_multiplier)``, ``pointwise_kernel (1…, C_in × depth_multiplier,
    filters)`` and, with bias, ``bias (filters)``."""
    ones = tuple(("1", 1) for _ in range(pointwise.rank))
    terms = [
        Term("depthwise_kernel", _depthwise_dims(depthwise)),
        Term("pointwise_kernel", ones + (("C_in×depth_multiplier", pointwise.in_channels),
                                         ("filters", pointwise.filters))),
    ]
    if pointwise.bias:
        terms.append(Term("bias", (("filters", pointwise.filters),)))
    return terms


def separable_params_formula(depthwise: ConvSpec, pointwise: ConvSpec) -> Expr:
    """``k_h × k_w × C_in × depth_multiplier + (C_in × depth_multiplier + 1) × filters``."""
    mixed: Expr = product(_channel_factors(depthwise))
    if pointwise.bias:
        mixed = mixed + 1
    return _depthwise_weights(depthwise) + mixed * sym("filters", pointwise.filters)


DEPTHWISE_CONV = register(Rule(
    "depthwise_conv", depthwise_terms, conv_shape, conv_call_macs, depthwise_params_formula,
    shape_formulas=lambda spec, shape: conv_output(spec, _spatial_in(spec, shape))[1],
    window=lambda spec, shape: spec,
))
"""``keras.layers.DepthwiseConv1D/2D`` (a ``ConvSpec`` with one group per input channel)."""


@dataclass(frozen=True)
class SeparableSpec:
    """A separable convolution: its depthwise step, then the pointwise (1×1) step to the filters."""

    depthwise: ConvSpec
    pointwise: ConvSpec


def _separable_shape(spec: SeparableSpec, shape: tuple) -> tuple:
    return (*conv_shape(spec.depthwise, shape)[:-1], spec.pointwise.filters)


def _separable_macs(spec: SeparableSpec, shape: tuple) -> int:
    out = conv_shape(spec.depthwise, shape)
    return conv_call_macs(spec.depthwise, shape) + conv_call_macs(spec.pointwise, out)


SEPARABLE_CONV = register(Rule(
    "separable_conv", lambda spec: separable_terms(spec.depthwise, spec.pointwise), _separable_shape,
    _separable_macs, lambda spec: separable_params_formula(spec.depthwise, spec.pointwise),
    shape_formulas=lambda spec, shape: conv_output(spec.depthwise, _spatial_in(spec.depthwise, shape))[1],
    window=lambda spec, shape: spec.depthwise,
))
"""``keras.layers.SeparableConv1D/2D``."""
