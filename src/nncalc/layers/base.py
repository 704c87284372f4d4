"""What every layer family shares: weight terms, argument normalisation and the sliding-window size rule."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from math import prod

from nncalc.errors import LimitExceeded, ShapeError, number_text
from nncalc.formula import Expr, Num, product, sym, total, ceil_div
from nncalc.records import dataclass

Padding = "str | tuple[tuple[int, int], ...]"


@dataclass(frozen=True)
class Term:
    """A named weight tensor of a rule: ``kernel (k_h, k_w, C_in, filters)``, ``bias (filters)``.

    ``dims`` pairs each size with the name it has in formulas. ``statistic`` marks running statistics
    (batch norm's mean and variance): Keras counts them as non-trainable parameters, PyTorch keeps them as
    buffers outside the parameters; the framework API decides.
    """

    role: str
    dims: tuple[tuple[str, int], ...]
    statistic: bool = False

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(size for _, size in self.dims)

    @property
    def numel(self) -> int:
        return prod(self.shape)


def terms_formula(terms: Sequence[Term]) -> Expr | None:
    """A parameter formula summing the terms, folding terms of the same named shape: ``2 × num_features``."""
    groups: dict[tuple, int] = defaultdict(int)
    for term in terms:
        groups[term.dims] += 1
    parts: list[Expr] = []
    for dims, count in groups.items():
        factors = [sym(name, size) for name, size in dims]
        parts.append(product(([Num(count)] if count > 1 else []) + factors))
    return total(parts) if parts else None


MAX_SIZE = 2**63 - 1
"""PyTorch and Keras (on any backend) hold sizes, strides and element counts in 64-bit integers."""


def int_or_tuple(value, rank: int, single: bool = True) -> tuple | None:
    """An int-or-tuple argument (a kernel size, a stride) as ``rank`` items, the one reading torch and Keras
    share: ``3`` → ``(3, 3)``; a tuple or list of ``rank`` items stays; with ``single``, one item is repeated
    (``[3]`` → ``(3, 3)``). None for anything else (a bool, another length). The items are the caller's to
    check."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * rank
    if isinstance(value, (tuple, list)):
        if len(value) == rank:
            return tuple(value)
        if single and len(value) == 1:
            return tuple(value) * rank
    return None


def as_tuple(value, rank: int, name: str) -> tuple[int, ...]:
    """``3`` → ``(3, 3)``; a tuple or list of length ``rank``, or of one int, stays or is repeated; anything else
    is an error naming ``name``."""
    sizes = int_or_tuple(value, rank)
    if sizes is not None and all(isinstance(v, int) and (not isinstance(v, bool) or len(value) == 1) for v in sizes):
        return _held(sizes, name)
    raise ShapeError(f"`{name}` must be an int or a tuple of {rank} ints. Received: {name}={value!r}")


def _held(values: tuple[int, ...], name: str) -> tuple[int, ...]:
    """``values``, unless one is past what a framework holds (``strides=10**400``)."""
    for v in values:
        if abs(v) > MAX_SIZE:
            raise LimitExceeded(
                f"`{name}`={number_text(v)} is larger than PyTorch and Keras hold (64-bit: at most {MAX_SIZE:,})",
                hint="no framework can build this layer: check its sizes",
            )
    return values


def as_padding(value, rank: int) -> "str | tuple[tuple[int, int], ...]":
    """``'valid'``/``'same'`` stay; an int or per-axis ints become (before, after) pairs per axis."""
    if isinstance(value, str):
        mode = value.lower()
        if mode not in ("valid", "same"):
            raise ShapeError(f"`padding` must be 'valid', 'same' or ints. Received: padding={value!r}")
        return mode
    if isinstance(value, (tuple, list)) and len(value) == rank and all(isinstance(v, (tuple, list)) for v in value):
        return tuple((int(a), int(b)) for a, b in value)
    return tuple((p, p) for p in as_tuple(value, rank, "padding"))


def axis_names(rank: int) -> tuple[str, ...]:
    """Spatial axis names by rank: ``L``; ``H, W``; ``D, H, W``."""
    return {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}.get(rank, tuple(f"S{i}" for i in range(rank)))


def kernel_names(rank: int) -> tuple[str, ...]:
    """Kernel size names by rank: ``k``; ``k_h, k_w``; ``k_d, k_h, k_w``."""
    if rank == 1:
        return ("k",)
    return tuple(f"k_{a.lower()}" for a in axis_names(rank))


def sliding_window(
    size: int | None,
    kernel: int,
    stride: int,
    padding: "str | tuple[int, int]",
    dilation: int = 1,
    ceil_mode: bool = False,
    axis: str = "H",
) -> tuple[int | None, Expr]:
    """Output length of a window sliding over one axis (convolution and pooling), with its formula.

    ``padding`` is ``'valid'``, ``'same'`` (output ``⌈size / stride⌉``) or explicit (before, after).
    ``ceil_mode`` rounds up, dropping a last window that would start in the right padding, as PyTorch does.
    """
    a = axis.lower()
    n_in = sym(f"{axis}_in", size)
    k, s = sym(f"k_{a}", kernel), sym(f"s_{a}", stride)
    if padding == "same":
        formula = ceil_div(n_in, s)
        return formula.value, formula
    before, after = (0, 0) if padding == "valid" else padding
    span: Expr = n_in
    if before == after and before:
        span = span + Num(2) * sym(f"p_{a}", before)
    elif before or after:
        span = span + sym(f"p_{a}_before", before) + sym(f"p_{a}_after", after)
    if dilation == 1:
        span = span - k
    else:
        span = span - sym(f"d_{a}", dilation) * (k - 1) - 1
    formula = (ceil_div(span, s) if ceil_mode else span // s) + 1
    out = window_output(size, kernel, stride, padding, dilation, ceil_mode)
    if out is not None and formula.value != out:  # ceil_mode's window that would start in the padding
        formula = formula - 1
    return out, formula


def window_output(
    size: int | None,
    kernel: int,
    stride: int,
    padding: "str | tuple[int, int]",
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int | None:
    """The length :func:`sliding_window` computes, without building its formula (for quick, unrecorded runs)."""
    if size is None:
        return None
    if padding == "same":
        return -(-size // stride)
    before, after = (0, 0) if padding == "valid" else padding
    span = size + before + after - dilation * (kernel - 1) - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + before:
        out -= 1
    return out


def check_positive(out: int | None, axis: str, size: int | None, what: str) -> None:
    """A window that no longer fits is a shape error, naming the axis and the sizes."""
    if out is not None and out < 1:
        error = ShapeError(
            f"{what} leaves no output along {axis}: the input has {axis} = {size}, too small for the window",
            hint="use a larger input, less stride or more padding, or drop a downsampling layer",
        )
        error.too_small = True  # every smaller input is too small as well (input-shape inference skips them)
        raise error


def positions(shape: Sequence[int | None]) -> int:
    """Product of known sizes, an unknown batch counted as 1 (compute is given per sample then)."""
    return prod(1 if s is None else s for s in shape)


DIVISOR_SEARCH = 100_000
"""Candidates :func:`divisors` tries: a hint for ``nn.MultiheadAttention(10**9, 7)`` never loops 10**9 times."""


def divisors(n: int) -> list[int]:
    """The divisors of ``n`` in increasing order (for a hint); past ``DIVISOR_SEARCH ** 2`` only the divisors up
    to ``DIVISOR_SEARCH`` and their cofactors."""
    if n < 1:
        return [1]
    small, large = [], []
    d = 1
    while d * d <= n and d <= DIVISOR_SEARCH:
        if n % d == 0:
            small.append(d)
            if d * d != n:
                large.append(n // d)
        d += 1
    return small + large[::-1]
