"""What nncalc's own Keras layers share: the input check, the weights made from rule terms, the symbolic call.

A built-in layer defines ``_weights_for(shape)`` (rule terms, the parameter formula, the input axes the
weights pin down) and ``_forward(shape)`` (output shape, shape formulas, MACs); everything else is here.
"""

from __future__ import annotations

from nncalc.diagnostics import recoverable
from nncalc.errors import ShapeError
from nncalc.frameworks.common.variants import variant
from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.layer import Layer, flat_tensors
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.graph import Weight
from nncalc.layers.base import axis_names
from nncalc.receptive import window_for


class BuiltinLayer(Layer):
    """A layer with a rule: checked input, weights from rule terms, output computed at once."""

    _builtin = True
    _ndim: int | None = None  # the exact input rank (batch included) the layer takes, None for any
    _min_ndim = 0
    _keeps_dtype = False  # True for layers that only move values (Flatten, Reshape): the output keeps the input's dtype

    def __new__(cls, *args, **kwargs):
        self = super().__new__(cls, *args, **kwargs)
        self.__dict__["_axes"] = {}
        return self

    def __getattr__(self, name: str):
        """A built layer's weights by their Keras names: ``conv.kernel.shape``, ``bn.moving_mean``; ``bias`` is
        None for a layer built without one (``use_bias=False``), as in Keras."""
        weights = [] if name.startswith("_") else self.__dict__.get("_own_weights") or []
        found = next((weight for weight, _ in weights if weight.name == name), None)
        if found is not None:
            return found
        if name == "bias" and weights:
            return None
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def _layout(self) -> str:
        """The input layout for messages: ``(batch, H, W, C)``."""
        return ""

    _rule = None
    """The layer's rule (:mod:`nncalc.layers.rule`) when its weights, output and MACs are one rule's: the class then
    defines only ``_spec(shape)`` and ``_pinned(spec)`` (the input axes its weights fix)."""

    def _weights_for(self, shape: tuple):
        """(rule terms, parameter formula, {axis: size the weights pin down}) for an input of ``shape``."""
        if self._rule is None:
            return [], None, {}
        spec = self._spec(shape)
        return self._rule.terms(spec), self._rule.formula(spec), self._pinned(spec)

    def _forward(self, shape: tuple):
        """(output shape, shape formulas, MACs) for an input of ``shape``."""
        if self._rule is None:
            return tuple(shape), [], 0
        spec, canonical = self._spec(shape), self._canonical(shape)
        rule = self._rule
        return self._native(rule.output(spec, canonical)), rule.formulas(spec, canonical), rule.macs(spec, canonical)

    def _spec(self, shape: tuple):
        """The rule's spec for an input of ``shape`` (layers with a ``_rule``)."""
        raise NotImplementedError

    def _pinned(self, spec) -> dict:
        """{input axis: size} the weights built for ``spec`` fix (a Dense's last axis)."""
        return {}

    def _receptive_window(self, shape: tuple):
        """The sliding window the receptive field follows (:mod:`nncalc.receptive`): the rule's, if it has one (an
        adaptive pooling whose windows differ in size has none)."""
        rule = self._rule
        if rule is None or rule.window is None:
            return None
        canonical = self._canonical(shape)
        window = rule.window(self._spec(shape), canonical)
        return None if window is None else window_for(window, tuple(canonical[1:-1]))

    def _canonical(self, shape: tuple) -> tuple:
        """The input's shape as rules take it: batch first, channels last."""
        return tuple(shape)

    def _native(self, shape: tuple) -> tuple:
        """A rule's output shape in this layer's layout."""
        return tuple(shape)

    # ----- the Keras API ----------------------------------------------------------------------------------
    def build(self, input_shape=None) -> None:
        shape = tuple(input_shape)
        self._check_shape(shape)
        with _Context(self):
            terms, formula, axes = self._weights_for(shape)
        self._own_weights = [
            (Weight(t.role, t.shape, trainable=not t.statistic, dtype=self.variable_dtype), not t.statistic)
            for t in terms
        ]
        self._params_formula = formula if terms else None
        self._axes = axes
        self.built = True

    def call(self, inputs, *args, **kwargs):
        tensor = flat_tensors(inputs)[0]
        with _Context(self):
            shape, formulas, macs = self._forward(tensor.shape)
        self._record_cost(macs, formulas)
        return KerasTensor(shape, self._output_dtype(tensor))

    def _record_cost(self, macs: int, formulas) -> None:
        """Put the MACs and shape formulas of this call on its record."""
        record = self._state.current
        if record is not None and record.layer is self:
            record.macs, record.formulas = macs, list(formulas)

    def _output_dtype(self, tensor: KerasTensor) -> str:
        """The output's dtype: the input's for layers that only move values, else the compute dtype."""
        return tensor.dtype if self._keeps_dtype else self.compute_dtype

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        self._check_shape(shape)
        with _Context(self):
            return self._forward(shape)[0]

    # ----- checks -----------------------------------------------------------------------------------------
    def _check_input(self, tensors) -> None:
        if len(tensors) != 1:
            raise KerasValueError(f"{self._describe()} takes one input tensor, received {len(tensors)}")
        self._check_shape(tensors[0].shape)

    def _check_shape(self, shape: tuple) -> None:
        rank, kind = len(shape), type(self).__name__
        if self._ndim is not None and rank != self._ndim:
            raise KerasValueError(
                f"{kind} expects {self._ndim}D input {self._layout()}, received {shape_text(shape)}, "
                f"in {self._describe()}".replace("  ", " "),
                hint=self._rank_hint(shape),
            )
        if rank < self._min_ndim:
            raise KerasValueError(
                f"{kind} expects at least {self._min_ndim}D input {self._layout()}, received {shape_text(shape)}, "
                f"in {self._describe()}".replace("  ", " "),
                hint=self._rank_hint(shape),
            )
        for axis, size in self._axes.items():
            if -rank <= axis < rank and shape[axis] == size:
                continue
            recoverable(KerasValueError(
                f"{self._describe()} was built for inputs with {size} along axis {axis} but receives "
                f"{shape_text(shape)}",
                hint="a layer called again must receive the same size on that axis; use a separate layer instead",
            ))

    def _rank_hint(self, shape: tuple) -> str | None:
        return None


class _Context:
    """Prefixes a rule's ShapeError with the layer as the user wrote it (once)."""

    def __init__(self, layer: Layer):
        self.layer = layer

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, ShapeError) and not getattr(error, "_keras_context", False):
            error.message = f"{self.layer._describe()}: {error.message}"
            error.args = (error.message,)
            error._keras_context = True
        return False


def resolve_data_format(value, state) -> str:
    """``None`` → the session's ``image_data_format`` (``channels_last``); else one of the two names."""
    if value is None:
        return state.image_data_format
    fmt = str(value).lower()
    if fmt not in ("channels_last", "channels_first"):
        raise KerasValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={value!r}"
        )
    return fmt


def split_channels(shape: tuple, fmt: str) -> tuple[tuple, int | None]:
    """(spatial sizes, channels) of a batch-first shape in ``fmt``."""
    if fmt == "channels_last":
        return tuple(shape[1:-1]), shape[-1]
    return tuple(shape[2:]), shape[1]


def join_channels(batch, spatial: tuple, channels, fmt: str) -> tuple:
    """The batch-first shape of ``spatial`` sizes and ``channels`` in ``fmt``."""
    if fmt == "channels_last":
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


def spatial_layout(rank: int, fmt: str) -> str:
    """``(batch, H, W, C)`` or ``(batch, C, H, W)``."""
    axes = list(axis_names(rank))
    axes = axes + ["C"] if fmt == "channels_last" else ["C"] + axes
    return "(batch, " + ", ".join(axes) + ")"


def spatial_rank_hint(kind: str, rank: int, shape: tuple, fmt: str) -> str:
    """How to fix a spatial layer (conv, pooling) that receives the wrong rank."""
    received = len(shape)
    family = kind[:-2] if kind[-2:-1].isdigit() else kind
    if received == rank + 1 and fmt == "channels_last" and None not in shape[1:]:
        with_channel = tuple(shape[1:]) + (1,)
        return (
            f"add a channel axis: keras.Input(shape={shape_text(with_channel)}) or "
            f"layers.Reshape({shape_text(with_channel)}) before this layer"
        )
    if received == 2:
        return (
            "its input is flat (after Flatten or Dense); put this layer before the Flatten, or restore the axes "
            "with layers.Reshape(...)"
        )
    if 3 <= received <= 5 and kind[-2:-1].isdigit():
        layout = spatial_layout(received - 2, fmt)
        return f"use {family}{received - 2}D for a {received}D input {layout}, or reshape the input"
    return f"give it a {rank + 2}D input {spatial_layout(rank, fmt)}"


class SpatialLayer(BuiltinLayer):
    """A layer over ``_rank`` spatial axes plus channels (convolutions, pooling, resizing)."""

    _rank = 2

    def _layout(self) -> str:
        return spatial_layout(self._rank, self.data_format)

    def _rank_hint(self, shape: tuple) -> str:
        return spatial_rank_hint(type(self).__name__, self._rank, shape, self.data_format)

    def _canonical(self, shape: tuple) -> tuple:
        spatial, channels = split_channels(shape, self.data_format)
        return (shape[0], *spatial, channels)

    def _native(self, shape: tuple) -> tuple:
        return join_channels(shape[0], tuple(shape[1:-1]), shape[-1], self.data_format)

    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1


def ranked(base: type, rank: int, name: str, doc: str | None = None, ndim: int | None = None) -> type:
    """The ``rank``-D variant of a family (``ranked(_Conv, 2, "Conv2D")``): a subclass of ``base`` named ``name``
    in ``base``'s module, with ``_rank`` and ``_ndim`` (the input rank, batch and channels included: ``rank + 2``
    unless given) and the docstring ``doc`` (by default ``keras.layers.<name>``)."""
    return variant(base, name, doc or f"``keras.layers.{name}``.", base.__module__, _rank=rank,
                   _ndim=rank + 2 if ndim is None else ndim)


def positive_int(value, name: str) -> int:
    """``value`` when a positive int; else Keras's error for the spatial layers' ``filters``, ``groups``…"""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise KerasValueError(f"Invalid value for argument `{name}`. Expected a strictly positive integer. "
                              f"Received {name}={value!r}.")
    return value


def positive_size(value, what: str, layer: str) -> int:
    """``value`` when a positive int; else Keras's error for ``units``, ``input_dim``, ``output_dim``."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise KerasValueError(f"Received an invalid value for argument `{what}`, expected a positive integer. "
                              f"Received: {what}={value!r}", hint=f"{layer}({what}=...) takes a positive int")
    return value
