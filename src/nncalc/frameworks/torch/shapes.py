"""Shape arithmetic of torch's tensor operations: dims, broadcasting, indexing, regrouping of reshapes.

Also tracks *factors*: for each axis of a tensor, the sizes that were merged into it by a flatten or a view
(``3136 = 16 × 14 × 14``), so that a ``Linear`` receiving the wrong number of features can say where they
came from.
"""

from __future__ import annotations

from nncalc.diagnostics import recoverable
from nncalc.errors import UnknownLayer
from nncalc.frameworks.torch.errors import TorchTypeError, shape_error
from nncalc.layers import merge
from nncalc.layers.base import int_or_tuple
from nncalc.layers.merge import broadcast_pair

Factors = tuple  # per axis: None or the tuple of sizes merged into it


def dim_index(dim, rank: int, what: str = "dim") -> int:
    """A dimension argument as a non-negative index, with torch's range check."""
    if not isinstance(dim, int) or isinstance(dim, bool):
        raise TorchTypeError(f"{what} must be an int. Received: {what}={dim!r}")
    low, high = (-1, 0) if rank == 0 else (-rank, rank - 1)
    if not low <= dim <= high:
        raise shape_error(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})", "rank"
        )
    return dim % rank if rank else 0


def sizes_arg(args: tuple, what: str) -> tuple:
    """``view(2, 3)``, ``view((2, 3))`` and ``view([2, 3])`` all mean the sizes ``(2, 3)``."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    for size in args:
        if not isinstance(size, int) or isinstance(size, bool):
            hint = "use // for whole-number division" if isinstance(size, float) else None
            raise TorchTypeError(f"{what}(): sizes must be ints. Received: {args!r}", hint=hint)
    return tuple(args)


def broadcast(a: tuple, b: tuple) -> tuple:
    """The broadcast shape of two tensors, or torch's error (which names the last dimension that differs:
    torch compares from the right)."""
    mismatches: list[tuple] = []
    out = broadcast_pair(tuple(a), tuple(b), lambda x, y, which: mismatches.append((x, y, which)))
    if mismatches:
        x, y, which = mismatches[-1]
        recoverable(shape_error(
            f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton dimension "
            f"{which}: shapes {list(a)} and {list(b)} do not broadcast",
            "broadcast",
            hint="make both operands agree on that dimension (e.g. a 1×1 convolution or a Linear layer on "
            "the shortcut), or concatenate them instead",
        ))
    return out


def merged_factors(shape: tuple, factors: Factors | None, lo: int, hi: int) -> tuple:
    """The sizes behind axes ``lo..hi`` once merged into one, expanding axes that were merged before."""
    out: list[int] = []
    for axis in range(lo, hi + 1):
        earlier = factors[axis] if factors else None
        out.extend(earlier if earlier else (shape[axis],))
    return tuple(out)


def regroup(shape: tuple, factors: Factors | None, target: tuple) -> Factors:
    """Factors of a reshape's result: an output axis that is the product of several input axes remembers them."""
    out: list = [None] * len(target)
    i = j = 0
    while i < len(shape) and j < len(target):
        i0, j0 = i, j
        left, right = shape[i], target[j]
        while left != right:
            if left < right and i + 1 < len(shape):
                i += 1
                left *= shape[i]
            elif left > right and j + 1 < len(target):
                j += 1
                right *= target[j]
            else:
                return tuple(out)
        if j == j0:
            out[j0] = merged_factors(shape, factors, i0, i) if i > i0 else (factors[i0] if factors else None)
        i, j = i + 1, j + 1
    return tuple(out)


def reduce_shape(shape: tuple, dim, keepdim: bool, what: str) -> tuple:
    """The shape after reducing over ``dim`` (an int, a tuple, or None for all)."""
    if dim is None:
        return (1,) * len(shape) if keepdim else ()
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    axes = {dim_index(d, len(shape), "dim") for d in dims}
    if keepdim:
        return tuple(1 if i in axes else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in axes)


def matmul_shape(a: tuple, b: tuple) -> tuple[tuple, int]:
    """Shape and multiply-accumulates of ``a @ b`` with torch's 1-D and batch-broadcasting rules."""
    return merge.matmul_shape(a, b, broadcast, _matmul_error)


def _matmul_error(kind: str, left: tuple, right: tuple):
    if kind == "rank":
        return shape_error("both arguments to matmul need to be at least 1D", "rank")
    return shape_error(
        f"mat1 and mat2 shapes cannot be multiplied ({left[-2]}x{left[-1]} and {right[-2]}x{right[-1]})", "features"
    )


def index_shape(shape: tuple, factors: Factors | None, index, tensor_type) -> tuple[tuple, Factors]:
    """Result shape of ``x[index]``: ints, slices, ``None`` and ``...`` (basic indexing), and int tensors and
    int lists (advanced indexing). Advanced indices broadcast together into one shape B, as torch (and NumPy)
    do: B stands where they stand when they are next to each other (``x[:, i, j]``), else first
    (``x[i, :, j]``); ints select their axis before and do not separate them."""
    items = index if isinstance(index, tuple) else (index,)
    consumed = sum(1 for item in items if item is not None and item is not Ellipsis)
    if consumed > len(shape):
        raise shape_error(f"too many indices for tensor of dimension {len(shape)}", "rank")
    known_factors = factors or (None,) * len(shape)
    pieces: list = []  # (size, factor) of each output axis in order; the string "advanced" where B goes
    advanced: list[tuple] = []
    axis = 0
    for item in items:
        if item is None:
            pieces.append((1, None))
        elif item is Ellipsis:
            span = len(shape) - consumed
            pieces.extend(zip(shape[axis : axis + span], known_factors[axis : axis + span]))
            axis += span
        elif isinstance(item, bool):
            raise UnknownLayer("nncalc has no rule for indexing a tensor with a bool yet")
        elif isinstance(item, int):
            size = shape[axis]
            if not -size <= item < size:
                raise shape_error(f"index {item} is out of bounds for dimension {axis} with size {size}", "reshape")
            axis += 1
        elif isinstance(item, slice):
            if item.step is not None and item.step <= 0:
                raise shape_error("step must be greater than zero", "reshape")
            whole = item == slice(None)
            pieces.append((len(range(*item.indices(shape[axis]))), known_factors[axis] if whole else None))
            axis += 1
        elif isinstance(item, (list, tuple, tensor_type)):
            advanced.append(_advanced_shape(item, tensor_type))
            pieces.append("advanced")
            axis += 1
        else:
            raise TorchTypeError(f"cannot index a tensor with {type(item).__name__} {item!r}")
    pieces.extend(zip(shape[axis:], known_factors[axis:]))
    if advanced:
        pieces = _place_advanced(pieces, _broadcast_indices(advanced))
    return tuple(size for size, _ in pieces), tuple(factor for _, factor in pieces)


def _advanced_shape(item, tensor_type) -> tuple:
    """The shape an index tensor or (nested) int list gives; a mask's depends on its values."""
    if isinstance(item, tensor_type):
        if item._dtype.name in ("bool", "uint8"):
            raise UnknownLayer("nncalc has no rule for boolean-mask indexing yet (its size depends on values)")
        if item._dtype.is_floating_point or item._dtype.is_complex:
            raise shape_error("tensors used as indices must be long, int, byte or bool tensors", "reshape")
        return tuple(item._shape)
    if any(isinstance(v, bool) for v in item):
        raise UnknownLayer("nncalc has no rule for boolean-mask indexing yet (its size depends on values)")
    if item and all(isinstance(v, (list, tuple)) for v in item):
        inner = {_advanced_shape(v, tensor_type) for v in item}
        if len(inner) != 1:
            raise shape_error("an index list must be rectangular (every row of the same length)", "reshape")
        return (len(item), *inner.pop())
    return (len(item),)


def _broadcast_indices(shapes: list[tuple]) -> tuple:
    def mismatch(first: int, second: int, axis: int) -> None:
        shown = ", ".join(str(list(s)) for s in shapes)
        raise shape_error(f"shape mismatch: indexing tensors could not be broadcast together with shapes {shown}",
                          "broadcast")

    out = shapes[0]
    for other in shapes[1:]:
        out = broadcast_pair(out, other, mismatch)
    return out


def _place_advanced(pieces: list, broadcast: tuple) -> list:
    """``broadcast``'s axes where the advanced indices stand when they are adjacent, else in front."""
    places = [i for i, piece in enumerate(pieces) if piece == "advanced"]
    rest = [piece for piece in pieces if piece != "advanced"]
    new = [(size, None) for size in broadcast]
    if places[-1] - places[0] == len(places) - 1:
        return rest[: places[0]] + new + rest[places[0] :]
    return new + rest


def int_tuple_plain(value, rank: int) -> tuple:
    """An int or a sequence of ``rank`` ints as a tuple (``stride=2`` → ``(2, 2)``), as torch's functional ops
    take them."""
    return int_or_tuple(value, rank) or tuple(value)
