"""Small torch value types: ``torch.dtype``, ``torch.device``, ``torch.Size`` and the grad-mode contexts."""

from __future__ import annotations

from nncalc.errors import InputError
from nncalc.frameworks.torch.errors import TorchTypeError


class dtype:  # noqa: N801 - torch's own spelling
    """A tensor element type, ``torch.float32``. ``name`` is what the graph records (``"float32"``)."""

    __slots__ = ("name", "itemsize", "is_floating_point", "is_complex", "is_signed")

    def __init__(self, name: str, itemsize: int, floating: bool, complex_: bool = False, signed: bool = True):
        self.name = name
        self.itemsize = itemsize
        self.is_floating_point = floating
        self.is_complex = complex_
        self.is_signed = signed

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __copy__(self) -> "dtype":
        return self

    def __deepcopy__(self, memo) -> "dtype":
        return self  # dtypes are singletons: ``x.dtype is torch.float32`` must survive a copy


_DTYPES = {
    "float32": dtype("float32", 4, True),
    "float64": dtype("float64", 8, True),
    "float16": dtype("float16", 2, True),
    "bfloat16": dtype("bfloat16", 2, True),
    "complex32": dtype("complex32", 4, False, True),
    "complex64": dtype("complex64", 8, False, True),
    "complex128": dtype("complex128", 16, False, True),
    "int64": dtype("int64", 8, False),
    "int32": dtype("int32", 4, False),
    "int16": dtype("int16", 2, False),
    "int8": dtype("int8", 1, False),
    "uint8": dtype("uint8", 1, False, signed=False),
    "bool": dtype("bool", 1, False, signed=False),
}
_ALIASES = {
    "float": "float32", "double": "float64", "half": "float16", "long": "int64", "int": "int32",
    "short": "int16", "chalf": "complex32", "cfloat": "complex64", "cdouble": "complex128",
}
DTYPES: dict[str, dtype] = {**_DTYPES, **{alias: _DTYPES[name] for alias, name in _ALIASES.items()}}
"""Every ``torch.<name>`` dtype attribute."""

TYPE_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long",
              "float16": "Half", "bfloat16": "BFloat16", "float32": "Float", "float64": "Double",
              "complex32": "ComplexHalf", "complex64": "ComplexFloat", "complex128": "ComplexDouble"}
"""The names torch's kernels use in errors (``"lshift_cpu" not implemented for 'Float'``)."""

FLOAT32 = _DTYPES["float32"]
INT64 = _DTYPES["int64"]
BOOL = _DTYPES["bool"]


_FLOAT_INFO = {  # bits, eps, max, smallest normal, resolution: IEEE 754 and bfloat16, as torch.finfo gives them
    "float32": (32, 2.0**-23, 3.4028234663852886e38, 2.0**-126, 1e-06),
    "float64": (64, 2.0**-52, 1.7976931348623157e308, 2.0**-1022, 1e-15),
    "float16": (16, 2.0**-10, 65504.0, 2.0**-14, 0.001),
    "bfloat16": (16, 2.0**-7, 3.3895313892515355e38, 2.0**-126, 0.01),
}


class finfo:  # noqa: N801 - torch's own spelling
    """``torch.finfo(dtype)``: the limits of a floating type (default: float32)."""

    def __init__(self, type: dtype | None = None):  # noqa: A002 - torch's keyword
        kind = FLOAT32 if type is None else type
        if not isinstance(kind, dtype) or kind.name not in _FLOAT_INFO:
            raise TorchTypeError(f"torch.finfo() requires a floating point input type, got {kind!r}")
        self.bits, self.eps, self.max, self.tiny, self.resolution = _FLOAT_INFO[kind.name]
        self.min, self.smallest_normal, self.dtype = -self.max, self.tiny, kind.name


class iinfo:  # noqa: N801 - torch's own spelling
    """``torch.iinfo(dtype)``: the limits of an integer type."""

    def __init__(self, type: dtype):  # noqa: A002 - torch's keyword
        if not isinstance(type, dtype) or type.is_floating_point or type.is_complex or type.name == "bool":
            raise TorchTypeError(f"torch.iinfo() requires an integer input type, got {type!r}")
        self.bits, self.dtype = 8 * type.itemsize, type.name
        self.min = -(2 ** (self.bits - 1)) if type.is_signed else 0
        self.max = 2 ** (self.bits - 1) - 1 if type.is_signed else 2**self.bits - 1


def dtype_named(name: str | None) -> dtype:
    """The dtype for a command-line name (``float32``, ``int64``, ``long``); None is float32."""
    if name is None:
        return FLOAT32
    key = name.removeprefix("torch.")
    if key not in DTYPES:
        raise InputError(f"unknown dtype {name!r}; use one of: {', '.join(sorted(_DTYPES))}")
    return DTYPES[key]


def _category(kind: dtype) -> int:
    return 3 if kind.is_complex else 2 if kind.is_floating_point else 0 if kind.name == "bool" else 1


_MIXED = {frozenset(("uint8", "int8")): "int16", frozenset(("float16", "bfloat16")): "float32"}


def promote(a: dtype, b: dtype) -> dtype:
    """The result type of a binary op between two tensors: the higher category (bool, integer, floating,
    complex) wins, then the wider; a complex with a wider float widens (complex64 with float64: complex128)."""
    if a is b:
        return a
    if _category(a) != _category(b):
        high, low = (a, b) if _category(a) > _category(b) else (b, a)
        if high.is_complex and low.is_floating_point and low.itemsize * 2 > high.itemsize:
            return _DTYPES[{2: "complex32", 4: "complex64", 8: "complex128"}[low.itemsize]]
        return high
    mixed = _MIXED.get(frozenset((a.name, b.name)))
    if mixed:
        return _DTYPES[mixed]
    return a if a.itemsize >= b.itemsize else b


class layout:  # noqa: N801 - torch's own spelling
    """``torch.strided``, a tensor's memory layout: every tensor nncalc reads is dense (strided)."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"


STRIDED = layout("strided")
LAYOUTS = {name: layout(name) for name in ("sparse_coo", "sparse_csr", "sparse_csc", "sparse_bsr", "sparse_bsc",
                                           "jagged")}
LAYOUTS["strided"] = STRIDED
"""The ``torch.<name>`` layouts."""


class device:  # noqa: N801 - torch's own spelling
    """``torch.device("cuda:0")``: only recorded, never used."""

    def __init__(self, type="cpu", index=None):  # noqa: A002 - torch's parameter name
        if isinstance(type, device):
            type, index = type.type, type.index
        if not isinstance(type, str):
            raise TorchTypeError(f"device() received an invalid combination of arguments: {type!r}")
        if ":" in type:
            type, _, number = type.partition(":")
            index = int(number) if number.isdigit() else index
        self.type = type
        self.index = index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


CPU = device("cpu")


class Size(tuple):
    """``torch.Size``: a tuple of ints."""

    def numel(self) -> int:
        """Product of the sizes."""
        out = 1
        for size in self:
            out *= size
        return out

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def __getitem__(self, index):
        item = tuple.__getitem__(self, index)
        return Size(item) if isinstance(index, slice) else item


class no_grad:  # noqa: N801 - torch's own spelling
    """``with torch.no_grad():`` and ``@torch.no_grad()``: no effect on shapes."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return None

    def __exit__(self, *exc) -> bool:
        return False

    def __call__(self, function):
        return function


class enable_grad(no_grad):  # noqa: N801
    """``torch.enable_grad()``."""


class inference_mode(no_grad):  # noqa: N801
    """``torch.inference_mode()``."""


class set_grad_enabled(no_grad):  # noqa: N801
    """``torch.set_grad_enabled(mode)``."""


class autocast(no_grad):  # noqa: N801
    """``torch.autocast(device_type, ...)``: mixed precision is not modelled."""
