"""``nn.Embedding`` and ``F.embedding``: a table of ``num_embeddings`` learned vectors looked up by integer
token indices (rules in :mod:`nncalc.layers.embedding`).

A model whose first layer is an embedding takes token indices: nncalc gives it ``int64`` inputs unless
``--dtype`` says otherwise (see :func:`takes_token_indices`).
"""

from __future__ import annotations

from nncalc.frameworks.torch.arguments import layer_dtype, tensor_input
from nncalc.frameworks.torch.errors import TorchTypeError, TorchValueError, check_int, shape_error
from nncalc.frameworks.torch.functional import op, tensor_arg
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.rules import RuleModule
from nncalc.frameworks.torch.tensor import Parameter, Tensor
from nncalc.layers.embedding import EMBEDDING, EmbeddingSpec, embedding_output

INDEX_DTYPES = ("int64", "int32")
"""The index types torch's embedding accepts (``Long``, ``Int``)."""


def check_indices(x: Tensor, where: str) -> None:
    """Token indices are int64 or int32; anything else is torch's error, with the fix."""
    if x._dtype.name in INDEX_DTYPES:
        return
    raise shape_error(
        f"{where} expects token indices of type Long or Int (torch.int64, torch.int32), but got a "
        f"{x._dtype.name} tensor of shape {list(x._shape)}",
        "dtype",
        hint="an embedding looks up integer indices: feed it token ids (`--dtype int64`), or use nn.Linear "
        "for float features",
    )


@builtin
class Embedding(RuleModule):
    """``nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
    scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None)``:
    weight ``(num_embeddings, embedding_dim)``; output ``input.shape + (embedding_dim,)``."""

    _rule = EMBEDDING

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None):
        super().__init__()
        self.num_embeddings = check_int(num_embeddings, "num_embeddings", self)
        self.embedding_dim = check_int(embedding_dim, "embedding_dim", self)
        if padding_idx is not None:
            padding_idx = check_int(padding_idx, "padding_idx", self, None)
            if not -self.num_embeddings <= padding_idx < self.num_embeddings:
                raise TorchValueError(
                    f"{self._describe()}: Padding_idx must be within num_embeddings (got padding_idx={padding_idx} "
                    f"for {self.num_embeddings} embeddings)",
                    hint=f"use an index from {-self.num_embeddings} to {self.num_embeddings - 1}",
                )
            padding_idx %= self.num_embeddings
        self.padding_idx = padding_idx
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        given = None
        if _weight is not None:
            if not isinstance(_weight, Tensor):
                raise TorchTypeError(f"{self._describe()}: _weight must be a tensor, got {type(_weight).__name__}")
            if tuple(_weight._shape) != (self.num_embeddings, self.embedding_dim):
                raise TorchValueError(
                    f"{self._describe()}: Shape of weight {list(_weight._shape)} does not match num_embeddings and "
                    f"embedding_dim [{self.num_embeddings}, {self.embedding_dim}]"
                )
            given = {"weight": Parameter(_weight, requires_grad=not _freeze)}
        self._make_weights(EmbeddingSpec(self.num_embeddings, self.embedding_dim), layer_dtype(dtype), (), given)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, sparse=False):
        """``nn.Embedding.from_pretrained(embeddings, freeze=True, …)``: the table is the given 2-D tensor."""
        if not isinstance(embeddings, Tensor) or len(embeddings._shape) != 2:
            raise TorchValueError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings._shape
        return cls(rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, _weight=embeddings,
                   _freeze=freeze)

    def forward(self, input):
        x = tensor_input(input, self)
        check_indices(x, self._describe())
        return Tensor._make(EMBEDDING.output(self._spec, x._shape), self.weight._dtype, x._device)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        return text + (f", padding_idx={self.padding_idx}" if self.padding_idx is not None else "")


def bag_output(x: Tensor, offsets, include_last_offset: bool, where: str) -> int:
    """The number of bags ``nn.EmbeddingBag`` and ``F.embedding_bag`` reduce ``x`` into: one per row of a 2-D
    input; one per offset of a 1-D input (but the last with ``include_last_offset``)."""
    check_indices(x, where)
    if len(x._shape) == 2:
        if offsets is not None:
            raise TorchValueError(
                f"{where}: if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed "
                f"length sequences. However, found offsets of type {type(offsets).__name__}")
        return x._shape[0]
    if len(x._shape) != 1:
        raise shape_error(f"{where}: input has to be 1D or 2D Tensor, but got Tensor of dimension {len(x._shape)}",
                          "rank")
    if not isinstance(offsets, Tensor) or len(offsets._shape) != 1:
        got = "None" if offsets is None else f"shape {list(getattr(offsets, '_shape', ()))}"
        raise TorchValueError(f"{where}: offsets has to be a 1D Tensor but got {got}",
                              hint="a 1-D input of concatenated bags needs offsets=, the start of each bag")
    return offsets._shape[0] - 1 if include_last_offset else offsets._shape[0]


def check_bag_weights(mode: str, per_sample_weights, where: str) -> None:
    if per_sample_weights is not None and mode != "sum":
        raise TorchValueError(f"{where}: per_sample_weights was not None. per_sample_weights is only supported for "
                              f"mode='sum' (got mode={mode!r})")


@builtin
class EmbeddingBag(RuleModule):
    """``nn.EmbeddingBag(num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
    mode='mean', sparse=False, _weight=None, include_last_offset=False, padding_idx=None, device=None,
    dtype=None)``: an embedding table whose looked-up vectors are summed, averaged or maxed per bag; output
    ``(bags, embedding_dim)``."""

    _rule = EMBEDDING

    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
                 mode="mean", sparse=False, _weight=None, include_last_offset=False, padding_idx=None, device=None,
                 dtype=None):
        super().__init__()
        self.num_embeddings = check_int(num_embeddings, "num_embeddings", self)
        self.embedding_dim = check_int(embedding_dim, "embedding_dim", self)
        if mode not in ("sum", "mean", "max"):
            raise TorchValueError(f"{self._describe()}: mode has to be one of sum, mean or max, got {mode!r}")
        self.mode = mode
        self.max_norm, self.norm_type, self.sparse = max_norm, norm_type, sparse
        self.scale_grad_by_freq = scale_grad_by_freq
        self.include_last_offset = bool(include_last_offset)
        if padding_idx is not None:
            padding_idx = check_int(padding_idx, "padding_idx", self, None)
            if not -self.num_embeddings <= padding_idx < self.num_embeddings:
                raise TorchValueError(f"{self._describe()}: padding_idx must be within num_embeddings")
            padding_idx %= self.num_embeddings
        self.padding_idx = padding_idx
        spec = EmbeddingSpec(self.num_embeddings, self.embedding_dim)
        if _weight is not None and (not isinstance(_weight, Tensor) or tuple(_weight._shape) != (
                self.num_embeddings, self.embedding_dim)):
            raise TorchValueError(f"{self._describe()}: Shape of weight does not match num_embeddings and "
                                  "embedding_dim")
        self._make_weights(spec, layer_dtype(dtype), (), None if _weight is None else {"weight": Parameter(_weight)})

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
                        mode="mean", sparse=False, include_last_offset=False, padding_idx=None):
        """``nn.EmbeddingBag.from_pretrained(embeddings, freeze=True, …)``."""
        if not isinstance(embeddings, Tensor) or len(embeddings._shape) != 2:
            raise TorchValueError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings._shape
        bag = cls(rows, cols, max_norm, norm_type, scale_grad_by_freq, mode, sparse, embeddings,
                  include_last_offset, padding_idx)
        bag.weight.requires_grad = not freeze
        return bag

    def forward(self, input, offsets=None, per_sample_weights=None):
        x = tensor_input(input, self)
        check_bag_weights(self.mode, per_sample_weights, self._describe())
        bags = bag_output(x, offsets, self.include_last_offset, self._describe())
        return Tensor._make((bags, self.embedding_dim), self.weight._dtype, x._device)

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}, mode={self.mode!r}"


@op("F.embedding_bag")
def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """``F.embedding_bag(input, weight, offsets=None, …, mode='mean', …)``: ``(bags, weight.shape[1])``."""
    x = tensor_arg(input, "F.embedding_bag")
    table = tensor_arg(weight, "F.embedding_bag")
    if len(table._shape) != 2:
        raise shape_error(f"F.embedding_bag: weight has to be a 2D Tensor, but got Tensor of dimension "
                          f"{len(table._shape)}", "rank")
    check_bag_weights(mode, per_sample_weights, "`F.embedding_bag`")
    bags = bag_output(x, offsets, include_last_offset, "`F.embedding_bag`")
    return Tensor._make((bags, table._shape[1]), table._dtype, x._device)


@op("F.embedding")
def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """``F.embedding(input, weight, padding_idx=None, …)``: rows of the 2-D ``weight`` picked by ``input``."""
    x = tensor_arg(input, "F.embedding")
    table = tensor_arg(weight, "F.embedding")
    if len(table._shape) != 2:
        raise shape_error(f"F.embedding: 'weight' must be 2-D, got shape {list(table._shape)}", "rank")
    check_indices(x, "`F.embedding`")
    return Tensor._make(embedding_output(x._shape, table._shape[1]), table._dtype, x._device)


TOKEN_LAYERS = (Embedding, EmbeddingBag)
"""Layers whose input is token indices."""


def takes_token_indices(model: Module) -> Embedding | EmbeddingBag | None:
    """The embedding a model's input goes into first, when its first input-fixing layer (definition order)
    is one: such a model takes ``int64`` token indices."""
    from nncalc.frameworks.torch.infer import first_layer

    layer = first_layer(model)
    return layer if isinstance(layer, TOKEN_LAYERS) else None


def index_dtype_note(layer: Embedding | EmbeddingBag) -> str:
    """What nncalc says when it gives a model int64 inputs."""
    return (f"input dtype inferred as int64 (token indices): the model's first layer is {layer._describe()}; "
            "pass --dtype to choose another")

