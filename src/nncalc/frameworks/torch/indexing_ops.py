"""Tensor ops that move, pick or relabel elements without multiply-accumulates: ``roll``, ``flip``,
``narrow``, ``index_select``, ``gather``, ``scatter``, ``cumsum``, ``outer``, ``diag``, ``lerp``, ``type_as``,
complex views (``polar``, ``view_as_complex``, ``view_as_real``) and ``F.one_hot``, ``F.glu``,
``F.rms_norm``, ``torch.cdist``. Each is a method of :class:`Tensor` (where torch has one) and a ``torch``
function; their shapes follow torch's rules, and torch's errors where the shapes do not fit.
"""

from __future__ import annotations

from nncalc.frameworks.torch.dtypes import DTYPES, INT64, promote
from nncalc.frameworks.torch.errors import TorchTypeError, TorchValueError, shape_error
from nncalc.frameworks.torch.shapes import broadcast, dim_index
from nncalc.frameworks.torch.tensor import Tensor

COMPLEX_OF = {"float16": "complex32", "float32": "complex64", "float64": "complex128"}
REAL_OF = {v: k for k, v in COMPLEX_OF.items()}


def _tensor(value, name: str) -> Tensor:
    if not isinstance(value, Tensor):
        raise TorchTypeError(f"{name}(): argument 'input' must be Tensor, not {type(value).__name__}")
    return value


def roll(self: Tensor, shifts, dims=None) -> Tensor:
    return self._like()


def flip(self: Tensor, *dims, **keywords) -> Tensor:
    """``x.flip(0, 1)``, ``x.flip((0, 1))``, ``torch.flip(x, dims=[0])``."""
    if keywords:
        if set(keywords) != {"dims"} or dims:
            raise TorchTypeError(f"flip() got an unexpected keyword argument {next(iter(keywords))!r}")
        dims = (keywords["dims"],)
    for dim in (dims[0] if len(dims) == 1 and isinstance(dims[0], (list, tuple)) else dims):
        dim_index(dim, len(self._shape))
    return self._like()


def narrow(self: Tensor, dim: int, start: int, length: int) -> Tensor:
    axis = dim_index(dim, len(self._shape))
    size = self._shape[axis]
    start = start + size if start < 0 else start
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise TorchValueError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return self._like(self._shape[:axis] + (length,) + self._shape[axis + 1:], factors=None)


def index_select(self: Tensor, dim: int, index) -> Tensor:
    index = _tensor(index, "index_select")
    if len(index._shape) > 1:
        raise shape_error("index_select(): Index is supposed to be a vector", "rank")
    axis = dim_index(dim, len(self._shape))
    return self._like(self._shape[:axis] + (index.numel(),) + self._shape[axis + 1:], factors=None)


def gather(self: Tensor, dim: int, index, *, sparse_grad: bool = False) -> Tensor:
    index = _tensor(index, "gather")
    dim_index(dim, len(self._shape))
    if len(index._shape) != len(self._shape):
        raise shape_error("gather(): Index tensor must have the same number of dimensions as input tensor", "rank")
    return self._like(index._shape, factors=None)


def scatter(self: Tensor, dim: int, index, src=None, value=None, *, reduce=None, include_self=True) -> Tensor:
    dim_index(dim, len(self._shape))
    index = _tensor(index, "scatter")
    if len(index._shape) != len(self._shape):
        raise shape_error("scatter(): Index tensor must have the same number of dimensions as self tensor", "rank")
    return self._like()


def index_add(self: Tensor, dim: int, index, source, *, alpha=1) -> Tensor:
    axis = dim_index(dim, len(self._shape))
    index, source = _tensor(index, "index_add"), _tensor(source, "index_add")
    if len(index._shape) > 1:
        raise shape_error("index_add_(): Index is supposed to be a vector", "rank")
    if source._shape and (source._shape[:axis] + source._shape[axis + 1:] != self._shape[:axis] + self._shape[axis + 1:]
                          or source._shape[axis] != index.numel()):
        raise shape_error(f"index_add_(): source {list(source._shape)} does not fit self {list(self._shape)} with "
                          f"{index.numel()} indices along dim {axis}", "reshape")
    return self._like()


def cumsum(self: Tensor, dim: int, *, dtype=None) -> Tensor:
    dim_index(dim, len(self._shape))
    kind = dtype or (self._dtype if self._dtype.is_floating_point or self._dtype.is_complex else INT64)
    return self._like(dtype_=kind)


def outer(self: Tensor, vec2) -> Tensor:
    other = _tensor(vec2, "outer")
    if len(self._shape) != 1 or len(other._shape) != 1:
        raise shape_error("outer: expected 1-D tensors", "rank")
    return Tensor._make((self._shape[0], other._shape[0]), promote(self._dtype, other._dtype), self._device)


def diag(self: Tensor, diagonal: int = 0) -> Tensor:
    if len(self._shape) == 1:
        size = self._shape[0] + abs(diagonal)
        return self._like((size, size), factors=None)
    if len(self._shape) == 2:
        rows, cols = self._shape
        length = max(0, min(rows, cols - diagonal) if diagonal >= 0 else min(rows + diagonal, cols))
        return self._like((length,), factors=None)
    raise shape_error("diag(): Supports 1D or 2D tensors", "rank")


def lerp(self: Tensor, end, weight) -> Tensor:
    shape = broadcast(self._shape, _tensor(end, "lerp")._shape)
    if isinstance(weight, Tensor):
        shape = broadcast(shape, weight._shape)
    return self._like(shape, factors=None) if shape != self._shape else self._like()


def type_as(self: Tensor, other) -> Tensor:
    return self._like(dtype_=_tensor(other, "type_as")._dtype)


def view_as_complex(self: Tensor) -> Tensor:
    if not self._shape or self._shape[-1] != 2:
        raise shape_error("Tensor must have a last dimension of size 2", "reshape")
    kind = COMPLEX_OF.get(self._dtype.name)
    if kind is None:
        raise TorchTypeError(f"view_as_complex is only supported for float tensors, but got {self._dtype.name}")
    return Tensor._make(self._shape[:-1], DTYPES[kind], self._device)


def view_as_real(self: Tensor) -> Tensor:
    kind = REAL_OF.get(self._dtype.name)
    if kind is None:
        raise TorchTypeError("view_as_real is only supported for complex tensors")
    return Tensor._make(self._shape + (2,), DTYPES[kind], self._device)


def polar(abs, angle) -> Tensor:  # noqa: A002 - torch's parameter name
    magnitude, phase = _tensor(abs, "polar"), _tensor(angle, "polar")
    kind = COMPLEX_OF.get(magnitude._dtype.name, "complex64")
    return Tensor._make(broadcast(magnitude._shape, phase._shape), DTYPES[kind], magnitude._device)


def one_hot(tensor, num_classes: int = -1) -> Tensor:
    labels = _tensor(tensor, "one_hot")
    if num_classes is None or num_classes < 0:
        if labels._values is None:
            raise TorchTypeError("F.one_hot(): num_classes=-1 takes the largest label, which nncalc does not know; "
                                 "pass num_classes")
        num_classes = int(max(labels._values)) + 1
    return Tensor._make(labels._shape + (num_classes,), INT64, labels._device)


def glu(input, dim: int = -1) -> Tensor:
    x = _tensor(input, "glu")
    axis = dim_index(dim, len(x._shape))
    if x._shape[axis] % 2:
        raise shape_error(f"Halving dimension must be even, but dimension {axis} is size {x._shape[axis]}", "channels")
    return x._like(x._shape[:axis] + (x._shape[axis] // 2,) + x._shape[axis + 1:], factors=None)


def rms_norm(input, normalized_shape, weight=None, eps=None) -> Tensor:
    x = _tensor(input, "rms_norm")
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(x._shape[len(x._shape) - len(shape):]) != shape:
        raise shape_error(f"rms_norm: the input's last dimensions {list(x._shape)} do not end in {list(shape)}",
                          "channels")
    return x._like()


def cdist(x1, x2, p: float = 2.0, compute_mode=None) -> Tensor:
    a, b = _tensor(x1, "cdist"), _tensor(x2, "cdist")
    if len(a._shape) < 2 or len(b._shape) < 2 or a._shape[-1] != b._shape[-1]:
        raise shape_error(f"cdist: X1 and X2 must have the same number of columns. X1: {a._shape[-1]} X2: "
                          f"{b._shape[-1]}", "channels")
    batch = broadcast(a._shape[:-2], b._shape[:-2])
    return Tensor._make(batch + (a._shape[-2], b._shape[-2]), promote(a._dtype, b._dtype), a._device)


def _inplace(method):
    """The in-place form (``scatter_add_``): the same checks, then ``self``, whose shape stays."""

    def inplace(self: Tensor, *args, **kwargs) -> Tensor:
        method(self, *args, **kwargs)
        return self

    return inplace


def cummax(self: Tensor, dim: int):
    from nncalc.frameworks.torch.tensor import ValuesIndices

    dim_index(dim, len(self._shape))
    return ValuesIndices(self._like(), self._like(dtype_=INT64))


def logcumsumexp(self: Tensor, dim: int) -> Tensor:
    dim_index(dim, len(self._shape))
    return self._like()


def fliplr(self: Tensor) -> Tensor:
    if len(self._shape) < 2:
        raise shape_error("Input must be >= 2-d.", "rank")
    return self._like()


def flipud(self: Tensor) -> Tensor:
    if len(self._shape) < 1:
        raise shape_error("Input must be >= 1-d.", "rank")
    return self._like()


def index_copy(self: Tensor, dim: int, index, source) -> Tensor:
    dim_index(dim, len(self._shape))
    _tensor(index, "index_copy")
    return self._like()


def index_fill(self: Tensor, dim: int, index, value) -> Tensor:
    dim_index(dim, len(self._shape))
    _tensor(index, "index_fill")
    return self._like()


def movedim(self: Tensor, source, destination) -> Tensor:
    rank = len(self._shape)
    sources = [dim_index(d, rank) for d in (source if isinstance(source, (list, tuple)) else (source,))]
    targets = [dim_index(d, rank) for d in (destination if isinstance(destination, (list, tuple)) else (destination,))]
    if len(sources) != len(targets):
        raise TorchValueError(f"movedim: Invalid source or destination dims: source ({sources} dims) should contain "
                              f"the same number of dims as destination ({targets} dims)")
    order: list = [None] * rank
    for s, t in zip(sources, targets):
        order[t] = s
    rest = iter(d for d in range(rank) if d not in sources)
    order = [next(rest) if o is None else o for o in order]
    return self.permute(*order)


def broadcast_to(self: Tensor, size) -> Tensor:
    return self.expand(*size) if isinstance(size, (list, tuple)) else self.expand(size)


def broadcast_tensors(*tensors) -> tuple:
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape: tuple = ()
    for t in tensors:
        shape = broadcast(shape, _tensor(t, "broadcast_tensors")._shape)
    return tuple(t._like(shape, factors=None) if t._shape != shape else t._like() for t in tensors)


def tile(self: Tensor, *dims) -> Tensor:
    reps = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (list, tuple)) else dims
    shape = (1,) * (len(reps) - len(self._shape)) + tuple(self._shape)
    reps = (1,) * (len(shape) - len(reps)) + tuple(reps)
    return self._like(tuple(s * r for s, r in zip(shape, reps)), factors=None)


def take_along_dim(self: Tensor, indices, dim=None) -> Tensor:
    index = _tensor(indices, "take_along_dim")
    if dim is None:
        return self._like((index.numel(),), factors=None)
    axis = dim_index(dim, len(self._shape))
    if len(index._shape) != len(self._shape):
        raise shape_error("torch.take_along_dim(): input and indices should have the same number of dimensions, but "
                          f"got {len(self._shape)} dimensions for input, and {len(index._shape)} dimensions for indices",
                          "rank")
    rest = broadcast(tuple(s for i, s in enumerate(self._shape) if i != axis),
                     tuple(s for i, s in enumerate(index._shape) if i != axis))
    return self._like(rest[:axis] + (index._shape[axis],) + rest[axis:], factors=None)


def unfold(self: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """``Tensor.unfold(dimension, size, step)``: the windows of ``size`` along ``dimension``, a new last axis."""
    axis = dim_index(dimension, len(self._shape))
    length = self._shape[axis] if self._shape else 1
    if size > length:
        raise shape_error(f"maximum size for tensor at dimension {axis} is {length} but size is {size}", "window")
    if step <= 0:
        raise TorchValueError(f"step is {step} but must be > 0")
    windows = (length - size) // step + 1
    return self._like(self._shape[:axis] + (windows,) + self._shape[axis + 1:] + (size,), factors=None)


def kron(self: Tensor, other) -> Tensor:
    b = _tensor(other, "kron")
    rank = max(len(self._shape), len(b._shape))
    left = (1,) * (rank - len(self._shape)) + tuple(self._shape)
    right = (1,) * (rank - len(b._shape)) + tuple(b._shape)
    return Tensor._make(tuple(x * y for x, y in zip(left, right)), promote(self._dtype, b._dtype), self._device)


METHODS = {
    "roll": roll, "flip": flip, "narrow": narrow, "index_select": index_select, "gather": gather,
    "scatter": scatter, "scatter_add": scatter, "scatter_reduce": scatter, "index_add": index_add,
    "cumsum": cumsum, "cumprod": cumsum, "outer": outer, "ger": outer, "diag": diag, "lerp": lerp,
    "type_as": type_as, "cummax": cummax, "cummin": cummax, "logcumsumexp": logcumsumexp, "fliplr": fliplr,
    "flipud": flipud, "index_copy": index_copy, "index_fill": index_fill, "movedim": movedim, "moveaxis": movedim,
    "broadcast_to": broadcast_to, "tile": tile, "take_along_dim": take_along_dim, "kron": kron,
}  # fmt: skip
"""Tensor methods (also ``torch.<name>(tensor, …)``)."""
INPLACE = {
    "scatter_": scatter, "scatter_add_": scatter, "scatter_reduce_": scatter, "index_add_": index_add,
    "index_copy_": index_copy, "index_fill_": index_fill, "cumsum_": cumsum, "cumprod_": cumsum,
}  # fmt: skip
"""In-place tensor methods: checked as their out-of-place forms; ``self`` comes back."""
FUNCTIONS = {"polar": polar, "view_as_complex": view_as_complex, "view_as_real": view_as_real, "cdist": cdist,
             "broadcast_tensors": broadcast_tensors}
FUNCTIONAL = {"one_hot": one_hot, "glu": glu, "rms_norm": rms_norm}
"""``torch.nn.functional`` members."""

for _name, _method in METHODS.items():
    setattr(Tensor, _name, _method)
for _name, _method in INPLACE.items():
    setattr(Tensor, _name, _inplace(_method))
Tensor.unfold = unfold
Tensor.view_as_complex = view_as_complex
Tensor.view_as_real = view_as_real
