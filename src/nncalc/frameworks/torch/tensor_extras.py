"""The rest of torch's tensor methods a model's forward may call: element-wise functions (``acos``, ``log2``,
``fmax``, ``xlogy``…), their in-place ``_`` forms, the in-place shape changes (``unsqueeze_``, ``t_``),
diagonals (``diagonal``, ``diag_embed``), ``rot90``, ``select``, ``take``, ``kthvalue``/``mode``, ``aminmax``,
``nansum``, casts (``short``, ``byte``, ``cfloat``…) and predicates (``is_complex``). Each is installed on
:class:`Tensor` only where it has none, and each is also a ``torch`` function where torch has one.
"""

from __future__ import annotations

from nncalc.frameworks.torch.dtypes import BOOL, DTYPES, FLOAT32, INT64, promote
from nncalc.frameworks.torch.errors import TorchTypeError, TorchValueError, shape_error
from nncalc.frameworks.torch.shapes import dim_index, reduce_shape
from nncalc.frameworks.torch.tensor import Tensor, ValuesIndices, named_pair

FLOAT_UNARY = (
    "acos", "asin", "atan", "acosh", "asinh", "atanh", "arccos", "arcsin", "arctan", "arccosh", "arcsinh", "arctanh",
    "cosh", "sinh", "tan", "expm1", "log2", "log10", "erfc", "lgamma", "digamma", "i0", "sinc", "logit", "deg2rad",
    "rad2deg",
)  # fmt: skip
"""Element-wise functions whose integer inputs give float32."""
SAME_UNARY = (
    "trunc", "frac", "fix", "positive", "negative", "absolute", "nan_to_num", "conj_physical", "resolve_conj",
    "resolve_neg", "renorm", "hardshrink", "matrix_power", "masked_scatter", "index_put", "select_scatter",
    "slice_scatter", "diagonal_scatter", "index_reduce", "put",
)  # fmt: skip
"""Functions whose result has the input's shape and dtype (arguments only change values)."""
FLOAT_BINARY = ("xlogy", "logaddexp", "logaddexp2", "ldexp", "nextafter", "copysign")
SAME_BINARY = ("fmax", "fmin", "heaviside", "gcd", "lcm", "bitwise_left_shift", "bitwise_right_shift")
ALIASES = {"multiply": "mul", "subtract": "sub", "not_equal": "ne", "greater": "gt", "less": "lt",
           "greater_equal": "ge", "less_equal": "le", "ravel": "flatten", "split_with_sizes": "split",
           "swapdims": "transpose", "arctan2": "atan2", "nanmean": "mean", "nansum": "sum"}
CASTS = {"short": "int16", "byte": "uint8", "char": "int8", "cfloat": "complex64", "cdouble": "complex128",
         "chalf": "complex32", "bfloat16": "bfloat16"}
INPLACE_VALUES = (
    "sin_", "cos_", "tan_", "erf_", "erfc_", "exp2_", "expm1_", "log1p_", "log2_", "log10_", "rsqrt_", "reciprocal_",
    "trunc_", "frac_", "fix_", "sgn_", "square_", "nan_to_num_", "logit_", "tril_", "triu_", "hardshrink_",
    "detach_", "clip_", "sinh_", "cosh_", "asin_", "acos_", "atan_", "atan2_", "hypot_", "lgamma_", "digamma_",
    "negative_", "absolute_", "floor_divide_", "true_divide_", "logical_and_", "logical_or_", "logical_xor_",
    "logical_not_", "eq_", "ne_", "lt_", "le_", "gt_", "ge_", "bitwise_and_", "bitwise_or_", "bitwise_xor_",
    "bitwise_not_", "masked_scatter_", "index_put_", "put_", "renorm_", "copysign_", "xlogy_", "multiply_",
    "subtract_", "divide_", "deg2rad_", "rad2deg_", "i0_", "sinc_", "heaviside_", "ldexp_", "nextafter_",
    "index_reduce_", "float_power_", "fmod_", "remainder_", "acosh_", "arccos_", "arccosh_", "arcsin_", "arcsinh_",
    "arctan2_", "arctan_", "arctanh_", "asinh_", "atanh_", "addbmm_", "addmm_", "addmv_", "addr_", "baddbmm_",
    "bitwise_left_shift_", "bitwise_right_shift_", "conj_physical_", "gcd_", "lcm_", "greater_", "greater_equal_",
    "less_", "less_equal_", "not_equal_", "igamma_", "igammac_", "mvlgamma_", "polygamma_",
)  # fmt: skip
"""In-place forms: the values change, never the shape or dtype."""


def _floating(kind):
    return kind if kind.is_floating_point or kind.is_complex else FLOAT32


def _float_unary(self: Tensor, *args, **kwargs) -> Tensor:
    return self._like(dtype_=_floating(self._dtype))


def _same(self: Tensor, *args, **kwargs) -> Tensor:
    return self._like()


def _float_binary(self: Tensor, other, *args, **kwargs) -> Tensor:
    result = self._binary(other)
    return result._like(dtype_=_floating(result._dtype))


def _same_binary(self: Tensor, other, *args, **kwargs) -> Tensor:
    return self._binary(other)


def _values_inplace(self: Tensor, *args, **kwargs) -> Tensor:
    self._values = None  # new values, unknown
    return self


def _shape_inplace(name: str):
    """``unsqueeze_``, ``t_``…: the out-of-place result's shape, given to ``self``."""

    def method(self: Tensor, *args, **kwargs) -> Tensor:
        result = getattr(self, name)(*args, **kwargs)
        self._shape, self._factors = result._shape, result._factors
        return self

    return method


def _cast(name: str):
    def method(self: Tensor, *args, **kwargs) -> Tensor:
        return self._like(dtype_=DTYPES[name])

    return method


def diagonal(self: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    rank = len(self._shape)
    a, b = dim_index(dim1, rank), dim_index(dim2, rank)
    if a == b:
        raise shape_error(f"diagonal dimensions cannot be identical {dim1}, {dim2}", "rank")
    rows, cols = self._shape[a], self._shape[b]
    length = max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))
    return self._like(tuple(s for i, s in enumerate(self._shape) if i not in (a, b)) + (length,), factors=None)


def diag_embed(self: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    size = self._shape[-1] + abs(offset)
    rank = len(self._shape) + 1
    a, b = dim_index(dim1, rank), dim_index(dim2, rank)
    shape = list(self._shape[:-1])
    for axis in sorted((a, b)):
        shape.insert(axis, size)
    return self._like(tuple(shape), factors=None)


def rot90(self: Tensor, k: int = 1, dims=(0, 1)) -> Tensor:
    if len(dims) != 2:
        raise TorchValueError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    a, b = dim_index(dims[0], len(self._shape)), dim_index(dims[1], len(self._shape))
    if k % 2 == 0:
        return self._like()
    shape = list(self._shape)
    shape[a], shape[b] = shape[b], shape[a]
    return self._like(tuple(shape), factors=None)


def select(self: Tensor, dim: int, index: int) -> Tensor:
    axis = dim_index(dim, len(self._shape))
    size = self._shape[axis]
    if not -size <= index < size:
        raise shape_error(f"select(): index {index} out of range for tensor of size {list(self._shape)} at dimension "
                          f"{axis}", "reshape")
    return self._like(self._shape[:axis] + self._shape[axis + 1:], factors=None)


def take(self: Tensor, index) -> Tensor:
    if not isinstance(index, Tensor):
        raise TorchTypeError(f"take(): argument 'index' must be Tensor, not {type(index).__name__}")
    return self._like(index._shape, factors=None)


def kthvalue(self: Tensor, k: int = 1, dim: int = -1, keepdim: bool = False):
    """``kthvalue``/``mode``: ``(values, indices)`` over ``dim``."""
    values = self._like(reduce_shape(self._shape, dim, keepdim, "kthvalue"), factors=None)
    return ValuesIndices(values, values._like(dtype_=INT64))


def mode(self: Tensor, dim: int = -1, keepdim: bool = False):
    return kthvalue(self, 1, dim, keepdim)


MinMax = named_pair("MinMax", "min", "max")
"""What ``aminmax`` returns."""


def aminmax(self: Tensor, *, dim=None, keepdim: bool = False):
    part = self._like(reduce_shape(self._shape, dim, keepdim, "aminmax"), factors=None)
    return MinMax(part, part._like())


def where_method(self: Tensor, condition, other) -> Tensor:
    from nncalc.frameworks.torch.functional import where

    return where(condition, self, other)


def vdot(self: Tensor, other) -> Tensor:
    return Tensor._make((), promote(self._dtype, other._dtype), self._device)


def addr(self: Tensor, vec1, vec2, *, beta=1, alpha=1) -> Tensor:
    from nncalc.frameworks.torch.indexing_ops import outer

    product = outer(vec1, vec2)
    return product._like(dtype_=promote(self._dtype, product._dtype))


def _split_into(axis_default: int, name: str):
    """``hsplit``/``vsplit``/``dsplit``: ``tensor_split`` along dim 1 (0 for 1-D), 0 or 2."""

    def method(self: Tensor, sections):
        axis = 0 if name == "hsplit" and len(self._shape) == 1 else axis_default
        if len(self._shape) <= axis:
            raise shape_error(f"torch.{name} requires a tensor with at least {axis + 1} dimension, but got a tensor "
                              f"with {len(self._shape)} dimensions!", "rank")
        if isinstance(sections, int) and self._shape[axis] % sections:
            raise shape_error(f"torch.{name} attempted to split along dimension {axis}, but the size of the "
                              f"dimension {self._shape[axis]} is not divisible by the split_size {sections}!",
                              "reshape")
        return self.tensor_split(sections, axis)

    return method


def new_tensor(self: Tensor, data, *, dtype=None, device=None, requires_grad=False, **kwargs) -> Tensor:
    from nncalc.frameworks.torch.functional import tensor

    return tensor(data, dtype=dtype or self._dtype)


def _conj_transpose(self: Tensor) -> Tensor:
    """``mH``, ``H``, ``adjoint()``: the last two dimensions swapped."""
    if len(self._shape) < 2:
        raise shape_error(f"tensor.mH is only supported on matrices or batches of matrices. Got {len(self._shape)}-D "
                          "tensor.", "rank")
    return self.transpose(-2, -1)


def stride(self: Tensor, dim=None):
    """The strides of a contiguous tensor of this shape (nncalc's tensors are all contiguous)."""
    strides, step = [], 1
    for size in reversed(self._shape):
        strides.insert(0, step)
        step *= max(size, 1)
    return tuple(strides) if dim is None else strides[dim_index(dim, len(self._shape))]


def sum_to_size(self: Tensor, *size) -> Tensor:
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (list, tuple)) else tuple(size)
    return self._like(shape, factors=None)


def msort(self: Tensor) -> Tensor:
    return self.sort(0)[0]


def diagflat(self: Tensor, offset: int = 0) -> Tensor:
    size = self.numel() + abs(offset)
    return self._like((size, size), factors=None)


def cov(self: Tensor, *, correction: int = 1, fweights=None, aweights=None) -> Tensor:
    """``cov``/``corrcoef`` of the rows of a 2-D input (one variable per row)."""
    if len(self._shape) > 2:
        raise shape_error(f"cov(): expected input to have two or fewer dimensions but got an input with "
                          f"{len(self._shape)} dimensions", "rank")
    rows = self._shape[0] if len(self._shape) == 2 else 1
    return self._like((rows, rows) if len(self._shape) == 2 else (), dtype_=_floating(self._dtype), factors=None)


def _matrix_reduce(self: Tensor) -> Tensor:
    """``det``, ``logdet``: one number per (batched) square matrix."""
    if len(self._shape) < 2 or self._shape[-1] != self._shape[-2]:
        raise shape_error(f"linalg: A must be batches of square matrices, but they are {self._shape[-2:]} matrices",
                          "reshape")
    return self._like(self._shape[:-2], factors=None)


def _square_same(self: Tensor) -> Tensor:
    """``inverse``, ``matrix_exp``: a square matrix (batch) in, the same shape out."""
    _matrix_reduce(self)
    return self._like()


def real(self: Tensor) -> Tensor:
    """``real``/``angle``: complex gives its real type; a real tensor stays (``angle``: a float)."""
    from nncalc.frameworks.torch.indexing_ops import REAL_OF

    return self._like(dtype_=DTYPES[REAL_OF[self._dtype.name]] if self._dtype.is_complex else None)


def imag(self: Tensor) -> Tensor:
    if not self._dtype.is_complex:
        raise TorchTypeError("imag is not implemented for tensors with non-complex dtypes.")
    return real(self)


def angle(self: Tensor) -> Tensor:
    return real(self) if self._dtype.is_complex else self._like(dtype_=_floating(self._dtype))


def multinomial(self: Tensor, num_samples: int, replacement: bool = False, *, generator=None) -> Tensor:
    if len(self._shape) not in (1, 2):
        raise shape_error("prob_dist must be 1 or 2 dim", "rank")
    return self._like(self._shape[:-1] + (num_samples,), dtype_=INT64, factors=None)


def histc(self: Tensor, bins: int = 100, min=0, max=0) -> Tensor:  # noqa: A002 - torch's names
    return self._like((bins,), factors=None)


def quantile(self: Tensor, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    """A float ``q`` reduces over ``dim``; a 1-D tensor of ``k`` quantiles puts ``k`` first."""
    shape = reduce_shape(self._shape, dim, keepdim, "quantile")
    if isinstance(q, Tensor) and q._shape:
        shape = (q._shape[0],) + shape
    return self._like(shape, factors=None)


def _no_op(self: Tensor, *args, **kwargs):
    return None


class _Hook:
    def remove(self) -> None:
        return None


PREDICATES = {
    "is_complex": lambda self: self._dtype.is_complex, "is_contiguous": lambda self, *a, **k: True,
    "is_signed": lambda self: self._dtype.name not in ("uint8", "bool"), "is_leaf": True, "is_cpu": True,
    "is_meta": False, "is_sparse": False, "is_quantized": False, "is_nested": False, "is_mkldnn": False,
    "is_conj": lambda self: False, "is_neg": lambda self: False, "is_inference": lambda self: False,
    "itemsize": None, "nbytes": None, "mH": None, "H": None,
}
STRUCTURAL = {
    "diagonal": diagonal, "diag_embed": diag_embed, "rot90": rot90, "select": select, "take": take,
    "kthvalue": kthvalue, "mode": mode, "aminmax": aminmax, "where": where_method, "vdot": vdot, "addr": addr,
    "hsplit": _split_into(1, "hsplit"), "vsplit": _split_into(0, "vsplit"), "dsplit": _split_into(2, "dsplit"),
    "new_tensor": new_tensor, "adjoint": _conj_transpose, "stride": stride, "sum_to_size": sum_to_size,
    "msort": msort, "diagflat": diagflat, "cov": cov, "corrcoef": cov, "det": _matrix_reduce,
    "logdet": _matrix_reduce, "inverse": _square_same, "matrix_exp": _square_same, "pinverse": _conj_transpose,
    "storage_offset": lambda self: 0, "get_device": lambda self: -1, "retain_grad": _no_op,
    "register_hook": lambda self, hook: _Hook(), "bitwise_not": _same, "prelu": _same, "narrow_copy": None,
    "angle": angle, "conj": _same, "bernoulli": _same, "multinomial": multinomial,
    "histc": histc, "quantile": quantile, "nanquantile": quantile, "unsafe_chunk": None, "unsafe_split": None, "nanmedian": None, "addcmul": None, "addcdiv": None, "dist": None,
}  # fmt: skip
LATE = {"narrow_copy": "narrow", "unsafe_chunk": "chunk", "unsafe_split": "split", "nanmedian": "median"}
"""Methods that are another method (looked up when installed)."""
TORCH_ONLY = ("new_tensor", "where", "stride", "storage_offset", "get_device", "retain_grad", "register_hook", "is_contiguous", "is_leaf", "is_cpu", "is_meta", "is_sparse", "is_quantized",
              "is_nested", "is_mkldnn")


def _methods() -> dict:
    methods: dict = {name: _float_unary for name in FLOAT_UNARY}
    methods.update({name: _same for name in SAME_UNARY})
    methods.update({name: _float_binary for name in FLOAT_BINARY})
    methods.update({name: _same_binary for name in SAME_BINARY})
    methods.update({name: _cast(kind) for name, kind in CASTS.items()})
    methods.update({name: method for name, method in STRUCTURAL.items() if method is not None})
    methods.update({name: getattr(Tensor, target) for name, target in LATE.items()})
    from nncalc.frameworks.torch.distance import dist
    from nncalc.frameworks.torch.functional import addcmul

    methods.update(addcmul=addcmul, addcdiv=addcmul, dist=dist)
    methods.update({name: _values_inplace for name in INPLACE_VALUES})
    for name in ("unsqueeze", "squeeze", "t", "transpose", "swapaxes", "swapdims"):
        methods[name + "_"] = _shape_inplace(name)
    return methods


_INSTALLED: dict = {}


def install() -> dict:
    """Give :class:`Tensor` the methods it lacks (once); the ``torch`` functions among them, by name."""
    if _INSTALLED:
        return _INSTALLED
    functions = _INSTALLED
    for name, method in _methods().items():
        if not hasattr(Tensor, name):
            setattr(Tensor, name, method)
        if not name.endswith("_") and name not in CASTS and name not in TORCH_ONLY:
            functions[name] = method
    for name, target in ALIASES.items():
        if not hasattr(Tensor, name):
            setattr(Tensor, name, getattr(Tensor, target))
        functions[name] = getattr(Tensor, name)
    for name, value in PREDICATES.items():
        if not hasattr(Tensor, name) and value is not None:
            setattr(Tensor, name, property(lambda self, v=value: v) if not callable(value) else value)
    if not hasattr(Tensor, "real"):  # attributes in torch, not methods
        Tensor.real, Tensor.imag = property(real), property(imag)
    if not hasattr(Tensor, "mH"):
        Tensor.mH = Tensor.H = property(_conj_transpose)
        Tensor.itemsize = property(lambda self: self.element_size())
        Tensor.nbytes = property(lambda self: self.element_size() * self.numel())
    functions["is_complex"] = PREDICATES["is_complex"]
    return functions
