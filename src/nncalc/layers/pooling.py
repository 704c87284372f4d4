"""Pooling: windowed (max, average), adaptive and global. No weights, no MACs (pooling compares or adds;
it is counted apart from multiply-accumulates).

The rules (:data:`POOL`, :data:`ADAPTIVE_POOL`, :data:`GLOBAL_POOL`, :data:`MAX_UNPOOL`,
:data:`FRACTIONAL_MAX_POOL`) take canonical shapes, batch first and channels last: ``(N, *spatial, C)``.
"""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.formula import Expr, Num, sym
from nncalc.layers.base import axis_names, check_positive, sliding_window
from nncalc.layers.rule import Rule, register
from nncalc.records import dataclass


@dataclass(frozen=True)
class PoolSpec:
    """A windowed pooling in canonical form. ``padding``: ``'valid'``, ``'same'`` or (before, after) per axis."""

    rank: int
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: "str | tuple[tuple[int, int], ...]"
    dilation: tuple[int, ...] = ()
    ceil_mode: bool = False

    def __post_init__(self):
        if not isinstance(self.padding, str):
            for k, (before, after) in zip(self.kernel, self.padding):
                if max(before, after) * 2 > k:
                    raise ShapeError(
                        f"pad should be at most half of effective kernel size, but got pad={max(before, after)}, "
                        f"kernel_size={k}"
                    )


def pool_output(spec: PoolSpec, spatial: tuple[int | None, ...]) -> tuple[tuple[int | None, ...], list[tuple[str, Expr]]]:
    """Output spatial sizes of a windowed pooling and one formula per axis."""
    if len(spatial) != spec.rank:
        raise ShapeError(f"a {spec.rank}D pooling needs {spec.rank} spatial dimensions, got {len(spatial)}")
    dilation = spec.dilation or (1,) * spec.rank
    sizes, formulas = [], []
    for i, axis in enumerate(axis_names(spec.rank)):
        padding = spec.padding if isinstance(spec.padding, str) else spec.padding[i]
        out, formula = sliding_window(
            spatial[i], spec.kernel[i], spec.stride[i], padding, dilation[i], spec.ceil_mode, axis=axis
        )
        check_positive(out, axis, spatial[i], f"a {spec.kernel[i]}-wide pooling")
        sizes.append(out)
        formulas.append((axis, formula))
    return tuple(sizes), formulas


def adaptive_output(output_size: tuple, spatial: tuple[int | None, ...]) -> tuple[tuple[int | None, ...], list[tuple[str, Expr]]]:
    """Adaptive pooling: the requested size per axis (``None`` keeps the input's)."""
    if len(output_size) != len(spatial):
        raise ShapeError(f"adaptive pooling output_size {output_size} does not match {len(spatial)} spatial dims")
    sizes = tuple(s if o is None else o for o, s in zip(output_size, spatial))
    names = axis_names(len(spatial))
    return sizes, [(a, sym(f"{a}_out", s)) for a, s in zip(names, sizes)]


def global_output(spatial: tuple[int | None, ...], keepdims: bool) -> tuple[int, ...]:
    """Global pooling: every spatial axis reduced to 1 (kept) or removed."""
    return (1,) * len(spatial) if keepdims else ()


@dataclass(frozen=True)
class AdaptiveSpec:
    """An adaptive pooling: the output size per spatial axis (None keeps the input's)."""

    output_size: tuple


@dataclass(frozen=True)
class GlobalSpec:
    """A global pooling over ``rank`` spatial axes, each reduced to 1 (``keepdims``) or removed."""

    rank: int
    keepdims: bool = False


def _spatial(shape: tuple) -> tuple:
    """The spatial sizes of a canonical ``(N, *spatial, C)`` shape."""
    return tuple(shape[1:-1])


def _no_weights(spec) -> list:
    return []


def _no_macs(spec, shape: tuple) -> int:
    return 0


def _no_params(spec) -> Expr:
    """Pooling holds no weights: its formula is 0."""
    return Num(0)


def adaptive_window(spatial: tuple, sizes: tuple) -> PoolSpec | None:
    """Adaptive (and global) pooling as a window: ``k = s = n / out`` when every axis divides evenly, else None
    (its windows then differ in size and the receptive field's chain ends)."""
    if any(n is None or o is None or not o or n % o for n, o in zip(spatial, sizes)):
        return None
    steps = tuple(n // o for n, o in zip(spatial, sizes))
    return PoolSpec(len(steps), steps, steps, "valid")


def _adaptive_sizes(spec: AdaptiveSpec, shape: tuple) -> tuple:
    return adaptive_output(spec.output_size, _spatial(shape))[0]


POOL = register(Rule(
    "pool", _no_weights, lambda spec, shape: (shape[0], *pool_output(spec, _spatial(shape))[0], shape[-1]),
    _no_macs, _no_params,
    shape_formulas=lambda spec, shape: pool_output(spec, _spatial(shape))[1],
    window=lambda spec, shape: spec,
))
"""Max, average and power-average pooling (``nn.MaxPool2d``, ``nn.AvgPool2d``, ``nn.LPPool2d``,
``keras.layers.MaxPooling2D``, ``AveragePooling2D``…): a :class:`PoolSpec`."""

ADAPTIVE_POOL = register(Rule(
    "adaptive_pool", _no_weights, lambda spec, shape: (shape[0], *_adaptive_sizes(spec, shape), shape[-1]),
    _no_macs, _no_params,
    shape_formulas=lambda spec, shape: adaptive_output(spec.output_size, _spatial(shape))[1],
    window=lambda spec, shape: adaptive_window(_spatial(shape), _adaptive_sizes(spec, shape)),
))
"""``nn.AdaptiveAvgPool2d``, ``nn.AdaptiveMaxPool2d``, ``keras.layers.AdaptiveAveragePooling2D``…: an
:class:`AdaptiveSpec`."""

GLOBAL_POOL = register(Rule(
    "global_pool", _no_weights,
    lambda spec, shape: (shape[0], *global_output(_spatial(shape), spec.keepdims), shape[-1]),
    _no_macs, _no_params,
    window=lambda spec, shape: adaptive_window(_spatial(shape), (1,) * spec.rank),
))
"""``keras.layers.GlobalAveragePooling2D``, ``GlobalMaxPooling2D``…: a :class:`GlobalSpec`."""


def unpool_output(spatial: tuple, kernel: tuple, stride: tuple, padding: tuple) -> tuple[tuple, list[tuple[str, Expr]]]:
    """Max unpooling (the inverse of a max pooling): ``(in − 1) × s − 2 × p + k`` per axis, with its formula."""
    sizes, formulas = [], []
    for i, axis in enumerate(axis_names(len(spatial))):
        a = axis.lower()
        n_in = sym(f"{axis}_in", spatial[i])
        formula = (n_in - 1) * sym(f"s_{a}", stride[i]) + sym(f"k_{a}", kernel[i])
        if padding[i]:
            formula = formula - 2 * sym(f"p_{a}", padding[i])
        sizes.append(None if spatial[i] is None else (spatial[i] - 1) * stride[i] - 2 * padding[i] + kernel[i])
        formulas.append((axis, formula))
    return tuple(sizes), formulas


@dataclass(frozen=True)
class UnpoolSpec:
    """A max unpooling: per axis the kernel, stride and padding of the pooling it inverts, and the spatial
    ``output_size`` a call asks for (None: the inverse of the window's)."""

    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    output_size: "tuple[int, ...] | None" = None


def _unpooled(spec: UnpoolSpec, shape: tuple) -> tuple[tuple, list[tuple[str, Expr]]]:
    if spec.output_size is not None:
        return tuple(spec.output_size), []
    return unpool_output(_spatial(shape), spec.kernel, spec.stride, spec.padding)


MAX_UNPOOL = register(Rule(
    "max_unpool", _no_weights, lambda spec, shape: (shape[0], *_unpooled(spec, shape)[0], shape[-1]),
    _no_macs, _no_params, shape_formulas=lambda spec, shape: _unpooled(spec, shape)[1],
))
"""``nn.MaxUnpool1d/2d/3d``: an :class:`UnpoolSpec`."""


@dataclass(frozen=True)
class FractionalSpec:
    """A fractional max pooling (pseudo-random windows of ``kernel``): the ``output_size`` per axis, or the
    ``output_ratio`` per axis of the input's."""

    kernel: tuple[int, ...]
    output_size: "tuple[int, ...] | None" = None
    output_ratio: "tuple[float, ...] | None" = None


def fractional_output(spec: FractionalSpec, shape: tuple) -> tuple:
    """``(N, *spatial, C)`` → the requested sizes, or ``⌊in × ratio⌋``; every window must fit in the input."""
    spatial = _spatial(shape)
    if spec.output_size is not None:
        sizes = tuple(spec.output_size)
    else:
        sizes = tuple(int(size * ratio) for size, ratio in zip(spatial, spec.output_ratio))
    for axis, size, k, out in zip(axis_names(len(spatial)), spatial, spec.kernel, sizes):
        if out + k - 1 > size:
            raise ShapeError(f"pool size {k} along {axis} too large relative to input size {size} for an output "
                             f"of {out}")
    return (shape[0], *sizes, shape[-1])


FRACTIONAL_MAX_POOL = register(Rule("fractional_max_pool", _no_weights, fractional_output, _no_macs, _no_params))
"""``nn.FractionalMaxPool2d/3d``: a :class:`FractionalSpec`."""
