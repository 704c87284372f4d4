"""Keras ``BatchNormalization``, ``LayerNormalization``, ``GroupNormalization``, ``RMSNormalization`` and the
preprocessing ``Normalization``.

Batch norm learns ``gamma``/``beta`` and keeps ``moving_mean``/``moving_variance`` (non-trainable) per
channel; layer norm learns ``gamma``/``beta`` over the sizes of ``axis``; group norm per channel;
``Normalization`` keeps ``mean``/``variance`` over the kept axes and a ``count`` as non-trainable weights,
unless ``mean`` and ``variance`` are given as constants (then it has no weights at all).

Batch, layer, group and RMS norm are the rules of :mod:`nncalc.layers.normalization` (a ``_rule``, ``_spec`` and
``_pinned``); batch norm's ``renorm`` statistics are Keras's own, added beside the rule's. ``Normalization`` is a
preprocessing layer whose weights are statistics learned by ``adapt`` (or none), Keras's alone: no rule.
"""

from __future__ import annotations

from nncalc.frameworks.keras.builtin import BuiltinLayer
from nncalc.frameworks.keras.errors import KerasTypeError, KerasValueError, shape_text
from nncalc.frameworks.keras.preprocessing import Adaptable
from nncalc.layers.base import Term, axis_names, divisors, terms_formula
from nncalc.layers.normalization import (
    BATCH_NORM,
    GROUP_NORM,
    LAYER_NORM,
    RMS_NORM,
    BatchNormSpec,
    GroupNormSpec,
    LayerNormSpec,
    feature_stats_terms,
)


def _axis_label(axis: int, rank: int) -> str:
    """How formulas name an axis of a batch-first input: ``features``, ``C``, or a spatial name."""
    if axis == rank - 1:
        return "features" if rank == 2 else "C"
    return axis_names(rank - 2)[axis - 1] if 0 < axis < rank - 1 else f"axis{axis}"


def _kept_axes(axes, shape: tuple, what: str) -> tuple[int, ...]:
    rank = len(shape)
    for axis in axes:
        if not -rank <= axis < rank:
            raise KerasValueError(f"Axis {axis} is out of bounds for input shape {shape_text(shape)}. "
                                  f"Received: axis={what}")
    kept = tuple(sorted(a % rank for a in axes))
    for axis in kept:
        if shape[axis] is None:
            raise KerasValueError(
                f"Axis {axis} of input tensor should have a defined dimension but the layer received an input with "
                f"shape {shape_text(shape)}.",
                hint="give keras.Input a fixed size on that axis",
            )
    return kept


def _int_or_ints(axis, what: str):
    if isinstance(axis, (list, tuple)) and all(isinstance(a, int) and not isinstance(a, bool) for a in axis):
        return list(axis)
    if isinstance(axis, int) and not isinstance(axis, bool):
        return axis
    raise KerasTypeError(f"Expected an int or a list/tuple of ints for the argument 'axis', but received: {axis!r}",
                         hint=f"{what}(axis=-1) normalises the last axis")


class _Normalizing(BuiltinLayer):
    """A layer on a normalisation rule, whose output is its input at no cost whatever the spec: a call needs no
    spec, so a layer called again on sizes the input check reports goes on as if they were right."""

    def _forward(self, shape: tuple):
        return self._rule.output(None, shape), [], self._rule.macs(None, shape)


class BatchNormalization(_Normalizing):
    """``keras.layers.BatchNormalization``: ``gamma``/``beta`` trainable, ``moving_mean``/``moving_variance``
    non-trainable parameters (Keras counts them in the total), all of size C = the input's ``axis``."""

    _rule = BATCH_NORM

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise KerasValueError(f"BatchNormalization takes one integer axis. Received: axis={axis!r}",
                                  hint="for several axes use keras.layers.LayerNormalization or reshape first")
        self.axis = axis
        self.momentum, self.epsilon = momentum, epsilon
        self.center, self.scale, self.renorm = bool(center), bool(scale), bool(renorm)

    def _spec(self, shape) -> BatchNormSpec:
        rank = len(shape)
        if not -rank <= self.axis < rank:
            raise KerasValueError(f"axis {self.axis} is out of range for an input of rank {rank} {shape_text(shape)}",
                                  hint="axis=-1 normalises the channels of channels-last inputs; axis=1 channels-first")
        channels = shape[self.axis]
        if channels is None:
            raise KerasValueError(f"Axis {self.axis} of input tensor should have a defined dimension but the layer "
                                  f"received an input with shape {shape_text(shape)}.")
        return BatchNormSpec(channels, self.scale, self.center, axis=self.axis % rank)

    def _pinned(self, spec: BatchNormSpec) -> dict:
        return {spec.axis: spec.channels}

    def _weights_for(self, shape):
        terms, formula, pinned = super()._weights_for(shape)
        if self.renorm:  # renormalisation's statistics are Keras's alone, beside the rule's
            dims = (("C", pinned[self.axis % len(shape)]),)
            terms = terms + [Term(role, dims, statistic=True)
                             for role in ("moving_stddev", "renorm_mean", "renorm_stddev")]
            formula = terms_formula(terms)
        return terms, formula, pinned


class LayerNormalization(_Normalizing):
    """``keras.layers.LayerNormalization``: ``gamma`` and ``beta`` of the sizes of ``axis`` (the last by default)."""

    _rule = LAYER_NORM

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        rms_scaling = bool(kwargs.pop("rms_scaling", False))
        super().__init__(**kwargs)
        self.axis = _int_or_ints(axis, "LayerNormalization")
        self.epsilon = epsilon
        self.center, self.scale, self.rms_scaling = bool(center), bool(scale), rms_scaling

    def _spec(self, shape) -> LayerNormSpec:
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        kept = _kept_axes(axes, shape, repr(self.axis))
        return _layer_norm_spec(shape, kept, self.scale or self.rms_scaling, self.center and not self.rms_scaling)

    def _pinned(self, spec: LayerNormSpec) -> dict:
        return dict(zip(spec.axes, spec.shape))


def _layer_norm_spec(shape: tuple, kept: tuple, scale: bool, center: bool) -> LayerNormSpec:
    """Layer (or RMS) norm over the ``kept`` axes of a batch-first input of ``shape``."""
    names = tuple(_axis_label(a, len(shape)) for a in kept)
    return LayerNormSpec(tuple(shape[a] for a in kept), scale, center, names, tuple(kept))


class GroupNormalization(_Normalizing):
    """``keras.layers.GroupNormalization(groups=32, axis=-1)``: ``gamma``/``beta`` per channel; ``groups`` must
    divide the channels (``-1``: one group per channel)."""

    _rule = GROUP_NORM

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(groups, bool) or not isinstance(groups, int) or (groups < 1 and groups != -1):
            raise KerasValueError(f"`groups` must be a positive int or -1. Received: groups={groups!r}")
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise KerasValueError(f"GroupNormalization takes one integer axis. Received: axis={axis!r}")
        self.groups, self.axis, self.epsilon = groups, axis, epsilon
        self.center, self.scale = bool(center), bool(scale)

    def _spec(self, shape) -> GroupNormSpec:
        (axis,) = _kept_axes([self.axis], shape, repr(self.axis))
        channels = shape[axis]
        groups = channels if self.groups == -1 else self.groups
        if channels < groups:
            raise KerasValueError(
                f"Number of groups ({groups}) cannot be more than the number of channels ({channels}).",
                hint=f"use groups that divide {channels}, e.g. groups={_largest_divisor(channels, groups)}",
            )
        if channels % groups:
            raise KerasValueError(
                f"Number of groups ({groups}) must be a multiple of the number of channels ({channels}).",
                hint=f"use groups that divide {channels}, e.g. groups={_largest_divisor(channels, groups)}",
            )
        return GroupNormSpec(channels, groups, self.scale, self.center, _axis_label(axis, len(shape)), axis)

    _pinned = BatchNormalization._pinned


def _largest_divisor(channels: int, limit: int) -> int:
    return max(d for d in divisors(channels) if d <= limit)


class Normalization(Adaptable, BuiltinLayer):
    """``keras.layers.Normalization(axis=-1, mean=None, variance=None)``: ``(x − mean) / √variance`` per element
    of the kept axes. Without ``mean``/``variance`` it holds ``mean``, ``variance`` (the kept axes' sizes) and a
    scalar ``count``, all non-trainable; with them, constants and no weights."""

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            self.axis = ()
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = (axis,)
        else:
            self.axis = tuple(_int_or_ints(axis, "Normalization"))
        if (mean is None) != (variance is None):
            raise KerasValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={mean!r} and variance={variance!r}"
            )
        if 0 in self.axis:
            raise KerasValueError("The argument 'axis' may not be 0. Received: axis=0",
                                  hint="axis 0 is the batch; axis=-1 keeps the features")
        self.mean, self.variance, self.invert = mean, variance, bool(invert)

    def _weights_for(self, shape):
        if self.mean is not None:
            return [], None, {}
        rank = len(shape)
        if any(not -rank <= a < rank for a in self.axis):
            raise KerasValueError(f"All `axis` values must be in the range [-ndim, ndim). Received inputs with "
                                  f"ndim={rank}, while axis={self.axis}")
        kept = tuple(sorted(a % rank for a in self.axis))
        for axis in kept:
            if shape[axis] is None:
                raise KerasValueError(
                    f"All `axis` values to be kept must have a known shape. Received axis={self.axis}, "
                    f"inputs.shape={shape_text(shape)}, with unknown axis at index {axis}"
                )
        terms = feature_stats_terms(tuple(shape[a] for a in kept), tuple(_axis_label(a, rank) for a in kept))
        return terms, terms_formula(terms), {a: shape[a] for a in kept}


class RMSNormalization(_Normalizing):
    """``keras.layers.RMSNormalization(axis=-1, epsilon=1e-6)``: ``x / rms(x) × scale``, ``scale`` of the sizes of
    ``axis``."""

    _rule = RMS_NORM

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = _int_or_ints(axis, "RMSNormalization")
        self.epsilon = epsilon

    def _spec(self, shape) -> LayerNormSpec:
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        kept = _kept_axes(axes, shape, repr(self.axis))
        if isinstance(self.axis, list):
            kept = tuple(a % len(shape) for a in sorted(axes))  # Keras sorts the axes as given, negatives first
        return _layer_norm_spec(shape, kept, True, False)

    _pinned = LayerNormalization._pinned


CLASSES = [BatchNormalization, LayerNormalization, GroupNormalization, Normalization, RMSNormalization]
