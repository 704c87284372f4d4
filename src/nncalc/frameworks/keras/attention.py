"""Keras attention layers: ``MultiHeadAttention`` (called on ``query, value, key=None``) and ``Attention``
(dot-product attention called on ``[query, value]`` or ``[query, value, key]``).

Their weights, formulas, outputs and MACs are the rules of :mod:`nncalc.layers.attention` (``MULTI_HEAD_ATTENTION``,
``DOT_ATTENTION``); ``Attention`` has no weights except a scalar ``scale`` with ``use_scale=True`` and a scalar
``concat_score_weight`` with ``score_mode='concat'``; ``AdditiveAttention`` a ``scale`` per feature.
"""

from __future__ import annotations

from nncalc.frameworks.keras.builtin import BuiltinLayer, _Context
from nncalc.frameworks.keras.errors import KerasTypeError, KerasValueError, shape_text
from nncalc.frameworks.keras.layer import _short, flat_tensors
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.layers.attention import DOT_ATTENTION, MULTI_HEAD_ATTENTION, AttentionSpec, DotAttentionSpec
from nncalc.location import current_location


def _positive(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise KerasValueError(f"`{what}` must be a positive integer. Received: {what}={value!r}")
    return value


class MultiHeadAttention(BuiltinLayer):
    """``keras.layers.MultiHeadAttention(num_heads, key_dim, value_dim=None, output_shape=None, use_bias=True)``,
    called as ``mha(query, value, key=None)``: output ``query.shape[:-1] + output_shape`` (default: the
    query's size); weights, formula, output and MACs from the rule ``MULTI_HEAD_ATTENTION``."""

    _rule = MULTI_HEAD_ATTENTION

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
                 attention_axes=None, sliding_window=None, flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.num_heads = _positive(num_heads, "num_heads")
        self.key_dim = _positive(key_dim, "key_dim")
        self.value_dim = self.key_dim if value_dim is None else _positive(value_dim, "value_dim")
        self.dropout, self.use_bias = dropout, bool(use_bias)
        if output_shape is None or isinstance(output_shape, (tuple, list)):
            self.output_shape_arg = None if output_shape is None else tuple(output_shape)
        else:
            self.output_shape_arg = (_positive(output_shape, "output_shape"),)
        if attention_axes is not None:
            from nncalc.frameworks.keras.errors import unknown_layer

            raise unknown_layer("MultiHeadAttention(attention_axes=...)")
        if use_gate:
            from nncalc.frameworks.keras.errors import unknown_layer

            raise unknown_layer("MultiHeadAttention(use_gate=True)")

    def __call__(self, query=None, value=None, key=None, query_mask=None, value_mask=None, key_mask=None,
                 attention_mask=None, return_attention_scores=False, training=None, use_causal_mask=False, **kwargs):
        if "inputs" in kwargs and query is None:
            query = kwargs.pop("inputs")
        if kwargs:
            raise KerasTypeError(f"{self._describe()} got unexpected arguments {sorted(kwargs)}",
                                 hint="call it as mha(query, value, key=None)")
        tensors = [query, value] + ([] if key is None else [key])
        if not all(isinstance(t, KerasTensor) for t in tensors):
            raise KerasTypeError(f"{self._describe()} takes tensors `query` and `value` (and `key`); received "
                                 f"{', '.join(_short(t) for t in tensors)}", hint="call it as mha(query, value)")
        options = {"return_attention_scores": bool(return_attention_scores)}
        return self._apply((tensors,), options, current_location())

    def _check_input(self, tensors) -> None:
        for tensor in tensors:
            if len(tensor.shape) < 3:
                raise KerasValueError(
                    f"{self._describe()} takes (batch, sequence, features) tensors; received "
                    f"{shape_text(tensor.shape)}",
                    hint="give keras.Input(shape=(sequence, features)) or add an Embedding first",
                )
            if tensor.shape[-1] is None:
                raise KerasValueError(f"{self._describe()} needs the last axis known; received "
                                      f"{shape_text(tensor.shape)}")
        if self.built and self._axes:
            sizes = tuple(t.shape[-1] for t in tensors) + (() if len(tensors) == 3 else (tensors[1].shape[-1],))
            if sizes != self._axes["sizes"]:
                raise KerasValueError(f"{self._describe()} was built for feature sizes {self._axes['sizes']} "
                                      f"(query, value, key) but receives {sizes}",
                                      hint="a layer called again must receive the same sizes; use a separate layer")

    def _spec(self, shapes) -> AttentionSpec:
        query, value = shapes[0], shapes[1]
        key = shapes[2] if len(shapes) > 2 else value
        output = self.output_shape_arg or (query[-1],)
        return AttentionSpec(query[-1], key[-1], value[-1], self.num_heads, self.key_dim, self.value_dim,
                             tuple(output), self.use_bias)

    def _pinned(self, spec: AttentionSpec) -> dict:
        return {"sizes": (spec.query, spec.value, spec.key)}

    def build(self, input_shape=None) -> None:
        super().build([tuple(s) for s in input_shape])
        for inner in ("Softmax", "Dropout"):  # Keras builds these two sublayers here, taking their names
            self._state.auto_name(inner)

    def _check_shape(self, shape) -> None:
        """Checked per tensor in :meth:`_check_input`."""

    def call(self, inputs, return_attention_scores=False, **kwargs):
        shapes = [t.shape for t in flat_tensors(inputs)]
        spec = self._spec(shapes)
        query, key = shapes[0], shapes[2] if len(shapes) > 2 else shapes[1]
        with _Context(self):  # per sample for an unknown batch, for the whole batch when the inputs fix it
            self._record_cost(self._rule.macs(spec, (query, key)), [])
        output = KerasTensor(self._rule.output(spec, (query, key)), self.compute_dtype)
        if return_attention_scores:
            scores = KerasTensor((query[0], self.num_heads, query[1], key[1]), self.compute_dtype)
            return output, scores
        return output

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        return tuple(query_shape[:-1]) + (self.output_shape_arg or (query_shape[-1],))


class Attention(BuiltinLayer):
    """``keras.layers.Attention(use_scale=False, score_mode='dot')`` on ``[query, value]`` or
    ``[query, value, key]``: output ``(batch, T_q, value features)``; weights, output and MACs from the rule
    ``DOT_ATTENTION``."""

    _rule = DOT_ATTENTION

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        kwargs.pop("causal", None)
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise KerasValueError(f"Invalid value for argument score_mode. Expected one of {{'dot', 'concat'}}. "
                                  f"Received: score_mode={score_mode!r}")
        self.use_scale, self.score_mode, self.dropout = bool(use_scale), score_mode, dropout

    def _check_input(self, tensors) -> None:
        if not 2 <= len(tensors) <= 3:
            raise KerasValueError(f"{self._describe()} takes a list [query, value] or [query, value, key]; "
                                  f"received {len(tensors)} tensors", hint="call it as Attention()([query, value])")

    def _spec(self, shapes) -> DotAttentionSpec:
        return DotAttentionSpec(shapes[0][-1], "scalar" if self.use_scale else "", self.score_mode == "concat")

    def call(self, inputs, *args, **kwargs):
        if not isinstance(inputs, (list, tuple)):
            raise KerasValueError(f"{self._describe()} must be called on a list of inputs, namely "
                                  f"[query, value] or [query, value, key]. Received: {_short(inputs)}.")
        shapes = [t.shape for t in flat_tensors(inputs)]
        query, value = shapes[0], shapes[1]
        key = shapes[2] if len(shapes) > 2 else value
        if query[-1] is not None and key[-1] is not None and query[-1] != key[-1]:
            raise KerasValueError(f"{self._describe()}: query and key must have the same last dimension, received "
                                  f"{shape_text(query)} and {shape_text(key)}",
                                  hint="project them to one size first, e.g. with Dense")
        spec, triple = self._spec(shapes), (query, key, value)
        self._record_cost(self._rule.macs(spec, triple), [])  # an unknown batch counts as 1
        return KerasTensor(self._rule.output(spec, triple), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0][:-1]) + (input_shape[1][-1],)


class GroupedQueryAttention(MultiHeadAttention):
    """``keras.layers.GroupQueryAttention(head_dim, num_query_heads, num_key_value_heads)``, called as
    ``gqa(query, value, key=None)``: ``num_key_value_heads`` key/value projections, each shared by a group of
    query heads; the output has the query's size."""

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0, use_bias=True,
                 sliding_window=None, flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None, **kwargs):
        super().__init__(num_query_heads, head_dim, dropout=dropout, use_bias=use_bias,
                         activity_regularizer=activity_regularizer, use_gate=use_gate, **kwargs)
        self.num_key_value_heads = _positive(num_key_value_heads, "num_key_value_heads")
        if self.num_heads % self.num_key_value_heads:
            raise KerasValueError(
                "`num_query_heads` must be divisible by `num_key_value_heads`. Received: "
                f"num_query_heads={self.num_heads}, num_key_value_heads={self.num_key_value_heads}"
            )

    def _check_input(self, tensors) -> None:
        super()._check_input(tensors)
        query, value = tensors[0].shape, tensors[1].shape
        key = tensors[2].shape if len(tensors) > 2 else value
        if query[-1] != value[-1]:
            raise KerasValueError(f"{self._describe()}: the last dimension of `query_shape` and `value_shape` must be "
                                  f"equal, but are {query[-1]}, {value[-1]}",
                                  hint="project the value to the query's size first, e.g. with Dense")
        if value[1:-1] != key[1:-1]:
            raise KerasValueError(f"{self._describe()}: all dimensions of `value` and `key`, except the last one, "
                                  f"must be equal. Received: value_shape={shape_text(value)} and "
                                  f"key_shape={shape_text(key)}")

    def _spec(self, shapes) -> AttentionSpec:
        from dataclasses import replace  # dataclasses costs start-up time (nncalc.records); only GQA needs it

        return replace(super()._spec(shapes), kv_heads=self.num_key_value_heads)


class AdditiveAttention(Attention):
    """``keras.layers.AdditiveAttention(use_scale=True)`` on ``[query, value]`` or ``[query, value, key]``:
    ``tanh(q + k)`` scores, a ``scale`` vector of the features with ``use_scale``."""

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def _spec(self, shapes) -> DotAttentionSpec:
        return DotAttentionSpec(shapes[0][-1], "vector" if self.use_scale else "")


CLASSES = [MultiHeadAttention, GroupedQueryAttention, Attention, AdditiveAttention]
