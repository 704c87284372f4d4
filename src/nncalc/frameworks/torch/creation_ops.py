"""``torch`` functions that make tensors (``eye``, ``tril_indices``, ``logspace``, ``randperm``, ``normal``,
``complex``, ``cartesian_prod``, ``combinations``), stack them (``hstack``, ``vstack``, ``dstack``,
``column_stack``, ``atleast_2d``), look values up (``searchsorted``, ``bucketize``), pair statistics
(``std_mean``), answer dtype questions (``result_type``, ``promote_types``, ``can_cast``), and the
normalisations as ``torch`` functions (``torch.layer_norm`` …, whose argument orders differ from ``F``'s).
"""

from __future__ import annotations

from math import comb

from nncalc.frameworks.torch.dtypes import BOOL, DTYPES, FLOAT32, INT64, dtype, promote
from nncalc.frameworks.torch.errors import TorchTypeError, TorchValueError, shape_error
from nncalc.frameworks.torch.shapes import reduce_shape, sizes_arg
from nncalc.frameworks.torch.tensor import Tensor


def _tensor(value, name: str) -> Tensor:
    if not isinstance(value, Tensor):
        raise TorchTypeError(f"{name}(): argument 'input' must be Tensor, not {type(value).__name__}")
    return value


def _kind(value, default):
    if value is None:
        return default
    if isinstance(value, dtype):
        return value
    raise TorchTypeError(f"dtype must be a torch.dtype, got {value!r}")


def _size(value, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TorchTypeError(f"{name}(): expected a non-negative int known when reading the file, got {value!r}")
    return value


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False, **kwargs) -> Tensor:
    rows = _size(n, "eye")
    return Tensor._make((rows, rows if m is None else _size(m, "eye")), _kind(dtype, FLOAT32))


def _triangle_count(rows: int, cols: int, offset: int, lower: bool) -> int:
    count = 0
    for r in range(rows):
        last = min(cols - 1, r + offset) if lower else cols - 1
        first = 0 if lower else max(0, r + offset)
        count += max(0, last - first + 1)
    return count


def tril_indices(row, col, offset=0, *, dtype=None, device=None, **kwargs) -> Tensor:
    """``(2, count)`` indices of the lower triangle (``triu_indices``: the upper)."""
    count = _triangle_count(_size(row, "tril_indices"), _size(col, "tril_indices"), offset, True)
    return Tensor._make((2, count), _kind(dtype, INT64))


def triu_indices(row, col, offset=0, *, dtype=None, device=None, **kwargs) -> Tensor:
    count = _triangle_count(_size(row, "triu_indices"), _size(col, "triu_indices"), offset, False)
    return Tensor._make((2, count), _kind(dtype, INT64))


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False, **kwargs) -> Tensor:
    return Tensor._make((_size(steps, "logspace"),), _kind(dtype, FLOAT32))


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False, **kwargs) -> Tensor:
    return Tensor._make((), _kind(dtype, FLOAT32))


def randperm(n, *, dtype=None, device=None, requires_grad=False, generator=None, **kwargs) -> Tensor:
    return Tensor._make((_size(n, "randperm"),), _kind(dtype, INT64))


def randint_like(input, low=0, high=None, *, dtype=None, device=None, **kwargs) -> Tensor:
    x = _tensor(input, "randint_like")
    return x._like(dtype_=_kind(dtype, x._dtype))


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None, out=None, **kwargs) -> Tensor:
    """``torch.normal(mean, std)`` on tensors (their broadcast shape) or ``torch.normal(mean, std, size)``."""
    if size is not None:
        return Tensor._make(sizes_arg((size,), "normal"), _kind(dtype, FLOAT32))
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if not tensors:
        raise TorchTypeError("normal(): pass a size, or mean or std as a tensor")
    shape: tuple = ()
    for t in tensors:
        from nncalc.frameworks.torch.shapes import broadcast

        shape = broadcast(shape, t._shape)
    return tensors[0]._like(shape, factors=None)


def empty_strided(size, stride, *, dtype=None, device=None, requires_grad=False, **kwargs) -> Tensor:
    return Tensor._make(sizes_arg((size,), "empty_strided"), _kind(dtype, FLOAT32))


def complex(real, imag, *, out=None) -> Tensor:  # noqa: A001 - torch's name
    a, b = _tensor(real, "complex"), _tensor(imag, "complex")
    kinds = {"float32": "complex64", "float64": "complex128", "float16": "complex32"}
    kind = promote(a._dtype, b._dtype)
    if kind.name not in kinds:
        raise TorchTypeError(f"Expected both inputs to be Half, Float or Double tensors but got {a._dtype.name} and "
                             f"{b._dtype.name}")
    from nncalc.frameworks.torch.shapes import broadcast

    return Tensor._make(broadcast(a._shape, b._shape), DTYPES[kinds[kind.name]], a._device)


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None, **kwargs) -> Tensor:
    """The position of each value of ``input``: its shape, int64 (int32 with ``out_int32``)."""
    values = input if isinstance(input, Tensor) else Tensor._make(())
    return values._like(dtype_=DTYPES["int32"] if out_int32 else INT64)


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None) -> Tensor:
    return searchsorted(boundaries, input, out_int32=out_int32)


def cartesian_prod(*tensors) -> Tensor:
    items = [_tensor(t, "cartesian_prod") for t in tensors]
    count = 1
    for t in items:
        if len(t._shape) != 1:
            raise shape_error("cartesian_prod: Expect a 1D vector, but got shape " + str(list(t._shape)), "rank")
        count *= t._shape[0]
    kind = items[0]._dtype
    return Tensor._make((count,) if len(items) == 1 else (count, len(items)), kind, items[0]._device)


def combinations(input, r=2, with_replacement=False) -> Tensor:
    x = _tensor(input, "combinations")
    if len(x._shape) != 1:
        raise shape_error(f"Expect a 1D vector, but got shape {list(x._shape)}", "rank")
    n = x._shape[0]
    count = comb(n + r - 1, r) if with_replacement else comb(n, r)
    return x._like((count, r) if r != 1 else (count,), factors=None)


def _atleast(rank: int):
    def function(*tensors):
        items = tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else tensors
        out = []
        for t in items:
            t = _tensor(t, f"atleast_{rank}d")
            shape = t._shape
            if len(shape) < rank:
                shape = {0: (1,) * rank, 1: (1, *shape) + (1,) * (rank - 2)}.get(len(shape), (*shape, 1))
            out.append(t._like(shape) if shape != t._shape else t._like())
        return out[0] if len(out) == 1 else tuple(out)

    return function


def _stack_along(name: str, rank: int, axis_of):
    def function(tensors, *, out=None) -> Tensor:
        from nncalc.frameworks.torch.functional import cat

        items = [_atleast(rank)(_tensor(t, name)) for t in tensors]
        if not items:
            raise TorchValueError(f"{name} expects a non-empty TensorList")
        return cat(items, axis_of(items[0]))

    return function


def _column(tensors, *, out=None) -> Tensor:
    from nncalc.frameworks.torch.functional import cat

    items = [t.reshape(-1, 1) if len(t._shape) <= 1 else t for t in map(lambda v: _tensor(v, "column_stack"), tensors)]
    return cat(items, 1)


def _stat_mean(input, dim=None, *args, keepdim=False, **kwargs):
    """``std_mean``/``var_mean``: ``(statistic, mean)`` reduced over ``dim``."""
    x = _tensor(input, "std_mean")
    if args and isinstance(args[-1], bool):
        keepdim = args[-1]
    part = x._like(reduce_shape(x._shape, dim, keepdim, "std"), factors=None)
    return (part, part._like())


def result_type(tensor1, tensor2):
    kinds = [t._dtype if isinstance(t, Tensor) else (FLOAT32 if isinstance(t, float) else
                                                     BOOL if isinstance(t, bool) else INT64) for t in (tensor1, tensor2)]
    if isinstance(tensor1, Tensor) and not isinstance(tensor2, Tensor):
        return kinds[0] if not (isinstance(tensor2, float) and not kinds[0].is_floating_point) else FLOAT32
    if isinstance(tensor2, Tensor) and not isinstance(tensor1, Tensor):
        return kinds[1] if not (isinstance(tensor1, float) and not kinds[1].is_floating_point) else FLOAT32
    return promote(*kinds)


def promote_types(type1, type2):
    return promote(type1, type2)


def can_cast(from_, to) -> bool:
    order = {"bool": 0, "uint8": 1, "int8": 1, "int16": 1, "int32": 1, "int64": 1, "float16": 2, "bfloat16": 2,
             "float32": 2, "float64": 2, "complex64": 3, "complex128": 3}
    return order.get(from_.name, 2) <= order.get(to.name, 2)


def range_(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False, **kwargs) -> Tensor:
    """``torch.range(start, end, step)`` (deprecated): both ends included, float32 by default."""
    numbers = (start, end, step)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers):
        raise TorchTypeError("range(): start, end and step must be numbers known when reading the file")
    if step == 0 or (end - start) * step < 0:
        raise TorchValueError("upper bound and lower bound inconsistent with step sign")
    return Tensor._make((int((end - start) // step) + 1,), _kind(dtype, FLOAT32))


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False) -> Tensor:
    """``torch.asarray``: a tensor as it is (or cast), numbers and nested lists as ``torch.tensor`` makes them."""
    if isinstance(obj, Tensor):
        return obj if dtype is None or dtype is obj._dtype else obj._like(dtype_=_kind(dtype, obj._dtype))
    from nncalc.frameworks.torch.functional import tensor

    return tensor(obj, dtype=dtype)


def broadcast_shapes(*shapes):
    """The ``torch.Size`` the shapes broadcast to."""
    from nncalc.frameworks.torch.dtypes import Size
    from nncalc.frameworks.torch.shapes import broadcast

    result: tuple = ()
    for shape in shapes:
        result = broadcast(result, (shape,) if isinstance(shape, int) else sizes_arg((shape,), "broadcast_shapes"))
    return Size(result)


def _normalisation(name: str):
    def function(input, *args, **kwargs) -> Tensor:
        return _tensor(input, name)._like()

    function.__doc__ = f"``torch.{name}(input, …)``: the input's shape (weights are the caller's)."
    return function


FUNCTIONS = {
    "eye": eye, "tril_indices": tril_indices, "triu_indices": triu_indices, "logspace": logspace,
    "scalar_tensor": scalar_tensor, "randperm": randperm, "randint_like": randint_like, "normal": normal,
    "empty_strided": empty_strided, "complex": complex, "searchsorted": searchsorted, "bucketize": bucketize,
    "cartesian_prod": cartesian_prod, "combinations": combinations, "atleast_1d": _atleast(1),
    "atleast_2d": _atleast(2), "atleast_3d": _atleast(3),
    "hstack": _stack_along("hstack", 1, lambda t: 0 if len(t._shape) == 1 else 1),
    "vstack": _stack_along("vstack", 2, lambda t: 0), "row_stack": _stack_along("row_stack", 2, lambda t: 0),
    "dstack": _stack_along("dstack", 3, lambda t: 2), "column_stack": _column, "std_mean": _stat_mean,
    "var_mean": _stat_mean, "range": range_, "asarray": asarray, "broadcast_shapes": broadcast_shapes,
    "result_type": result_type, "promote_types": promote_types, "can_cast": can_cast,
    **{name: _normalisation(name) for name in ("layer_norm", "group_norm", "batch_norm", "instance_norm",
                                               "rms_norm", "native_layer_norm")},
}  # fmt: skip
"""``torch`` members."""
