"""Normalisation layers. Batch norm learns a scale (γ) and shift (β) per channel and keeps a running mean
and variance: Keras counts those two as non-trainable parameters, PyTorch as buffers (not parameters).
Layer norm learns γ and β over the normalised shape, group norm per channel, instance norm per channel when
affine. None of them changes the shape.

Parameters: batch, group and (affine) instance norm ``2 × C``; layer norm ``2 × normalized_shape``.
"""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.layers.base import Term, divisors


def _affine(dims: tuple, scale: bool, center: bool) -> list[Term]:
    """The learned scale ``gamma`` and shift ``beta`` over ``dims``, each when asked for."""
    return ([Term("gamma", dims)] if scale else []) + ([Term("beta", dims)] if center else [])


def _running_stats(dims: tuple) -> list[Term]:
    """The running ``moving_mean`` and ``moving_variance`` over ``dims`` (statistics, not learned)."""
    return [Term("moving_mean", dims, statistic=True), Term("moving_variance", dims, statistic=True)]


def batch_norm_terms(channels: int, scale: bool = True, center: bool = True, name: str = "C") -> list[Term]:
    """``gamma (C)``, ``beta (C)`` when learned, then the statistics ``moving_mean (C)``, ``moving_variance (C)``."""
    dims = ((name, channels),)
    return _affine(dims, scale, center) + _running_stats(dims)


def layer_norm_terms(
    shape: tuple[int, ...], scale: bool = True, center: bool = True, names: tuple[str, ...] | None = None
) -> list[Term]:
    """Layer norm over the trailing ``shape`` (PyTorch ``normalized_shape``, Keras the sizes of ``axis``):
    ``gamma (shape)`` and ``beta (shape)`` when learned; no statistics. ``names`` name the dims in formulas
    (default ``normalized_shape`` for one dim, ``d0, d1, …`` for several)."""
    if names is None:
        names = ("normalized_shape",) if len(shape) == 1 else tuple(f"d{i}" for i in range(len(shape)))
    return _affine(tuple(zip(names, shape)), scale, center)


def check_groups(channels: int, groups: int) -> None:
    """Group norm splits the channels into ``groups`` equal groups: a ShapeError unless ``groups`` divides them."""
    if not isinstance(groups, int) or groups < 1 or channels % groups:
        raise ShapeError(
            f"num_channels ({channels}) must be divisible by num_groups ({groups})",
            hint="choose a number of groups that divides the channels, e.g. "
            + ", ".join(str(g) for g in divisors(channels)[-4:]),
        )


def group_norm_terms(channels: int, groups: int, scale: bool = True, center: bool = True, name: str = "C") -> list[Term]:
    """Group norm: ``gamma (C)`` and ``beta (C)`` per channel when learned (not per group), no statistics;
    checks that ``groups`` divides ``channels``."""
    check_groups(channels, groups)
    return _affine(((name, channels),), scale, center)


def instance_norm_terms(
    channels: int, affine: bool = False, track_running_stats: bool = False, name: str = "C"
) -> list[Term]:
    """Instance norm (PyTorch's default: neither): ``gamma (C)``, ``beta (C)`` when ``affine``, then the
    statistics ``moving_mean (C)``, ``moving_variance (C)`` when ``track_running_stats``."""
    dims = ((name, channels),)
    return _affine(dims, affine, affine) + (_running_stats(dims) if track_running_stats else [])


def feature_stats_terms(shape: tuple[int, ...], names: tuple[str, ...]) -> list[Term]:
    """Statistics a standardising layer learns from data (Keras ``Normalization`` before ``adapt``):
    ``mean (shape)``, ``variance (shape)`` over the kept axes and a scalar sample ``count``."""
    dims = tuple(zip(names, shape))
    return [Term("mean", dims, statistic=True), Term("variance", dims, statistic=True), Term("count", (), statistic=True)]
