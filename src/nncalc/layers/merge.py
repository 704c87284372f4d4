"""Merging branches: element-wise combination with broadcasting, concatenation along an axis, batched dot
products. No weights. Element-wise merges and concatenation cost no MACs (additions and copies are not
multiply-accumulates); a dot product costs one MAC per output element per contracted position.

Shapes are whatever the caller passes, batch included; ``lead`` axes at the front (Keras's batch) can be kept
apart from broadcasting. ``None`` is an unknown size: it stays unknown in the result, never guessed.
Error messages start with "receives …" so the caller can put the layer's name in front.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nncalc.diagnostics import recoverable
from nncalc.errors import ShapeError
from nncalc.formula import Expr, sym, total
from nncalc.layers.base import positions

Shape = tuple


def shape_str(shape: Shape) -> str:
    """``(None, 8, 8, 32)``; a one-axis shape as ``(10,)``."""
    inner = ", ".join("None" if s is None else str(s) for s in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _join_lead(shapes: Sequence[Shape], lead: int, show: Callable) -> tuple:
    """The ``lead`` axes of all shapes, which must agree where known (the known size wins over None)."""
    merged = []
    for axis in range(lead):
        known = {s[axis] for s in shapes if len(s) > axis and s[axis] is not None}
        if len(known) > 1:
            raise ShapeError(
                f"receives {' and '.join(show(s) for s in shapes)}: their sizes along axis {axis} "
                f"({', '.join(map(str, sorted(known)))}) differ",
                hint="every input must come from the same batch",
            )
        merged.append(known.pop() if known else None)
    return tuple(merged)


def broadcast_shapes(shapes: Sequence[Shape], lead: int = 0, show: Callable[[Shape], str] = shape_str,
                     known_wins: bool = False) -> Shape:
    """The shape of an element-wise combination (sum, product, mean, max…) of tensors of ``shapes``.

    NumPy's rule on the axes after the first ``lead``: right-aligned, sizes equal or one of them 1 (which
    stretches); a shorter shape gains leading axes. An unknown size with anything gives an unknown size, or,
    with ``known_wins`` (Keras's ops), with a known size other than 1 that size.
    """
    if not shapes:
        raise ShapeError("receives no inputs", hint="pass a list of at least one tensor")
    head = _join_lead(shapes, lead, show)
    rest, shown = tuple(shapes[0][lead:]), shapes[0]
    for other in shapes[1:]:
        rest = _broadcast_pair(rest, tuple(other[lead:]), shown, other, lead, show, known_wins)
        shown = head + rest
    return head + rest


def broadcast_pair(a: Shape, b: Shape, mismatch: Callable[[int, int, int], None], known_wins: bool = False) -> Shape:
    """The broadcast of two shapes, the one rule torch, Keras and einsum share: right-aligned, sizes equal or
    one of them 1 (which stretches), the shorter shape gaining leading axes; an unknown size (None) with
    anything stays unknown, except with ``known_wins`` (Keras's ops) where a known size other than 1 wins.

    Sizes that differ, neither 1, are the caller's error: ``mismatch(size_in_a, size_in_b, axis)`` (``axis``
    counted in the longer shape) raises it, or records it and returns; the result then goes on with ``a``'s
    size.
    """
    swapped = len(a) < len(b)
    longer, shorter = (b, a) if swapped else (a, b)
    offset = len(longer) - len(shorter)
    out = list(longer[:offset])
    for index, (i, j) in enumerate(zip(longer[offset:], shorter)):
        if i is None or j is None:
            known = j if i is None else i
            out.append(known if known_wins and known != 1 else None)
        elif i == 1 or j == 1 or i == j:
            out.append(j if i == 1 else i)
        else:
            first, second = (j, i) if swapped else (i, j)
            mismatch(first, second, offset + index)
            out.append(first)
    return tuple(out)


def _broadcast_pair(a: Shape, b: Shape, shown_a: Shape, shown_b: Shape, lead: int, show: Callable,
                    known_wins: bool = False) -> Shape:
    def mismatch(first: int, second: int, axis: int) -> None:
        i, j = (second, first) if len(a) < len(b) else (first, second)  # the longer shape's size first
        recoverable(ShapeError(
            f"receives {show(shown_a)} and {show(shown_b)}: sizes {i} and {j} along axis {lead + axis} differ "
            "and neither is 1, so they cannot be combined element-wise",
            hint="make the branches agree on that axis (e.g. a 1×1 convolution or a Dense layer to "
            f"{max(i, j)} on the smaller one), or concatenate them instead",
        ))

    return broadcast_pair(a, b, mismatch, known_wins)


def concat_shapes(shapes: Sequence[Shape], axis: int, axis_name: str = "n",
                  show: Callable[[Shape], str] = shape_str) -> tuple[Shape, list[tuple[str, Expr]]]:
    """The shape of tensors of ``shapes`` joined along ``axis`` (negative counts from the end), with the
    formula of the joined size (``C_1 + C_2``).

    Every other axis must agree where known; the result takes the first input's sizes there.
    """
    if not shapes:
        raise ShapeError("receives no inputs", hint="pass a list of at least one tensor")
    ranks = {len(s) for s in shapes}
    if len(ranks) > 1:
        raise ShapeError(
            f"receives tensors of different ranks {' and '.join(show(s) for s in shapes)}",
            hint="every input needs the same number of axes; reshape or flatten the odd one first",
        )
    rank = ranks.pop()
    if not -rank <= axis < rank:
        raise ShapeError(f"receives tensors of rank {rank}; axis {axis} is out of range",
                         hint=f"use an axis between {-rank} and {rank - 1}")
    joined = axis % rank
    for other in range(rank):
        if other == joined:
            continue
        known = {s[other] for s in shapes if s[other] is not None}
        if len(known) > 1:
            recoverable(ShapeError(
                f"receives {' and '.join(show(s) for s in shapes)}: they may differ only along the concatenation "
                f"axis {axis}, but differ along axis {other} ({' vs '.join(str(s[other]) for s in shapes)})",
                hint="resize or crop one branch so all axes but the joined one match",
            ))
            break  # recovered: one report per concatenation
    sizes = [s[joined] for s in shapes]
    formula = total([sym(f"{axis_name}_{i + 1}", size) for i, size in enumerate(sizes)])
    out = list(shapes[0])
    out[joined] = None if None in sizes else sum(sizes)
    return tuple(out), ([(axis_name, formula)] if len(sizes) > 1 else [])


def matmul_shape(a: Shape, b: Shape, broadcast: Callable[[Shape, Shape], Shape],
                 error: Callable[[str, Shape, Shape], Exception]) -> tuple[Shape, int]:
    """``a @ b`` as NumPy, torch and Keras define it: ``(…, n, k) @ (…, k, m) → (…, n, m)``, the batch axes
    joined by ``broadcast``, a 1-D operand a matrix of one row (``a``) or one column (``b``) whose axis the
    result loses. Returns the shape and the MACs (one per output element per contracted position; an unknown
    size counted as 1).

    ``error(kind, left, right)`` is the caller's exception when the operands cannot be multiplied: ``kind``
    ``"rank"`` (an operand of rank 0) or ``"inner"`` (``left[-1]`` differs from ``right[-2]``; ``left`` and
    ``right`` are the operands as matrices).
    """
    if not a or not b:
        raise error("rank", tuple(a), tuple(b))
    left, right = (tuple(a) if len(a) > 1 else (1, *a)), (tuple(b) if len(b) > 1 else (*b, 1))
    k1, k2 = left[-1], right[-2]
    if k1 is not None and k2 is not None and k1 != k2:
        raise error("inner", left, right)
    out = (*broadcast(left[:-2], right[:-2]), left[-2], right[-1])
    if len(a) == 1:
        out = out[:-2] + out[-1:]
    if len(b) == 1:
        out = out[:-1]
    contracted = k1 if k1 is not None else (k2 if k2 is not None else 1)
    return out, positions(out) * contracted


def batch_dot_shape(a: Shape, b: Shape, axes: tuple[int, int],
                    show: Callable[[Shape], str] = shape_str) -> tuple[Shape, int]:
    """Batched dot product of ``a`` and ``b`` (batch first) contracting ``axes`` (one per input, not 0):
    the output shape (``a`` without its axis, then ``b`` without batch and its axis; at least 2 axes) and the
    MACs (output positions × contracted size, an unknown batch counted as 1)."""
    if len(a) < 2 or len(b) < 2:
        raise ShapeError(f"receives {show(a)} and {show(b)}: a batched dot product needs rank ≥ 2 inputs")
    first, second = (axes[0] % len(a), axes[1] % len(b))
    if first == 0 or second == 0:
        raise ShapeError(f"receives {show(a)} and {show(b)}: axis 0 (the batch) cannot be contracted",
                         hint="choose axes ≥ 1")
    if a[first] != b[second]:
        raise ShapeError(
            f"receives {show(a)} and {show(b)}: the contracted sizes {a[first]} (axis {first}) and "
            f"{b[second]} (axis {second}) differ",
            hint="contract axes of equal size",
        )
    out = [s for i, s in enumerate(a) if i != first] + [s for i, s in enumerate(b) if i not in (0, second)]
    if len(out) == 1:
        out.append(1)
    contracted = a[first] if a[first] is not None else 1
    return tuple(out), positions(out) * contracted
