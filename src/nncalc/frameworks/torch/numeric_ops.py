"""Numerical functions whose shapes follow simple rules: special functions (``frexp``, ``igamma``,
``polygamma``, ``mvlgamma``), finite differences and integrals (``gradient``, ``trapezoid``,
``cumulative_trapezoid``), ``histogram``/``histogramdd`` with a number of bins, ``isin``, ``vander``,
``unravel_index``, the samplers ``binomial``/``poisson``, ``nonzero_static``, ``block_diag``, ``rsub``,
``chain_matmul``, ``fill``, ``resize``/``resize_as`` and the tensor predicates as ``torch`` functions.
Dtypes follow torch (integers give float32 where torch computes in floating point).
"""

from __future__ import annotations

from math import prod

from nncalc.frameworks.torch.dtypes import BOOL, DTYPES, FLOAT32, INT64, TYPE_NAMES, promote
from nncalc.errors import UnknownLayer
from nncalc.frameworks.torch.errors import TorchTypeError, TorchValueError, shape_error
from nncalc.frameworks.torch.shapes import dim_index, sizes_arg
from nncalc.frameworks.torch.tensor import Tensor, named_pair

Frexp = named_pair("frexp", "mantissa", "exponent")
Histogram = named_pair("histogram", "hist", "bin_edges")


def _tensor(value, name: str, argument: str = "input") -> Tensor:
    if not isinstance(value, Tensor):
        raise TorchTypeError(f"{name}(): argument '{argument}' must be Tensor, not {type(value).__name__}")
    return value


def _floating(kind):
    return kind if kind.is_floating_point or kind.is_complex else FLOAT32


def _float_input(x: Tensor, message: str) -> Tensor:
    if not x._dtype.is_floating_point:
        raise TorchTypeError(message)
    return x


# ----- special functions ----------------------------------------------------------------------------------
def frexp(self: Tensor):
    _float_input(self, "torch.frexp() only supports floating-point dtypes")
    return Frexp(self._like(), self._like(dtype_=DTYPES["int32"]))


def igamma(self: Tensor, other) -> Tensor:
    """``igamma``/``igammac``: float inputs only, the promoted shape and type."""
    result = self._binary(other)
    if result is NotImplemented or not result._dtype.is_floating_point:
        raise TorchTypeError(f'"igamma_cpu" not implemented for \'{_torch_type(result)}\'')
    return result


def _torch_type(result) -> str:
    return TYPE_NAMES[result._dtype.name] if isinstance(result, Tensor) else "Long"


def polygamma_method(self: Tensor, n: int) -> Tensor:
    return self._like(dtype_=_floating(self._dtype))


def polygamma(n: int, input) -> Tensor:
    return polygamma_method(_tensor(input, "polygamma"), n)


def mvlgamma(self: Tensor, p: int) -> Tensor:
    return self._like(dtype_=_floating(self._dtype))


# ----- differences and integrals --------------------------------------------------------------------------
def gradient(self: Tensor, *, spacing=1, dim=None, edge_order: int = 1) -> tuple:
    """One estimate per dimension (or per ``dim``), each of the input's shape."""
    dims = range(len(self._shape)) if dim is None else [dim] if isinstance(dim, int) else list(dim)
    axes = [dim_index(d, len(self._shape)) for d in dims]
    for axis in axes:
        if self._shape[axis] < edge_order + 1:
            raise shape_error("torch.gradient expected each dimension size to be at least edge_order+1", "reshape")
    return tuple(self._like(dtype_=_floating(self._dtype)) for _ in axes)


def trapezoid(y, x=None, *, dx=None, dim: int = -1) -> Tensor:
    """The integral along ``dim``: that dimension goes."""
    y = _tensor(y, "trapezoid", "y")
    axis = dim_index(dim, len(y._shape))
    kind = promote(y._dtype, x._dtype) if isinstance(x, Tensor) else y._dtype
    return y._like(y._shape[:axis] + y._shape[axis + 1:], dtype_=_floating(kind), factors=None)


def trapz(y, x=None, *, dx=None, dim: int = -1) -> Tensor:
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y, x=None, *, dx=None, dim: int = -1) -> Tensor:
    """The running integral along ``dim``: one shorter there."""
    y = _tensor(y, "cumulative_trapezoid", "y")
    axis = dim_index(dim, len(y._shape))
    kind = promote(y._dtype, x._dtype) if isinstance(x, Tensor) else y._dtype
    shape = y._shape[:axis] + (max(y._shape[axis] - 1, 0),) + y._shape[axis + 1:]
    return y._like(shape, dtype_=_floating(kind), factors=None)


# ----- counting and sampling ------------------------------------------------------------------------------
def histogram(self: Tensor, bins=100, *, range=None, weight=None, density: bool = False):  # noqa: A002
    """``(hist, bin_edges)``: ``bins`` counts and ``bins + 1`` edges (or the given edges)."""
    _float_input(self, f'"histogram_cpu" not implemented for \'{_torch_type(self)}\'')
    edges = bins._shape[0] if isinstance(bins, Tensor) else bins + 1
    return Histogram(self._like((edges - 1,), factors=None), self._like((edges,), factors=None))


def histogramdd(input, bins=10, *, range=None, weight=None, density: bool = False):  # noqa: A002
    """``(hist, bin_edges)`` of ``N × D`` points: a ``D``-dimensional count and ``D`` tensors of edges."""
    x = _float_input(_tensor(input, "histogramdd"), f'"histogramdd" not implemented for \'{_torch_type(input)}\'')
    dims = x._shape[-1] if x._shape else 1
    counts = [bins] * dims if isinstance(bins, int) else [b._shape[0] - 1 if isinstance(b, Tensor) else b
                                                         for b in bins]
    if len(counts) != dims:
        raise TorchValueError(f"histogramdd: expected {dims} sequences of bin edges for each dimension, but got "
                              f"{len(counts)}")
    return Histogram(x._like(tuple(counts), factors=None), [x._like((c + 1,), factors=None) for c in counts])


def isin(elements, test_elements, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    if isinstance(elements, Tensor):
        return elements._like(dtype_=BOOL)
    _tensor(test_elements, "isin", "test_elements")
    return Tensor._make((), BOOL)


def vander(x, N=None, increasing: bool = False) -> Tensor:  # noqa: N803 - torch's name
    x = _tensor(x, "vander", "x")
    if len(x._shape) != 1:
        raise shape_error("x must be a one-dimensional tensor.", "rank")
    columns = x._shape[0] if N is None else N
    if columns < 0:
        raise TorchValueError("N must be non-negative.")
    kind = INT64 if not x._dtype.is_floating_point and not x._dtype.is_complex else x._dtype
    return x._like((x._shape[0], columns), dtype_=kind, factors=None)


def unravel_index(indices, shape) -> tuple:
    """One int64 tensor of ``indices``'s shape per dimension of ``shape``."""
    x = _tensor(indices, "unravel_index", "indices")
    if x._dtype.is_floating_point or x._dtype.is_complex or x._dtype is BOOL:
        raise TorchTypeError(f"expected 'indices' to be integer dtype, but got {x._dtype!r}")
    dims = sizes_arg((shape,), "unravel_index") if not isinstance(shape, int) else (shape,)
    return tuple(x._like(dtype_=INT64, factors=None) for _ in dims)


def binomial(count, prob, generator=None) -> Tensor:
    n, p = _tensor(count, "binomial", "count"), _tensor(prob, "binomial", "prob")
    if not n._dtype.is_floating_point:
        raise TorchTypeError(f"binomial only supports floating-point dtypes for count, got: {_torch_type(n)}")
    return n._binary(p)


def poisson(self: Tensor, generator=None) -> Tensor:
    return _float_input(self, f'"poisson_cpu" not implemented for \'{_torch_type(self)}\'')._like()


def nonzero_static(self: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """Exactly ``size`` rows of indices (padded or cut), one column per dimension."""
    if not isinstance(size, int) or size < 0:
        raise TorchValueError(f"nonzero_static: 'size' must be an non-negative integer, got {size!r}")
    return self._like((size, len(self._shape)), dtype_=INT64, factors=None)


# ----- shapes -----------------------------------------------------------------------------------------------
def block_diag(*tensors) -> Tensor:
    """The tensors (at most 2-D; a scalar is 1 × 1, a vector one row) along the diagonal."""
    rows = cols = 0
    kind = None
    for i, t in enumerate(tensors):
        t = _tensor(t, "block_diag", "tensors")
        if len(t._shape) > 2:
            raise shape_error(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                              f"{len(t._shape)} dimensions", "rank")
        shape = (1, 1) if not t._shape else (1,) + t._shape if len(t._shape) == 1 else t._shape
        rows, cols = rows + shape[0], cols + shape[1]
        kind = t._dtype if kind is None else promote(kind, t._dtype)
    return Tensor._make((rows, cols), kind or FLOAT32)


def rsub(self: Tensor, other, *, alpha=1) -> Tensor:
    """``other - alpha * input``."""
    result = self._binary(other)
    if result is NotImplemented:
        raise TorchTypeError(f"rsub(): argument 'other' must be Tensor or Number, not {type(other).__name__}")
    if isinstance(alpha, float) and not result._dtype.is_floating_point:
        result = result._like(dtype_=FLOAT32)
    return result


def chain_matmul(*matrices, out=None) -> Tensor:
    if not matrices:
        raise TorchValueError("chain_matmul(): Expected one or more matrices")
    from nncalc.frameworks.torch.linalg import multi_dot

    first = _tensor(matrices[0], "chain_matmul", "matrices")
    return first._like() if len(matrices) == 1 else multi_dot(matrices)


def fill(self: Tensor, value) -> Tensor:
    return self._like()


def resize(self: Tensor, *sizes) -> Tensor:
    """``resize``/``resize_as`` (autograd's): a new shape of the same number of elements."""
    shape = sizes_arg(sizes, "resize")
    if prod(shape) != prod(self._shape):
        raise shape_error(f"requested resize to {'x'.join(map(str, shape))} ({prod(shape)} elements in total), but "
                          f"the given tensor has a size of {'x'.join(map(str, self._shape))} ({prod(self._shape)} "
                          "elements). autograd's resize can only change the shape of a given tensor, while "
                          "preserving the number of elements.", "reshape")
    return self._like(shape, factors=None)


def resize_as(self: Tensor, the_template) -> Tensor:
    return resize(self, _tensor(the_template, "resize_as", "the_template")._shape)


def resize_(self: Tensor, *sizes, memory_format=None) -> Tensor:
    """In place, to any shape (the storage grows): the tensor takes the new sizes."""
    self._shape, self._factors, self._values = sizes_arg(sizes, "resize_"), None, None
    return self


def resize_as_(self: Tensor, the_template, *, memory_format=None) -> Tensor:
    return resize_(self, _tensor(the_template, "resize_as_", "the_template")._shape)


def is_same_size(self: Tensor, other) -> bool:
    return self._shape == _tensor(other, "is_same_size", "other")._shape


def isreal(self: Tensor) -> Tensor:
    return self._like(dtype_=BOOL)


def _depends_on_values(name: str, what: str):
    """``nonzero``, ``masked_select``…: the size of the result is a count of values, which a reader of the
    file cannot know; refused, naming the fixed-size alternative."""

    def refuse(*args, **kwargs):
        raise UnknownLayer(f"torch.{name}(): {what} depends on the tensor's values, which nncalc does not know when "
                           "it reads a model", hint=REFUSALS[name][1])

    refuse.__name__ = name
    return refuse


REFUSALS = {
    "nonzero": ("the number of non-zero elements", "torch.nonzero_static(x, size=N) has a fixed size"),
    "argwhere": ("the number of non-zero elements", "torch.nonzero_static(x, size=N) has a fixed size"),
    "masked_select": ("the number of selected elements", "torch.where(mask, x, 0) keeps the shape"),
    "unique_consecutive": ("the number of distinct runs", None),
    "bincount": ("the number of bins (the largest value + 1)", "torch.histc(x, bins=N) has a fixed size"),
}


def unsafe_split_with_sizes(self: Tensor, split_sizes, dim: int = 0) -> tuple:
    return self.split(list(split_sizes), dim)


METHODS = {
    "frexp": frexp, "igamma": igamma, "igammac": igamma, "polygamma": polygamma_method, "mvlgamma": mvlgamma,
    "histogram": histogram, "nonzero_static": nonzero_static,
    "resize": resize, "resize_as": resize_as, "resize_": resize_, "resize_as_": resize_as_,
    "is_same_size": is_same_size, "isreal": isreal, "unsafe_split_with_sizes": unsafe_split_with_sizes,
}  # fmt: skip
"""Tensor methods (also ``torch`` functions, but for ``resize``/``resize_as``, which torch lacks)."""
FUNCTIONS = {
    "polygamma": polygamma, "gradient": gradient, "trapezoid": trapezoid, "trapz": trapz,
    "cumulative_trapezoid": cumulative_trapezoid, "histogramdd": histogramdd, "isin": isin, "vander": vander,
    "unravel_index": unravel_index, "binomial": binomial, "poisson": poisson, "block_diag": block_diag,
    "rsub": rsub, "chain_matmul": chain_matmul, "fill": fill, "get_device": lambda input: input.get_device(),
    **{name: lambda input, _name=name: getattr(input, _name)() for name in ("is_conj", "is_neg", "is_signed",
                                                                             "is_inference")},
}  # fmt: skip
"""``torch`` functions (``polygamma`` takes ``n`` first as a function)."""
_METHOD_ONLY = ("resize", "resize_as", "resize_")


def install() -> dict:
    """Give :class:`Tensor` the methods; the ``torch`` functions, by name."""
    functions = {}
    for name, method in METHODS.items():
        setattr(Tensor, name, method)
        if name not in _METHOD_ONLY:
            functions[name] = method
    functions.update(FUNCTIONS)
    for name, (what, _) in REFUSALS.items():
        functions[name] = _depends_on_values(name, what)
        setattr(Tensor, name, lambda self, *args, _f=functions[name], **kwargs: _f(self, *args, **kwargs))
    return functions
