"""Normalisation layers. Batch norm learns a scale (γ) and shift (β) per channel and keeps a running mean
and variance: Keras counts those two as non-trainable parameters, PyTorch as buffers (not parameters).
Layer norm learns γ and β over the normalised shape, group norm per channel, instance norm per channel when
affine. None of them changes the shape.

Parameters: batch, group and (affine) instance norm ``2 × C``; layer norm ``2 × normalized_shape``.

One rule per kind (:data:`BATCH_NORM`, :data:`INSTANCE_NORM`, :data:`GROUP_NORM`, :data:`LAYER_NORM`,
:data:`RMS_NORM`): their terms are Keras's (``gamma``, ``beta``, the statistics ``moving_mean`` and
``moving_variance``); the output is the input (in any layout, whatever the spec) and costs no MACs.
"""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.layers.base import Term, divisors
from nncalc.layers.rule import Rule, register
from nncalc.records import dataclass


def _affine(dims: tuple, scale: bool, center: bool) -> list[Term]:
    """The learned scale ``gamma`` and shift ``beta`` over ``dims``, each when asked for."""
    return ([Term("gamma", dims)] if scale else []) + ([Term("beta", dims)] if center else [])


def _running_stats(dims: tuple) -> list[Term]:
    """The running ``moving_mean`` and ``moving_variance`` over ``dims`` (statistics, not learned)."""
    return [Term("moving_mean", dims, statistic=True), Term("moving_variance", dims, statistic=True)]


def batch_norm_terms(channels: int, scale: bool = True, center: bool = True, name: str = "C",
                     statistics: bool = True) -> list[Term]:
    """``gamma (C)``, ``beta (C)`` when learned, then the statistics ``moving_mean (C)``, ``moving_variance (C)``
    unless left out (PyTorch's ``track_running_stats=False``)."""
    dims = ((name, channels),)
    return _affine(dims, scale, center) + (_running_stats(dims) if statistics else [])


def _named(shape: tuple[int, ...], names: tuple[str, ...] | None) -> tuple:
    """The dims of a layer norm's weights: ``names`` paired with ``shape``, by default ``normalized_shape`` for
    one dim, ``d0, d1, …`` for several."""
    if names is None:
        names = ("normalized_shape",) if len(shape) == 1 else tuple(f"d{i}" for i in range(len(shape)))
    return tuple(zip(names, shape))


def layer_norm_terms(
    shape: tuple[int, ...], scale: bool = True, center: bool = True, names: tuple[str, ...] | None = None
) -> list[Term]:
    """Layer norm over the trailing ``shape`` (PyTorch ``normalized_shape``, Keras the sizes of ``axis``):
    ``gamma (shape)`` and ``beta (shape)`` when learned; no statistics. ``names`` name the dims in formulas
    (default ``normalized_shape`` for one dim, ``d0, d1, …`` for several)."""
    return _affine(_named(shape, names), scale, center)


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


def _same(spec, shape: tuple) -> tuple:
    """A normalisation's output: its input, in any layout."""
    return tuple(shape)


def _no_macs(spec, shape: tuple) -> int:
    """Normalisation is counted as no multiply-accumulates (as torchinfo and fvcore's defaults do)."""
    return 0


def _normalization(name: str, terms) -> Rule:
    """The registered rule ``name`` of weights ``terms(spec)``, whose output is its input at no cost."""
    return register(Rule(name, terms=terms, output=_same, macs=_no_macs))


@dataclass(frozen=True)
class BatchNormSpec:
    """Batch norm over ``channels``: ``gamma`` with ``scale``, ``beta`` with ``center``, the running statistics
    with ``statistics``; ``name`` names the channels in formulas, ``axis`` is the input axis they are on (batch
    first), which the weights pin."""

    channels: int
    scale: bool = True
    center: bool = True
    statistics: bool = True
    name: str = "C"
    axis: int = 1


BATCH_NORM = _normalization(
    "batch_norm", lambda spec: batch_norm_terms(spec.channels, spec.scale, spec.center, spec.name, spec.statistics))
"""``nn.BatchNorm1d/2d/3d``, ``nn.SyncBatchNorm``, ``keras.layers.BatchNormalization``."""


@dataclass(frozen=True)
class InstanceNormSpec:
    """Instance norm over ``channels``: ``gamma`` and (with ``bias``) ``beta`` when ``affine``, the running
    statistics with ``statistics`` (PyTorch's ``track_running_stats``)."""

    channels: int
    affine: bool = False
    statistics: bool = False
    bias: bool = True
    name: str = "C"


def _instance_norm_terms(spec: InstanceNormSpec) -> list[Term]:
    terms = instance_norm_terms(spec.channels, spec.affine, spec.statistics, spec.name)
    return [term for term in terms if spec.bias or term.role != "beta"]


INSTANCE_NORM = _normalization("instance_norm", _instance_norm_terms)
"""``nn.InstanceNorm1d/2d/3d``."""


@dataclass(frozen=True)
class GroupNormSpec:
    """Group norm of ``channels`` in ``groups`` groups (a ShapeError from the terms unless they divide them);
    ``axis`` is the input axis of the channels (batch first), which the weights pin."""

    channels: int
    groups: int
    scale: bool = True
    center: bool = True
    name: str = "C"
    axis: int = 1


GROUP_NORM = _normalization(
    "group_norm", lambda spec: group_norm_terms(spec.channels, spec.groups, spec.scale, spec.center, spec.name))
"""``nn.GroupNorm``, ``keras.layers.GroupNormalization``."""


@dataclass(frozen=True)
class LayerNormSpec:
    """Layer norm over the sizes ``shape`` of the input ``axes`` (batch first; the trailing ones in PyTorch),
    named ``names`` in formulas (None: :func:`layer_norm_terms`'s default)."""

    shape: tuple
    scale: bool = True
    center: bool = True
    names: tuple | None = None
    axes: tuple = ()


LAYER_NORM = _normalization("layer_norm", lambda spec: layer_norm_terms(spec.shape, spec.scale, spec.center, spec.names))
"""``nn.LayerNorm``, ``keras.layers.LayerNormalization`` (with ``rms_scaling``: ``gamma`` alone)."""


def rms_norm_terms(spec: LayerNormSpec) -> list[Term]:
    """RMS norm: a learned ``scale`` over ``shape`` (when ``spec.scale``), no shift, no statistics."""
    return [Term("scale", _named(spec.shape, spec.names))] if spec.scale else []


RMS_NORM = _normalization("rms_norm", rms_norm_terms)
"""``nn.RMSNorm``, ``keras.layers.RMSNormalization`` (a :class:`LayerNormSpec` without ``center``)."""
