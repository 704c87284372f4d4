"""Layers that only rearrange: flatten, reshape/view, permute. No weights, no MACs."""

from __future__ import annotations

from math import prod

from nncalc.errors import ShapeError
from nncalc.formula import Expr, Num, product


def _axis(dim: int, rank: int, what: str) -> int:
    if not -rank <= dim < max(rank, 1):
        raise ShapeError(f"{what} {dim} is out of range for a tensor of rank {rank}")
    return dim % rank if rank else 0


def flatten_output(shape: tuple, start: int = 1, end: int = -1) -> tuple[tuple, Expr | None]:
    """Merge dims ``start..end`` (inclusive, negatives from the end) into one; formula ``16 × 14 × 14``."""
    rank = len(shape)
    if rank == 0:
        return (1,), None
    lo, hi = _axis(start, rank, "flatten start_dim"), _axis(end, rank, "flatten end_dim")
    if lo > hi:
        raise ShapeError(f"flatten start_dim {start} comes after end_dim {end} for a tensor of rank {rank}")
    merged = shape[lo : hi + 1]
    size = None if any(s is None for s in merged) else prod(merged)
    formula = product([Num(s) for s in merged]) if size is not None and len(merged) > 1 else None
    return tuple(shape[:lo]) + (size,) + tuple(shape[hi + 1 :]), formula


def reshape_output(shape: tuple, target: tuple) -> tuple:
    """``view``/``reshape`` semantics: one ``-1`` is inferred; the element counts must agree."""
    if sum(1 for t in target if t == -1) > 1:
        raise ShapeError(f"only one dimension can be inferred (-1) in {tuple(target)}")
    if any(t is not None and t < -1 for t in target):
        raise ShapeError(f"invalid shape dimension in {tuple(target)}")
    if any(s is None for s in shape) or any(t is None for t in target):
        return _reshape_unknown(shape, target)
    count = prod(shape)
    known = prod(t for t in target if t != -1)
    if -1 in target:
        if known == 0 or count % known:
            raise ShapeError(
                f"shape {tuple(target)} is invalid for input of size {count} {tuple(shape)}: "
                f"{count} is not divisible by {known}"
            )
        return tuple(count // known if t == -1 else t for t in target)
    if known != count:
        raise ShapeError(f"shape {tuple(target)} is invalid for input of size {count} {tuple(shape)}")
    return tuple(target)


def _reshape_unknown(shape: tuple, target: tuple) -> tuple:
    """With an unknown (batch) size, only a target that keeps it first, as ``-1`` or ``None`` (a dynamic
    ``tf.shape(x)[0]``), is checked; then one ``-1`` among the other sizes is inferred."""
    known_in = prod(s for s in shape if s is not None)
    rest = [t for t in target[1:]]
    batch_first = shape and shape[0] is None and None not in shape[1:] and target and target[0] in (-1, None)
    if batch_first and None not in rest and (-1 not in rest or target[0] is None):
        known_out = prod(t for t in rest if t != -1)
        if -1 in rest:
            if known_out == 0 or known_in % known_out:
                raise ShapeError(f"cannot reshape {tuple(shape)} ({known_in} elements per sample) into "
                                 f"{tuple(target)}: {known_in} is not divisible by {known_out}")
            return (None, *(known_in // known_out if t == -1 else t for t in rest))
        if known_out != known_in:
            raise ShapeError(f"cannot reshape {tuple(shape)} ({known_in} elements per sample) into {tuple(target)}")
        return (None, *rest)
    return tuple(None if t == -1 else t for t in target)


def permute_output(shape: tuple, dims: tuple) -> tuple:
    """Dims reordered."""
    if sorted(d % len(shape) for d in dims) != list(range(len(shape))):
        raise ShapeError(f"permute dims {tuple(dims)} do not match a tensor of rank {len(shape)}")
    return tuple(shape[d] for d in dims)


def index_output(shape: tuple, index) -> tuple:
    """The shape after basic indexing ``x[index]``: ints drop an axis, slices (any step) keep it with their
    length, ``None`` adds an axis of 1, ``...`` stands for the axes not named. A slice of an unknown size is
    unknown (``None``), except ``[:]``-like slices from the start to the end, which keep it."""
    items = index if isinstance(index, tuple) else (index,)
    named = sum(1 for item in items if item is not None and item is not Ellipsis)
    if sum(1 for item in items if item is Ellipsis) > 1:
        raise ShapeError("an index can only have a single ellipsis ('...')")
    if named > len(shape):
        raise ShapeError(f"too many indices: the tensor has {len(shape)} axes but {named} were indexed")
    out: list = []
    axis = 0
    for item in items:
        if item is None:
            out.append(1)
        elif item is Ellipsis:
            span = len(shape) - named
            out.extend(shape[axis:axis + span])
            axis += span
        elif isinstance(item, slice):
            out.append(_sliced(shape[axis], item, axis))
            axis += 1
        elif isinstance(item, int) and not isinstance(item, bool):
            size = shape[axis]
            if size is not None and not -size <= item < size:
                raise ShapeError(f"index {item} is out of bounds for axis {axis} with size {size}")
            axis += 1
        else:
            raise ShapeError(f"cannot index with {type(item).__name__} {item!r}: only ints, slices, None and ... "
                             "have a shape rule")
    out.extend(shape[axis:])
    return tuple(out)


def _sliced(size, item: slice, axis: int):
    for part in (item.start, item.stop, item.step):
        if part is not None and (isinstance(part, bool) or not isinstance(part, int)):
            raise ShapeError(f"slice indices must be ints or None; received {item!r} on axis {axis}")
    if item.step == 0:
        raise ShapeError("slice step cannot be zero")
    if size is None:
        whole = item.start in (None, 0) and item.stop is None and item.step in (None, 1)
        return None if not whole else size
    return len(range(*item.indices(size)))


def sliding_blocks(spatial: tuple, kernel: tuple, stride: tuple, padding: tuple, dilation: tuple) -> tuple[tuple, list]:
    """Where a window of ``kernel`` can sit on ``spatial`` (``F.unfold``/``F.fold``'s "sliding blocks"): the count
    per axis with its formula; a count below one is an error naming the sizes."""
    from nncalc.layers.base import axis_names, sliding_window

    counts, formulas = [], []
    for i, axis in enumerate(axis_names(len(spatial))):
        out, formula = sliding_window(spatial[i], kernel[i], stride[i], (padding[i], padding[i]), dilation[i], axis=axis)
        counts.append(out)
        formulas.append((axis, formula))
    if any(c is not None and c < 1 for c in counts):
        raise ShapeError(
            f"Given input with spatial size {tuple(spatial)}, kernel_size={tuple(kernel)}, dilation={tuple(dilation)}, "
            f"padding={tuple(padding)}, calculated shape of the array of sliding blocks as {tuple(counts)}, but its "
            "components must be at least one.",
            hint="use a larger input, a smaller kernel or more padding",
        )
    return tuple(counts), formulas


def unfold_output(channels: int, spatial: tuple, kernel: tuple, stride: tuple, padding: tuple,
                  dilation: tuple) -> tuple[tuple, list]:
    """``im2col``: ``(C, *spatial)`` → ``(C × ∏kernel, blocks)``, with the per-axis block formulas."""
    counts, formulas = sliding_blocks(spatial, kernel, stride, padding, dilation)
    blocks = None if any(c is None for c in counts) else prod(counts)
    return (channels * prod(kernel), blocks), formulas


def fold_output(rows: int, blocks: int | None, output_size: tuple, kernel: tuple, stride: tuple, padding: tuple,
                dilation: tuple) -> tuple:
    """``col2im``: ``(C × ∏kernel, blocks)`` → ``(C, *output_size)``; the sizes must fit the window."""
    window = prod(kernel)
    if rows % window:
        raise ShapeError(
            f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
            f"input.size(1)={rows} and kernel_size={tuple(kernel)}.",
            hint=f"the input's dimension 1 is channels × {' × '.join(map(str, kernel))}",
        )
    counts, _ = sliding_blocks(output_size, kernel, stride, padding, dilation)
    wanted = prod(counts)
    if blocks is not None and blocks != wanted:
        raise ShapeError(
            f"Given output_size={tuple(output_size)}, kernel_size={tuple(kernel)}, dilation={tuple(dilation)}, "
            f"padding={tuple(padding)}, stride={tuple(stride)}, expected size of input's dimension 2 to match the "
            f"calculated number of sliding blocks {' * '.join(map(str, counts))} = {wanted}, but got "
            f"input.size(2)={blocks}.",
        )
    return (rows // window, *output_size)
