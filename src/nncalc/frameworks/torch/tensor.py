"""The symbolic ``torch.Tensor``: a shape, a dtype and a device, never any elements.

Every operation computes only the result's shape, so a trace costs per layer, not per element.
"""

from __future__ import annotations

from math import prod

from nncalc.errors import InterpreterError
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.dtypes import (
    BOOL, CPU, DTYPES, FLOAT32, INT64, STRIDED, TYPE_NAMES, Size, dtype, layout, promote,
)
from nncalc.frameworks.torch.dtypes import device as Device
from nncalc.frameworks.torch.errors import TorchTypeError, TorchValueError, shape_error, unknown_value
from nncalc.frameworks.torch.shapes import (
    broadcast,
    dim_index,
    index_shape,
    matmul_shape,
    merged_factors,
    reduce_shape,
    regroup,
    sizes_arg,
)
from nncalc.layers.reshape import flatten_output, permute_output, reshape_output


def named_pair(name: str, first: str, second: str) -> type:
    """A pair type whose items are also attributes, like torch's small named tuples (``aminmax``'s
    ``(min, max)``, ``AdaptiveLogSoftmaxWithLoss``'s ``(output, loss)``)."""

    def new(cls, a, b):
        return tuple.__new__(cls, (a, b))

    return type(name, (tuple,), {"__new__": new, first: property(lambda self: self[0]),
                                 second: property(lambda self: self[1]), "__doc__": f"``({first}, {second})``."})


class ValuesIndices(tuple):
    """What ``max(dim)``, ``topk`` and ``sort`` return: a pair that also has ``.values`` and ``.indices``."""

    def __new__(cls, values, indices):
        return super().__new__(cls, (values, indices))

    @property
    def values(self) -> "Tensor":
        return self[0]

    @property
    def indices(self) -> "Tensor":
        return self[1]


ON_DEMAND: list = []
"""The loader of the op families read on first use (:func:`nncalc.frameworks.torch.functional.load_families`):
True when it loaded them just now."""


class Tensor:
    """A tensor of known shape and dtype whose values nncalc never computes.

    ``torch.Tensor(2, 3)`` builds one like the legacy torch constructor; model code mostly gets tensors from
    ``torch.zeros(...)`` or as the input of ``forward``.
    """

    __nncalc_mutable__ = True  # user code sets ``p.requires_grad = False``
    _values: tuple | None = None  # the elements of a small 1-D tensor made from known numbers (linspace)
    _sources: tuple | None = None  # the module calls this tensor was computed from (recorder.lineage); None: unknown

    def __getattr__(self, name: str):
        """A method of an op family not loaded yet (``x.qr()``, ``x.stft(...)``): loaded now, then looked up."""
        if not name.startswith("_") and ON_DEMAND and ON_DEMAND[0]():
            return getattr(self, name)
        raise AttributeError(f"'Tensor' object has no attribute '{name}'")

    def __init__(self, *size, dtype=None, device=None, requires_grad=False):
        self._shape = sizes_arg(size, "Tensor")
        self._dtype = dtype or FLOAT32
        self._device = device if isinstance(device, Device) else CPU
        self._factors = None
        self.requires_grad = bool(requires_grad)

    @classmethod
    def _make(cls, shape: tuple, dtype_: dtype = FLOAT32, device_: Device = CPU, factors=None) -> "Tensor":
        tensor = object.__new__(Tensor)
        tensor._shape = shape
        tensor._dtype = dtype_
        tensor._device = device_
        tensor._factors = factors
        tensor.requires_grad = False
        return tensor

    def _like(self, shape: tuple | None = None, dtype_: dtype | None = None, factors="keep") -> "Tensor":
        if factors == "keep":
            factors = self._factors if shape is None or shape == self._shape else None
        result = Tensor._make(self._shape if shape is None else shape, dtype_ or self._dtype, self._device, factors)
        if shape is None or shape == self._shape:  # the same positions: an elementwise op keeps the lineage
            result._sources = self._sources
        return result

    # ----- attributes ---------------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        """The sizes, as ``torch.Size``."""
        return Size(self._shape)

    @property
    def dtype(self) -> dtype:
        return self._dtype

    @property
    def device(self) -> Device:
        return self._device

    @property
    def layout(self) -> layout:
        return STRIDED

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def is_cuda(self) -> bool:
        return self._device.type == "cuda"

    @property
    def data(self) -> "Tensor":
        return self

    @data.setter
    def data(self, value) -> None:
        if isinstance(value, Tensor):
            self._shape, self._dtype = value._shape, value._dtype

    @property
    def grad(self):
        return None

    @property
    def T(self) -> "Tensor":  # noqa: N802 - torch's name
        return self._like(tuple(reversed(self._shape)), factors=None)

    @property
    def mT(self) -> "Tensor":  # noqa: N802 - torch's name
        return self.transpose(-2, -1)

    def size(self, dim=None):
        """``torch.Size`` of the tensor, or the size of one dimension."""
        if dim is None:
            return Size(self._shape)
        return self._shape[dim_index(dim, len(self._shape))]

    def dim(self) -> int:
        return len(self._shape)

    ndimension = dim

    def numel(self) -> int:
        return prod(self._shape)

    nelement = numel

    def element_size(self) -> int:
        return self._dtype.itemsize

    def is_floating_point(self) -> bool:
        return self._dtype.is_floating_point

    def item(self):
        """The number, for a one-element tensor nncalc knows the values of (``torch.linspace(...)[i]``)."""
        if self._values is not None and len(self._values) == 1:
            return self._values[0]
        return unknown_value("tensor.item()")

    def tolist(self):
        if self._values is not None and len(self._shape) <= 1:
            return list(self._values) if self._shape else self._values[0]
        return unknown_value("tensor.tolist()")

    def numpy(self):
        return unknown_value("tensor.numpy()")

    def __repr__(self) -> str:
        return f"tensor(shape={list(self._shape)}, dtype={self._dtype!r})"

    def __len__(self) -> int:
        if not self._shape:
            raise TorchTypeError("len() of a 0-d tensor")
        return self._shape[0]

    def __iter__(self):
        if not self._shape:
            raise TorchTypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._shape[0]))

    def __bool__(self) -> bool:
        raise InterpreterError(
            "the value of a tensor is not known when nncalc reads a model (only its shape is)",
            hint="branch on shapes (x.dim(), x.shape[1]) or on plain Python values instead",
        )

    __hash__ = object.__hash__

    # ----- conversions --------------------------------------------------------------------------------
    def to(self, *args, **kwargs) -> "Tensor":
        """``to(dtype)``, ``to(device)``, ``to(other)``, ``to(device, dtype)``: only the dtype matters."""
        new = self._dtype
        for value in list(args) + [kwargs.get("dtype"), kwargs.get("device")]:
            if isinstance(value, dtype):
                new = value
            elif isinstance(value, Tensor):
                new = value._dtype
        return self if new is self._dtype else self._like(dtype_=new)

    def type(self, dtype_=None):
        if dtype_ is None:
            return f"torch.{self._dtype.name.capitalize()}Tensor"
        return self.to(dtype_)

    def float(self) -> "Tensor":
        return self.to(DTYPES["float32"])

    def double(self) -> "Tensor":
        return self.to(DTYPES["float64"])

    def half(self) -> "Tensor":
        return self.to(DTYPES["float16"])

    def bfloat16(self) -> "Tensor":
        return self.to(DTYPES["bfloat16"])

    def long(self) -> "Tensor":
        return self.to(INT64)

    def int(self) -> "Tensor":
        return self.to(DTYPES["int32"])

    def bool(self) -> "Tensor":
        return self.to(BOOL)

    def cpu(self) -> "Tensor":
        return self

    def cuda(self, *args, **kwargs) -> "Tensor":
        return self

    def detach(self) -> "Tensor":
        return self._like()

    def clone(self, *, memory_format=None) -> "Tensor":
        """``x.clone()``, ``x.contiguous(memory_format=torch.channels_last)``: the layout changes, not the shape."""
        return self._like()

    contiguous = clone

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        self.requires_grad = bool(requires_grad)
        return self

    def _inplace(self, *args, **kwargs) -> "Tensor":
        self._values = None  # new values, unknown
        return self

    # initialisers and in-place updates: values only, the shape stays
    normal_ = uniform_ = zero_ = fill_ = copy_ = add_ = sub_ = mul_ = div_ = clamp_ = _inplace
    relu_ = sigmoid_ = tanh_ = exponential_ = bernoulli_ = fill_diagonal_ = masked_fill_ = _inplace
    trunc_normal_ = kaiming_normal_ = kaiming_uniform_ = xavier_uniform_ = xavier_normal_ = _inplace
    erfinv_ = exp_ = log_ = sqrt_ = abs_ = neg_ = floor_ = ceil_ = round_ = sign_ = pow_ = fmod_ = _inplace
    remainder_ = clamp_min_ = clamp_max_ = lerp_ = addcmul_ = addcdiv_ = geometric_ = log_normal_ = _inplace
    cauchy_ = random_ = index_fill_ = scatter_ = orthogonal_ = _inplace

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False, **kwargs) -> "Tensor":
        """A new tensor of ``size`` with this tensor's dtype and device (``new_zeros``, ``new_ones`` alike)."""
        return Tensor._make(sizes_arg(size, "new_empty"), dtype or self._dtype, self._device)

    new_zeros = new_ones = new_empty

    def new(self, *sizes, **kwargs) -> "Tensor":
        """The legacy ``weight.new(n_layers, batch, hidden)``: sizes give an uninitialised tensor of this dtype
        (a list or tuple would be the data, ``new()`` an empty one)."""
        if sizes and all(isinstance(s, int) and not isinstance(s, bool) for s in sizes):
            return self.new_empty(*sizes)
        if not sizes:
            return Tensor._make((0,), self._dtype, self._device)
        raise TorchTypeError("nncalc reads Tensor.new(*sizes) (the sizes as ints); for data use torch.tensor(...)")

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, **kwargs) -> "Tensor":
        return Tensor._make(sizes_arg((size,), "new_full"), dtype or self._dtype, self._device)

    # ----- reshaping ----------------------------------------------------------------------------------
    def view(self, *shape) -> "Tensor":
        """Same elements, new sizes; one ``-1`` is inferred."""
        if len(shape) == 1 and isinstance(shape[0], dtype):
            return self.to(shape[0])
        return self._reshape(sizes_arg(shape, "view"), "view")

    def reshape(self, *shape) -> "Tensor":
        return self._reshape(sizes_arg(shape, "reshape"), "reshape")

    def view_as(self, other: "Tensor") -> "Tensor":
        return self._reshape(other._shape, "view_as")

    reshape_as = view_as

    def _reshape(self, target: tuple, what: str) -> "Tensor":
        try:
            shape = reshape_output(self._shape, target)
        except Exception as error:  # the rule's ShapeError, retagged for input inference
            raise shape_error(f"{what}{tuple(target)}: {error}", "reshape",
                              hint=getattr(error, "hint", None) or _per_sample_hint(self._shape))
        return self._like(shape, factors=regroup(self._shape, self._factors, shape))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> "Tensor":
        """Merge dims ``start_dim..end_dim`` into one (torch's default flattens everything)."""
        return flatten(self, start_dim, end_dim)

    def unflatten(self, dim: int, sizes) -> "Tensor":
        axis = dim_index(dim, len(self._shape))
        sizes = sizes_arg((sizes,), "unflatten")
        inner = reshape_output((self._shape[axis],), sizes)
        return self._like(self._shape[:axis] + inner + self._shape[axis + 1 :], factors=None)

    def squeeze(self, dim=None) -> "Tensor":
        if dim is None:
            keep = [i for i, s in enumerate(self._shape) if s != 1]
        else:
            dims = dim if isinstance(dim, (tuple, list)) else (dim,)
            drop = {dim_index(d, len(self._shape)) for d in dims}
            keep = [i for i, s in enumerate(self._shape) if not (i in drop and s == 1)]
        return self._pick(keep)

    def unsqueeze(self, dim: int) -> "Tensor":
        axis = dim_index(dim, len(self._shape) + 1)
        factors = self._factors and self._factors[:axis] + (None,) + self._factors[axis:]
        return self._like(self._shape[:axis] + (1,) + self._shape[axis:], factors=factors)

    def _pick(self, axes: list[int]) -> "Tensor":
        factors = self._factors and tuple(self._factors[i] for i in axes)
        return self._like(tuple(self._shape[i] for i in axes), factors=factors)

    def permute(self, *dims) -> "Tensor":
        dims = sizes_arg(dims, "permute")
        if len(dims) != len(self._shape):
            raise shape_error(
                f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of "
                f"the desired ordering of dimensions i.e. input.dim() = {len(self._shape)} is not equal to "
                f"len(dims) = {len(dims)}",
                "rank",
            )
        axes = [dim_index(d, len(self._shape)) for d in dims]
        permute_output(self._shape, tuple(axes))
        return self._pick(axes)

    def transpose(self, dim0: int, dim1: int) -> "Tensor":
        axes = list(range(len(self._shape)))
        a, b = dim_index(dim0, len(axes)), dim_index(dim1, len(axes))
        axes[a], axes[b] = axes[b], axes[a]
        return self._pick(axes)

    swapaxes = swapdims = transpose

    def t(self) -> "Tensor":
        if len(self._shape) > 2:
            raise shape_error(f"t() expects a tensor with <= 2 dimensions, but self is {len(self._shape)}D", "rank")
        return self.T

    def expand(self, *sizes) -> "Tensor":
        sizes = sizes_arg(sizes, "expand")
        if len(sizes) < len(self._shape):
            raise shape_error(
                f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to the number "
                f"of dimensions in the tensor ({len(self._shape)})",
                "rank",
            )
        padded = (1,) * (len(sizes) - len(self._shape)) + self._shape
        out = []
        for have, want in zip(padded, sizes):
            if want == -1:
                out.append(have)
            elif have in (1, want):
                out.append(want)
            else:
                raise shape_error(
                    f"The expanded size of the tensor ({want}) must match the existing size ({have}) at "
                    "non-singleton dimension",
                    "broadcast",
                )
        return self._like(tuple(out), factors=None)

    def expand_as(self, other: "Tensor") -> "Tensor":
        return self.expand(*other._shape)

    def repeat(self, *sizes) -> "Tensor":
        sizes = sizes_arg(sizes, "repeat")
        padded = (1,) * (len(sizes) - len(self._shape)) + self._shape
        return self._like(tuple(a * b for a, b in zip(padded, sizes)), factors=None)

    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        axis = dim_index(dim, len(self._shape))
        size = self._shape[axis]
        _reserve(min(chunks, size), "tensor.chunk")
        step = -(-size // chunks)
        return self.split(step, dim)

    def split(self, split_size, dim: int = 0) -> tuple:
        axis = dim_index(dim, len(self._shape))
        size = self._shape[axis]
        if isinstance(split_size, (list, tuple)):
            if sum(split_size) != size:
                raise shape_error(f"split_with_sizes expects split_sizes to sum exactly to {size}", "reshape")
            parts = list(split_size)
        else:
            _reserve(-(-size // split_size) if split_size > 0 else 0, "tensor.split")
            parts = [min(split_size, size - start) for start in range(0, size, split_size)]
        return self._parts(axis, parts)

    def _parts(self, axis: int, parts: list) -> tuple:
        """The pieces of a split along ``axis``; a 1-D tensor of known values passes its values on."""
        pieces = tuple(self._like(self._shape[:axis] + (p,) + self._shape[axis + 1 :], factors=None) for p in parts)
        if self._values is not None and len(self._shape) == 1:
            start = 0
            for piece, length in zip(pieces, parts):
                piece._values = tuple(self._values[start:start + length])
                start += length
        return pieces

    def tensor_split(self, indices_or_sections=None, dim: int = 0, *, indices=None, sections=None) -> tuple:
        """``tensor_split``: ``n`` parts as even as possible (the first ``size % n`` one longer), or cuts at the
        given indices."""
        if indices_or_sections is None:
            indices_or_sections = indices if indices is not None else sections
        axis = dim_index(dim, len(self._shape))
        size = self._shape[axis]
        if isinstance(indices_or_sections, int) and not isinstance(indices_or_sections, bool):
            n = indices_or_sections
            if n <= 0:
                raise TorchValueError(f"number of sections must be larger than 0, got {n}")
            parts = [size // n + (1 if i < size % n else 0) for i in range(n)]
        else:
            cuts = [min(max(c if c >= 0 else c + size, 0), size) for c in indices_or_sections]
            bounds = [0, *cuts, size]
            parts = [max(b - a, 0) for a, b in zip(bounds, bounds[1:])]
        return self._parts(axis, parts)

    def repeat_interleave(self, repeats, dim=None, *, output_size=None) -> "Tensor":
        """``repeat_interleave``: each element ``repeats`` times along ``dim`` (the flattened tensor without
        one); a tensor of repeats needs its values."""
        if isinstance(repeats, Tensor):
            if repeats._values is None:
                if output_size is None:
                    raise TorchTypeError("repeat_interleave(): a tensor of repeats whose values nncalc does not know; "
                                         "pass output_size=")
                total = output_size
            else:
                total = int(sum(repeats._values)) if len(repeats._values) > 1 else None
                repeats = int(repeats._values[0]) if total is None else repeats
        if not isinstance(repeats, Tensor):
            repeats = int(repeats)
        if dim is None:
            count = self.numel()
            return self._like((count * repeats if not isinstance(repeats, Tensor) else total,), factors=None)
        axis = dim_index(dim, len(self._shape))
        size = self._shape[axis] * repeats if not isinstance(repeats, Tensor) else total
        return self._like(self._shape[:axis] + (size,) + self._shape[axis + 1 :], factors=None)

    def unbind(self, dim: int = 0) -> tuple:
        axis = dim_index(dim, len(self._shape))
        _reserve(self._shape[axis], "tensor.unbind")
        return tuple(self._pick([i for i in range(len(self._shape)) if i != axis]) for _ in range(self._shape[axis]))

    def __getitem__(self, index) -> "Tensor":
        shape, factors = index_shape(self._shape, self._factors, index, Tensor)
        result = self._like(shape, factors=factors if any(factors) else None)
        if self._values is not None and isinstance(index, (int, slice)) and not isinstance(index, bool):
            picked = self._values[index]
            result._values = (picked,) if isinstance(index, int) else tuple(picked)
        return result

    def __setitem__(self, index, value) -> None:
        if isinstance(index, Tensor) and index._dtype is BOOL:
            return masked_assignment(self, index, value)
        index_shape(self._shape, self._factors, index, Tensor)

    # ----- element-wise and reductions ----------------------------------------------------------------
    def _same(self, *args, **kwargs) -> "Tensor":
        return self._like()

    def _float_same(self, *args, **kwargs) -> "Tensor":
        """An element-wise function that gives integers a float32 result (``exp``, ``sqrt``, ``sin``…)."""
        return self._like(dtype_=None if self._dtype.is_floating_point or self._dtype.is_complex else FLOAT32)

    relu = abs = neg = sign = square = floor = ceil = round = clamp = clip = masked_fill = dropout = tril = _same
    triu = _same
    # a sparse copy holds the same shape (whisper keeps its alignment heads as one): its layout is not modelled
    to_sparse = to_sparse_coo = to_sparse_csr = to_sparse_csc = to_sparse_bsr = to_sparse_bsc = to_dense = _same
    sigmoid = tanh = exp = log = sqrt = rsqrt = sin = cos = reciprocal = erf = log1p = exp2 = _float_same

    def softmax(self, dim: int, dtype=None) -> "Tensor":
        dim_index(dim, len(self._shape))
        return self._like(dtype_=dtype)

    log_softmax = softmax

    def _reduce(self, dim=None, keepdim: bool = False, dtype=None, what: str = "mean") -> "Tensor":
        return self._like(reduce_shape(self._shape, dim, keepdim, what), dtype_=dtype, factors=None)

    def mean(self, dim=None, keepdim: bool = False, dtype=None) -> "Tensor":
        return self._reduce(dim, keepdim, dtype, "mean")

    def sum(self, dim=None, keepdim: bool = False, dtype=None) -> "Tensor":
        return self._reduce(dim, keepdim, dtype, "sum")

    def prod(self, dim=None, keepdim: bool = False, dtype=None) -> "Tensor":
        return self._reduce(dim, keepdim, dtype, "prod")

    def std(self, dim=None, unbiased=None, keepdim: bool = False, **kwargs) -> "Tensor":
        return self._reduce(dim, keepdim, None, "std")

    var = std

    def norm(self, p="fro", dim=None, keepdim: bool = False, dtype=None) -> "Tensor":
        return self._reduce(dim, keepdim, dtype, "norm")

    def amax(self, dim=(), keepdim: bool = False) -> "Tensor":
        return self._reduce(dim if dim != () else None, keepdim, None, "amax")

    amin = amax

    def argmax(self, dim=None, keepdim: bool = False) -> "Tensor":
        return self._reduce(dim, keepdim, INT64, "argmax")

    argmin = argmax

    def max(self, dim=None, keepdim: bool = False):
        """Without ``dim``: the maximum; with it: ``(values, indices)`` (also ``.values``, ``.indices``);
        with a tensor: element-wise."""
        if isinstance(dim, Tensor):
            return self._binary(dim)
        if dim is None:
            return self._reduce(None)
        values = self._reduce(dim, keepdim)
        return ValuesIndices(values, values._like(dtype_=INT64))

    min = median = max

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
        """``(values, indices)`` of the ``k`` largest along ``dim``."""
        axis = dim_index(dim, len(self._shape))
        if not isinstance(k, int) or not 0 <= k <= self._shape[axis]:
            raise shape_error(f"topk: k ({k!r}) is out of range for dimension {axis} of size {self._shape[axis]}",
                              "reshape")
        values = self._like(self._shape[:axis] + (k,) + self._shape[axis + 1 :], factors=None)
        return ValuesIndices(values, values._like(dtype_=INT64))

    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False):
        """``(values, indices)``, the shape of the input."""
        dim_index(dim, len(self._shape))
        return ValuesIndices(self._like(), self._like(dtype_=INT64))

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> "Tensor":
        dim_index(dim, len(self._shape))
        return self._like(dtype_=INT64)

    # ----- arithmetic ---------------------------------------------------------------------------------
    def _binary(self, other, result_dtype: dtype | None = None) -> "Tensor":
        if isinstance(other, Tensor):
            shape = broadcast(self._shape, other._shape)
            kind = result_dtype or promote(self._dtype, other._dtype)
            factors = self._factors if shape == self._shape else (other._factors if shape == other._shape else None)
            result = Tensor._make(shape, kind, self._device, factors)
            result._sources = recorder.lineage(self, other)
            return result
        if isinstance(other, (int, float, bool)):
            kind = result_dtype or (FLOAT32 if isinstance(other, float) and not self._dtype.is_floating_point else
                                    INT64 if not isinstance(other, bool) and self._dtype is BOOL else None)
            return self._like(dtype_=kind)
        return NotImplemented

    def _compare(self, other) -> "Tensor":
        return self._binary(other, BOOL)

    def _bitwise(self, other, what: str = "bitwise_and") -> "Tensor":
        """``&``, ``|``, ``^``, ``<<``, ``>>`` (and reflected): integers and bools only."""
        for kind in (self._dtype, other._dtype if isinstance(other, Tensor) else None):
            if kind is not None and (kind.is_floating_point or kind.is_complex):
                raise TorchTypeError(f'"{what}_cpu" not implemented for \'{TYPE_NAMES[kind.name]}\'')
        if isinstance(other, float):
            raise TorchTypeError(f'"{what}_cpu" not implemented for \'Float\'')
        return self._binary(other)

    def _left_shift(self, other) -> "Tensor":
        return self._bitwise(other, "lshift")

    def _right_shift(self, other) -> "Tensor":
        return self._bitwise(other, "rshift")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __pow__ = __rpow__ = _binary
    __mod__ = __rmod__ = __floordiv__ = __rfloordiv__ = _binary
    __and__ = __or__ = __xor__ = __rand__ = __ror__ = __rxor__ = _bitwise
    __lshift__ = __rlshift__ = _left_shift
    __rshift__ = __rrshift__ = _right_shift
    __lt__ = __le__ = __gt__ = __ge__ = __eq__ = __ne__ = _compare
    mul = pow = maximum = minimum = _binary

    def add(self, other, *, alpha=1) -> "Tensor":
        """``add``/``sub``: ``self ± alpha × other``."""
        return self._binary(other)

    sub = add
    eq = ne = lt = le = gt = ge = _compare

    def __truediv__(self, other) -> "Tensor":
        result = self._binary(other)
        if result is not NotImplemented and not result._dtype.is_floating_point:
            result = result._like(dtype_=FLOAT32)
        return result

    __rtruediv__ = __truediv__

    def div(self, other, *, rounding_mode=None) -> "Tensor":
        """``div(other, rounding_mode=None)``: true division; ``"floor"``/``"trunc"`` keep integer types."""
        if rounding_mode not in (None, "floor", "trunc"):
            raise TorchValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                                  f"{rounding_mode!r}")
        return self.__truediv__(other) if rounding_mode is None else self._binary(other)

    divide = div

    def __neg__(self) -> "Tensor":
        return self._like()

    __pos__ = __abs__ = __invert__ = __neg__

    def __matmul__(self, other) -> "Tensor":
        if not isinstance(other, Tensor):
            return NotImplemented
        shape, macs = matmul_shape(self._shape, other._shape)
        recorder.note(macs)
        return Tensor._make(shape, promote(self._dtype, other._dtype), self._device)

    def __rmatmul__(self, other) -> "Tensor":
        if not isinstance(other, Tensor):
            return NotImplemented
        return other.__matmul__(self)

    matmul = __matmul__


def flatten(tensor: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """``torch.flatten``: merge ``start_dim..end_dim``, remembering the merged sizes."""
    if not isinstance(tensor, Tensor):
        raise TorchTypeError(f"flatten(): argument 'input' must be Tensor, not {type(tensor).__name__}")
    shape = tensor._shape
    if not shape:
        return tensor._like((1,), factors=None)
    lo, hi = dim_index(start_dim, len(shape), "start_dim"), dim_index(end_dim, len(shape), "end_dim")
    if lo > hi:
        raise shape_error("flatten() has invalid args: start_dim cannot come after end_dim", "rank")
    out, formula = flatten_output(shape, lo, hi)
    factors = list(tensor._factors or (None,) * len(shape))
    factors[lo : hi + 1] = [merged_factors(shape, tensor._factors, lo, hi) if hi > lo else factors[lo]]
    result = tensor._like(out, factors=tuple(factors))
    result._flatten_formula = formula
    return result


class Parameter(Tensor):
    """``nn.Parameter(data, requires_grad=True)``: a tensor that a module registers as a weight."""

    def __init__(self, data=None, requires_grad: bool = True):
        if data is None:
            data = Tensor._make((0,))
        if not isinstance(data, Tensor):
            raise TorchTypeError(f"Parameter(): data must be a Tensor, got {type(data).__name__}")
        self._shape = data._shape
        self._dtype = data._dtype
        self._device = data._device
        self._factors = None
        self.requires_grad = bool(requires_grad)
        self._term = None  # the rule's weight term, for the parameter formula

    def __repr__(self) -> str:
        return f"Parameter containing:\n{super().__repr__()}"


class Buffer(Tensor):
    """``nn.Buffer(data)``: a tensor a module registers as a buffer when assigned."""

    def __init__(self, data, persistent: bool = True):
        self._shape, self._dtype, self._device = data._shape, data._dtype, data._device
        self._factors = None
        self.requires_grad = False
        self.persistent = persistent


def masked_assignment(target: Tensor, mask: Tensor, value) -> None:
    """``x[mask] = value``: the mask covers ``x``'s leading dimensions; the value is a number or a tensor that
    broadcasts to one selected element (a longer one must hold as many as the mask selects: unknown)."""
    covered = len(mask._shape)
    if target._shape[:covered] != mask._shape:
        raise shape_error(f"The shape of the mask {list(mask._shape)} at index 0 does not match the shape of the "
                          f"indexed tensor {list(target._shape)} at index 0", "reshape")
    if not isinstance(value, Tensor):
        return
    element = target._shape[covered:]
    shape = value._shape[1:] if len(value._shape) > len(element) and value._shape[0] == 1 else value._shape
    if len(shape) > len(element) or broadcast(shape, element) != element:
        from nncalc.errors import UnknownLayer

        raise UnknownLayer(f"x[mask] = a tensor of shape {list(value._shape)}: how many elements it must hold "
                           "depends on the mask's values, which nncalc does not know when it reads a model",
                           hint="assign a number, or use torch.where(mask, value, x)")


def _reserve(count, what: str) -> None:
    """Check ``count`` tensors about to be made against the budget of the running file (see Budget.reserve)."""
    if type(count) is int:
        from nncalc.interpreter.limits import active_budget

        active_budget().reserve(count, what, items="tensors")


def with_values(tensor: Tensor, values) -> Tensor:
    """``tensor`` remembering its elements (a 1-D tensor of at most ``MAX_KNOWN_VALUES`` known numbers)."""
    values = tuple(values)
    if len(values) <= MAX_KNOWN_VALUES:
        tensor._values = values
    return tensor


MAX_KNOWN_VALUES = 4096
"""Largest 1-D tensor whose elements nncalc keeps (drop-path rates from ``torch.linspace``, say)."""


def make_parameter(shape: tuple, dtype_: dtype, term=None) -> Parameter:
    """A layer's weight of ``shape``, remembering the rule term it came from."""
    param = Parameter(Tensor._make(tuple(shape), dtype_))
    param._term = term
    return param


def make_buffer(shape: tuple, dtype_: dtype) -> Tensor:
    """A layer's buffer (running statistics)."""
    return Tensor._make(tuple(shape), dtype_)


def _per_sample_hint(shape: tuple) -> str | None:
    """What a flattening ``view`` should ask for: the size of one sample."""
    if len(shape) < 2 or None in shape:
        return None
    per = prod(shape[1:])
    return (f"one sample has {per:,} elements ({' × '.join(str(s) for s in shape[1:])}); to flatten it, use "
            f"view(x.size(0), -1) or flatten(1), or sizes that multiply to {per:,}")
