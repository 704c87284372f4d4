"""Arithmetic beyond the operators: element-wise tests (``isnan``, ``logical_and``), binary functions
(``atan2``, ``fmod``, ``remainder``, ``floor_divide``, ``hypot``), reductions (``all``, ``any``, ``logsumexp``,
``count_nonzero``) and the matrix products with an added term (``addmm``, ``baddbmm``, ``addbmm``), ``mv``,
``dot``, ``inner``, ``tensordot``, ``cross``, ``trace``. Each is a :class:`Tensor` method (where torch has one)
and a ``torch`` function; shapes broadcast and dtypes promote as in torch. Matrix products charge their
multiply-accumulates to the calling module, as ``torch.matmul`` does.
"""

from __future__ import annotations

from math import prod

from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.dtypes import BOOL, DTYPES, FLOAT32, INT64, promote
from nncalc.frameworks.torch.errors import TorchTypeError, shape_error
from nncalc.frameworks.torch.shapes import broadcast, dim_index, reduce_shape
from nncalc.frameworks.torch.tensor import Tensor


def _tensor(value, name: str) -> Tensor:
    if not isinstance(value, Tensor):
        raise TorchTypeError(f"{name}(): argument 'input' must be Tensor, not {type(value).__name__}")
    return value


def _floating(kind):
    return kind if kind.is_floating_point or kind.is_complex else FLOAT32


# ----- element-wise ---------------------------------------------------------------------------------------
def _test(self: Tensor, *args, **kwargs) -> Tensor:
    """``isnan``, ``isinf``, ``isfinite``, ``signbit``, ``logical_not``: a bool per element."""
    return self._like(dtype_=BOOL)


def _logical(self: Tensor, other) -> Tensor:
    return self._binary(other, BOOL)


def _float_binary(self: Tensor, other) -> Tensor:
    """``atan2``, ``hypot``: integers give float32."""
    result = self._binary(other)
    return result._like(dtype_=_floating(result._dtype)) if not result._dtype.is_floating_point else result


def _promoting_binary(self: Tensor, other, *args, **kwargs) -> Tensor:
    """``fmod``, ``remainder``, ``floor_divide``, ``clamp_min``: the promoted type of both."""
    return self._binary(other)


def isclose(self: Tensor, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor:
    return self._binary(_tensor(other, "isclose"), BOOL)


def float_power(self: Tensor, exponent) -> Tensor:
    kind = DTYPES["complex128"] if self._dtype.is_complex else DTYPES["float64"]
    return self._binary(exponent, kind)


def erfinv(self: Tensor) -> Tensor:
    return self._like(dtype_=_floating(self._dtype))


# ----- reductions -----------------------------------------------------------------------------------------
def all_(self: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """``all``/``any``: a bool over ``dim`` (all dimensions by default)."""
    return self._like(reduce_shape(self._shape, dim, keepdim, "all"), dtype_=BOOL, factors=None)


def logsumexp(self: Tensor, dim, keepdim: bool = False) -> Tensor:
    return self._like(reduce_shape(self._shape, dim, keepdim, "logsumexp"), dtype_=_floating(self._dtype),
                      factors=None)


def count_nonzero(self: Tensor, dim=None) -> Tensor:
    return self._like(reduce_shape(self._shape, dim, False, "count_nonzero"), dtype_=INT64, factors=None)


def trace(self: Tensor) -> Tensor:
    if len(self._shape) != 2:
        raise shape_error(f"trace: expected a matrix, but got tensor with dim {len(self._shape)}", "rank")
    kind = self._dtype if self._dtype.is_floating_point or self._dtype.is_complex else INT64
    return Tensor._make((), kind, self._device)


# ----- products -------------------------------------------------------------------------------------------
def _product_plus(input, product: Tensor, name: str) -> Tensor:
    """``input + product`` for the ``add…`` products: ``input`` broadcasts to the product's shape."""
    term = _tensor(input, name)
    if broadcast(term._shape, product._shape) != product._shape:
        raise shape_error(f"{name}: the added tensor {list(term._shape)} does not broadcast to the product's shape "
                          f"{list(product._shape)}", "broadcast")
    return product._like(dtype_=promote(term._dtype, product._dtype))


def _matrices(a, b, ranks: tuple[int, int], name: str) -> tuple[Tensor, Tensor]:
    a, b = _tensor(a, name), _tensor(b, name)
    if (len(a._shape), len(b._shape)) != ranks:
        raise shape_error(f"{name}: expected {ranks[0]}-D and {ranks[1]}-D tensors, got {list(a._shape)} and "
                          f"{list(b._shape)}", "rank")
    return a, b


def mm(self: Tensor, mat2) -> Tensor:
    """``torch.mm``: two matrices, no broadcasting (a batch given to it is torch's error, not a batched product)."""
    for tensor, name in ((self, "self"), (_tensor(mat2, "mm"), "mat2")):
        if len(tensor._shape) != 2:
            raise shape_error(f"mm: {name} must be a matrix, got a {len(tensor._shape)}-D tensor {list(tensor._shape)}",
                              "rank")
    return self @ mat2


def bmm(self: Tensor, mat2) -> Tensor:
    """``torch.bmm``: two 3-D tensors with the same batch, no broadcasting."""
    for tensor, name in ((self, "batch1"), (_tensor(mat2, "bmm"), "batch2")):
        if len(tensor._shape) != 3:
            raise shape_error(f"bmm: {name} must be a 3D tensor, got {list(tensor._shape)}", "rank")
    if mat2._shape[:2] != (self._shape[0], self._shape[2]):
        raise shape_error(f"bmm: expected size for first two dimensions of batch2 tensor to be: "
                          f"[{self._shape[0]}, {self._shape[2]}] but got: [{mat2._shape[0]}, {mat2._shape[1]}]",
                          "features")
    return self @ mat2


def addmm(input, mat1, mat2, *, beta=1, alpha=1) -> Tensor:
    a, b = _matrices(mat1, mat2, (2, 2), "addmm")
    return _product_plus(input, a @ b, "addmm")


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1) -> Tensor:
    a, b = _matrices(batch1, batch2, (3, 3), "baddbmm")
    return _product_plus(input, a @ b, "baddbmm")


def addbmm(input, batch1, batch2, *, beta=1, alpha=1) -> Tensor:
    a, b = _matrices(batch1, batch2, (3, 3), "addbmm")
    product = a @ b
    return _product_plus(input, product._like(product._shape[1:], factors=None), "addbmm")


def addmv(input, mat, vec, *, beta=1, alpha=1) -> Tensor:
    a, b = _matrices(mat, vec, (2, 1), "addmv")
    return _product_plus(input, a @ b, "addmv")


def mv(self: Tensor, vec) -> Tensor:
    a, b = _matrices(self, vec, (2, 1), "mv")
    return a @ b


def dot(self: Tensor, other) -> Tensor:
    a, b = _matrices(self, other, (1, 1), "dot")
    if a._shape != b._shape:
        raise shape_error(f"inconsistent tensor size, expected tensor [{a._shape[0]}] and src [{b._shape[0]}] to "
                          "have the same number of elements, but got different", "features")
    return a @ b


def inner(self: Tensor, other) -> Tensor:
    b = _tensor(other, "inner")
    if not self._shape or not b._shape:
        return self._binary(b)
    if self._shape[-1] != b._shape[-1]:
        raise shape_error(f"inner() the last dimension must match on both input tensors but got shapes "
                          f"{list(self._shape)} and {list(b._shape)}", "features")
    recorder.note(prod(self._shape) * prod(b._shape[:-1]))
    return Tensor._make(self._shape[:-1] + b._shape[:-1], promote(self._dtype, b._dtype), self._device)


def tensordot(a, b, dims=2, out=None) -> Tensor:
    """``torch.tensordot(a, b, dims)``: ``dims`` an int (the last of ``a`` with the first of ``b``) or two lists."""
    a, b = _tensor(a, "tensordot"), _tensor(b, "tensordot")
    if isinstance(dims, int):
        left, right = list(range(len(a._shape) - dims, len(a._shape))), list(range(dims))
    else:
        left, right = ([d] if isinstance(d, int) else list(d) for d in dims)
    left = [dim_index(d, len(a._shape)) for d in left]
    right = [dim_index(d, len(b._shape)) for d in right]
    for i, j in zip(left, right):
        if a._shape[i] != b._shape[j]:
            raise shape_error(f"contracted dimensions need to match, but first has size {a._shape[i]} in dim {i} and "
                              f"second has size {b._shape[j]} in dim {j}", "features")
    kept_a = tuple(s for i, s in enumerate(a._shape) if i not in left)
    kept_b = tuple(s for j, s in enumerate(b._shape) if j not in right)
    recorder.note(prod(a._shape) * prod(kept_b))
    return Tensor._make(kept_a + kept_b, promote(a._dtype, b._dtype), a._device)


def cross(self: Tensor, other, dim=None) -> Tensor:
    b = _tensor(other, "cross")
    shape = broadcast(self._shape, b._shape)
    axis = dim_index(dim, len(shape)) if dim is not None else next((i for i, s in enumerate(shape) if s == 3), -1)
    if axis < 0 or shape[axis] != 3:
        raise shape_error(f"linalg.cross: inputs dimension {dim} must have length 3. Got {shape[axis]}", "features")
    return Tensor._make(shape, promote(self._dtype, b._dtype), self._device)


METHODS = {
    "isnan": _test, "isinf": _test, "isfinite": _test, "isposinf": _test, "isneginf": _test, "signbit": _test,
    "logical_not": _test, "logical_and": _logical, "logical_or": _logical, "logical_xor": _logical,
    "atan2": _float_binary, "arctan2": _float_binary, "hypot": _float_binary, "fmod": _promoting_binary,
    "remainder": _promoting_binary, "floor_divide": _promoting_binary, "clamp_min": _promoting_binary,
    "clamp_max": _promoting_binary, "bitwise_and": _promoting_binary, "bitwise_or": _promoting_binary,
    "bitwise_xor": _promoting_binary, "isclose": isclose, "float_power": float_power, "erfinv": erfinv,
    "sgn": Tensor._same, "all": all_, "any": all_, "logsumexp": logsumexp, "count_nonzero": count_nonzero,
    "trace": trace, "mv": mv, "dot": dot, "inner": inner, "cross": cross, "mm": mm, "bmm": bmm,
}  # fmt: skip
"""Tensor methods (also ``torch.<name>(tensor, …)``)."""
FUNCTIONS = {"addmm": addmm, "baddbmm": baddbmm, "addbmm": addbmm, "addmv": addmv, "tensordot": tensordot,
             "spmm": mm}
"""``torch`` functions only."""
TORCH_ALIASES = {"true_divide": "__truediv__", "eq": "eq", "ne": "ne", "lt": "lt", "le": "le", "gt": "gt",
                 "ge": "ge", "greater": "gt", "less": "lt", "greater_equal": "ge", "less_equal": "le",
                 "not_equal": "ne", "multiply": "mul", "subtract": "sub"}
"""``torch`` functions that are an existing tensor method."""

for _name, _method in METHODS.items():
    setattr(Tensor, _name, _method)
Tensor.true_divide = Tensor.__truediv__
for _name, _method in FUNCTIONS.items():
    setattr(Tensor, _name, lambda self, *args, _f=_method, **kwargs: _f(self, *args, **kwargs))
