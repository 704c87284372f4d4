"""Arrays whose shape nncalc knows and whose values it never computes: ``np.zeros((1, 3, 224, 224))``, a
dataset loaded from ``keras.datasets``. Scripts reshape and index them on the way to
``keras.Input(shape=x_train.shape[1:])``, so the shape follows numpy's rules through what scripts do:
arithmetic with numbers or other such arrays (broadcasting), ``astype``, ``reshape``, basic indexing and
slicing, ``np.expand_dims``, ``np.reshape``, ``np.concatenate``, ``np.stack``, ``np.squeeze``, ``.T``,
``len()``. Anything that needs the values (a truth test, iteration, ``.max()``) is an :class:`Unknown`.
"""

from __future__ import annotations

import operator

from nncalc.interpreter.unknown import Unknown

FLOAT_KINDS = ("float16", "float32", "float64", "bfloat16")


class Placeholder(Unknown):
    """An array nncalc does not compute: its ``shape`` and ``dtype`` are known, its values are not."""

    __slots__ = ("_shape", "_dtype")

    def __init__(self, expression: str, shape: tuple, dtype: str = "float64", reason: str | None = None):
        super().__init__(
            expression, reason=reason or "an array nncalc does not compute (it never allocates)",
            fix="nncalc reads shapes, not array values",
        )  # fmt: skip
        object.__setattr__(self, "_shape", tuple(shape))
        object.__setattr__(self, "_dtype", dtype)

    def _like(self, name: str, shape: tuple, dtype: str | None = None) -> "Placeholder":
        out = Placeholder(name, shape, dtype or self._dtype, self._reason)
        object.__setattr__(out, "_fix", self._fix)
        object.__setattr__(out, "_chain", self._chain)
        object.__setattr__(out, "_origin", self._origin)
        object.__setattr__(out, "_root", self._root)
        object.__setattr__(out, "_source", self._source)
        return out

    def _bind(self, name: str, line: int) -> "Placeholder":
        bound = self._like(self._name, self._shape)
        object.__setattr__(bound, "_chain", (*self._chain, (name, line, self._ref())))
        object.__setattr__(bound, "_var", name)
        return bound

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def size(self):
        from nncalc.interpreter import ops
        from nncalc.interpreter.limits import active_budget

        total, budget = 1, active_budget()
        for dim in self._shape:
            total = ops.mul(budget, total, dim)
        return total

    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def T(self) -> "Placeholder":  # noqa: N802 - numpy's name
        return self._like(f"{self._ref()}.T", self._shape[::-1])

    def __len__(self) -> int:
        if not self._shape:
            raise TypeError("len() of unsized object")
        first = self._shape[0]
        if isinstance(first, Unknown):
            first._concrete("len()")
        return first

    def astype(self, dtype, *args, **kwargs) -> "Placeholder":
        from nncalc.interpreter.numpy_array import dtype_name

        return self._like(f"{self._ref()}.astype(...)", self._shape, dtype_name(dtype) or str(dtype))

    def reshape(self, *shape, **kwargs) -> "Placeholder":
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return self._like(f"{self._ref()}.reshape(...)", reshaped(self._shape, shape))

    def transpose(self, *axes) -> "Placeholder":
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        order = axes or tuple(range(self.ndim))[::-1]
        return self._like(f"{self._ref()}.transpose(...)", tuple(self._shape[a] for a in order))

    def swapaxes(self, axis1: int, axis2: int) -> "Placeholder":
        order = list(range(self.ndim))
        order[axis1], order[axis2] = order[axis2], order[axis1]
        return self._like(f"{self._ref()}.swapaxes(...)", tuple(self._shape[a] for a in order))

    def squeeze(self, axis=None) -> "Placeholder":
        return squeeze(self, axis)

    def flatten(self) -> "Placeholder":
        return self._like(f"{self._ref()}.flatten()", (self.size,))

    ravel = flatten

    def copy(self) -> "Placeholder":
        return self

    def numpy(self) -> "Placeholder":
        return self

    def __getitem__(self, index):
        shape = indexed(self._shape, index)
        if shape is None:
            return self._derive(f"{self._ref()}[...]")
        return self._like(f"{self._ref()}[...]", shape)


def _elementwise(symbol: str, divide: bool = False, compare: bool = False):
    def op(self, other, reflected=False):
        other_shape = _shape_of_operand(other)
        shape = broadcast(self._shape, other_shape) if other_shape is not None else None
        if shape is None:
            return Unknown._derive(self, f"({self._ref()} {symbol} ...)")
        dtype = "bool" if compare else self._dtype
        if divide and dtype not in FLOAT_KINDS:
            dtype = "float64"
        return self._like(f"({self._ref()} {symbol} ...)", shape, dtype)

    def forward(self, other):
        return op(self, other)

    def reflected(self, other):
        return op(self, other, True)

    return forward, reflected


def _shape_of_operand(value):
    if isinstance(value, Placeholder):
        return value._shape
    if isinstance(value, Unknown):
        return None
    if isinstance(value, (int, float, bool)):
        return ()
    shape = getattr(value, "shape", None)
    return tuple(shape) if isinstance(shape, tuple) else None


for _name, _symbol, _divide in (
    ("add", "+", False), ("sub", "-", False), ("mul", "*", False), ("truediv", "/", True),
    ("floordiv", "//", False), ("mod", "%", False), ("pow", "**", False),
):  # fmt: skip
    _forward, _reflected = _elementwise(_symbol, _divide)
    setattr(Placeholder, f"__{_name}__", _forward)
    setattr(Placeholder, f"__r{_name}__", _reflected)
for _name, _symbol in (("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">=")):
    setattr(Placeholder, f"__{_name}__", _elementwise(_symbol, compare=True)[0])
Placeholder.__neg__ = lambda self: self._like(f"-{self._ref()}", self._shape)


# ----- shape arithmetic --------------------------------------------------------------------------------------
def broadcast(left: tuple, right: tuple) -> tuple | None:
    """numpy's broadcast of two shapes, or None when they do not broadcast (or a size is unknown)."""
    out = []
    for a, b in zip(reversed((1,) * (len(right) - len(left)) + tuple(left)),
                    reversed((1,) * (len(left) - len(right)) + tuple(right))):  # fmt: skip
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            if a == 1:
                out.append(b)
            elif b == 1 or a is b:
                out.append(a)
            else:
                return None
        elif a == b or b == 1:
            out.append(a)
        elif a == 1:
            out.append(b)
        else:
            return None
    return tuple(reversed(out))


def reshaped(shape: tuple, new: tuple) -> tuple:
    """``reshape(new)`` of ``shape`` (one ``-1`` allowed)."""
    new = tuple(operator.index(d) if not isinstance(d, Unknown) else d for d in new)
    if -1 in new:
        known = 1
        for d in new:
            if d != -1:
                known *= d
        total = 1
        for d in shape:
            total *= d
        if isinstance(total, Unknown) or isinstance(known, Unknown):
            missing = total
        else:
            if known == 0 or total % known:
                raise ValueError(f"cannot reshape array of size {total} into shape {new}")
            missing = total // known
        new = tuple(missing if d == -1 else d for d in new)
    return new


def indexed(shape: tuple, index) -> tuple | None:
    """The shape after basic indexing (ints, slices, ``None``, ``...``); None for anything fancier."""
    items = index if isinstance(index, tuple) else (index,)
    if any(isinstance(i, (list, Unknown)) or hasattr(i, "shape") for i in items):
        return None
    consumed = sum(1 for i in items if i is not None and i is not Ellipsis)
    if consumed > len(shape):
        raise IndexError(f"too many indices for array: array is {len(shape)}-dimensional, but {consumed} were indexed")
    out: list = []
    position = 0
    for item in items:
        if item is None:
            out.append(1)
        elif item is Ellipsis:
            skip = len(shape) - consumed
            out.extend(shape[position:position + skip])
            position += skip
        elif isinstance(item, slice):
            size = shape[position]
            out.append(size if isinstance(size, Unknown) else len(range(*item.indices(size))))
            position += 1
        else:
            operator.index(item)
            position += 1
    out.extend(shape[position:])
    return tuple(out)


def squeeze(array: Placeholder, axis=None) -> Placeholder:
    shape = array._shape
    if axis is None:
        new = tuple(d for d in shape if d != 1)
    else:
        axes = {a % len(shape) for a in (axis if isinstance(axis, (tuple, list)) else (axis,))}
        new = tuple(d for i, d in enumerate(shape) if i not in axes)
    return array._like(f"np.squeeze({array._ref()})", new)


# ----- numpy functions ---------------------------------------------------------------------------------------
def expand_dims(a, axis):
    if not isinstance(a, Placeholder):
        return _unknown_result("expand_dims", a)
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    shape = list(a._shape)
    ndim = len(shape) + len(axes)
    for ax in sorted(x % ndim for x in axes):
        shape.insert(ax, 1)
    return a._like(f"np.expand_dims({a._ref()}, ...)", tuple(shape))


def reshape(a, newshape, *args, **kwargs):
    if not isinstance(a, Placeholder):
        return _unknown_result("reshape", a)
    shape = tuple(newshape) if isinstance(newshape, (tuple, list)) else (newshape,)
    return a._like(f"np.reshape({a._ref()}, ...)", reshaped(a._shape, shape))


def concatenate(arrays, axis=0, **kwargs):
    arrays = list(arrays) if isinstance(arrays, (list, tuple)) else None
    if not arrays or not all(isinstance(a, Placeholder) for a in arrays):
        return Unknown("np.concatenate(...)", reason="an array nncalc does not compute")
    first = arrays[0]
    axis = axis % first.ndim
    size = sum(a._shape[axis] for a in arrays)
    shape = first._shape[:axis] + (size,) + first._shape[axis + 1:]
    return first._like("np.concatenate(...)", shape)


def stack(arrays, axis=0, **kwargs):
    arrays = list(arrays) if isinstance(arrays, (list, tuple)) else None
    if not arrays or not all(isinstance(a, Placeholder) for a in arrays):
        return Unknown("np.stack(...)", reason="an array nncalc does not compute")
    first = arrays[0]
    axis = axis % (first.ndim + 1)
    return first._like("np.stack(...)", first._shape[:axis] + (len(arrays),) + first._shape[axis:])


def _method_of(name: str):
    """``np.NAME(a, *args)`` as the array's method (``np.swapaxes(x, 1, 2)``, ``np.transpose(x)``)."""

    def function(a, *args, **kwargs):
        return getattr(a, name)(*args, **kwargs) if isinstance(a, Placeholder) else _unknown_result(name, a)

    return function


def moveaxis(a, source, destination):
    if not isinstance(a, Placeholder):
        return _unknown_result("moveaxis", a)
    sources = [s % a.ndim for s in (source if isinstance(source, (tuple, list)) else (source,))]
    targets = [d % a.ndim for d in (destination if isinstance(destination, (tuple, list)) else (destination,))]
    order = [i for i in range(a.ndim) if i not in sources]
    for target, source_axis in sorted(zip(targets, sources)):
        order.insert(target, source_axis)
    return a._like(f"np.moveaxis({a._ref()}, ...)", tuple(a._shape[i] for i in order))


def _unknown_result(name: str, a):
    if isinstance(a, Unknown):
        return a._derive(f"np.{name}({a._ref()})")
    return Unknown(f"np.{name}(...)", reason="an array nncalc does not compute")


def numpy_shape_functions() -> dict:
    return {"expand_dims": expand_dims, "reshape": reshape, "concatenate": concatenate, "stack": stack,
            "swapaxes": _method_of("swapaxes"), "transpose": _method_of("transpose"), "moveaxis": moveaxis,
            "squeeze": lambda a, axis=None: squeeze(a, axis) if isinstance(a, Placeholder) else _unknown_result(
                "squeeze", a)}
