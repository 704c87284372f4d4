"""Keras ``Embedding`` and ``ReversibleEmbedding`` over :mod:`nncalc.layers.embedding`."""

from __future__ import annotations

from nncalc.formula import num
from nncalc.frameworks.keras.builtin import BuiltinLayer, positive_size
from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.frameworks.keras.layer import flat_tensors
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.layers.base import Term, positions
from nncalc.layers.embedding import EMBEDDING, EmbeddingSpec


class Embedding(BuiltinLayer):
    """``keras.layers.Embedding(input_dim, output_dim)``: ``embeddings (input_dim, output_dim)``; the input is
    integer token indices of any shape, the output appends ``output_dim``."""

    _rule = EMBEDDING

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, weights=None, lora_rank=None, lora_alpha=None,
                 quantization_config=None, **kwargs):
        kwargs.pop("input_length", None)  # Keras 2's argument: Keras 3 ignores it (the Input gives the length)
        super().__init__(**kwargs)
        self.input_dim = positive_size(input_dim, "input_dim", "Embedding")
        self.output_dim = positive_size(output_dim, "output_dim", "Embedding")
        self.mask_zero = bool(mask_zero)
        if lora_rank:
            raise unknown_layer("Embedding(lora_rank=...)")
        if quantization_config is not None:
            raise unknown_layer("Embedding(quantization_config=...)")

    def _spec(self, shape) -> EmbeddingSpec:
        return EmbeddingSpec(self.input_dim, self.output_dim)


class ReversibleEmbedding(Embedding):
    """``keras.layers.ReversibleEmbedding(input_dim, output_dim, tie_weights=True)``: an ``Embedding`` that, called
    with ``reverse=True``, maps ``(…, output_dim)`` back to ``(…, input_dim)`` logits through the embeddings
    (tied) or its own ``reverse_embeddings (output_dim, input_dim)``."""

    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False, reverse_dtype=None,
                 logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer, embeddings_constraint=embeddings_constraint,
                         mask_zero=mask_zero, **kwargs)
        self.tie_weights, self.logit_soft_cap = bool(tie_weights), logit_soft_cap

    def _weights_for(self, shape):
        terms, formula, axes = super()._weights_for(shape)
        if not self.tie_weights:
            terms = terms + [Term("reverse_embeddings", (("output_dim", self.output_dim), ("input_dim", self.input_dim)))]
            formula = num(2) * formula
        return terms, formula, axes

    def call(self, inputs, reverse=False, **kwargs):
        if not reverse:
            return super().call(inputs)
        tensor = flat_tensors(inputs)[0]
        if tensor.shape[-1] != self.output_dim:
            raise KerasValueError(f"{self._describe()} called with reverse=True takes (…, {self.output_dim}) "
                                  f"vectors; received {shape_text(tensor.shape)}")
        self._record_cost(positions(tensor.shape[:-1]) * self.output_dim * self.input_dim, [])
        return KerasTensor((*tensor.shape[:-1], self.input_dim), self.compute_dtype)


CLASSES = [Embedding, ReversibleEmbedding]
