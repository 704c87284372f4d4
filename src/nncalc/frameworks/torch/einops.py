"""``einops`` without its source: ``rearrange``, ``repeat``, ``reduce``, ``einsum``, ``pack``/``unpack`` and the
layers ``Rearrange``, ``Reduce``, ``EinMix`` (``einops.layers.torch``), exactly as einops computes shapes.

A pattern names axes (``b c (h p1) (w p2) -> b (h w) (p1 p2 c)``): a group in parentheses is one axis of the
tensor made of several; ``...`` stands for the axes not named; ``1`` and ``()`` are axes of size 1; a number
in a group is an anonymous axis of that size. Sizes come from the input and from the keyword arguments
(``p1=16``); a group may leave one size to be worked out. Rearranging and repeating cost no MACs; ``EinMix``
holds a weight (and a bias) whose shapes are named axes, and costs one multiply-accumulate per combination of
all its axes' sizes.
"""

from __future__ import annotations

from math import prod

from nncalc.errors import ShapeError
from nncalc.frameworks.common.errors import reject_unknown
from nncalc.frameworks.torch.errors import TorchTypeError
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.module import Module
from nncalc.frameworks.torch.tensor import Parameter, Tensor

REDUCTIONS = ("min", "max", "sum", "mean", "prod", "any", "all")


class EinopsError(ShapeError):
    """einops' own ``EinopsError``: a pattern that does not fit the tensor (what einops would raise)."""


# ----- patterns ------------------------------------------------------------------------------------------------
def parse_side(text: str) -> list[list[str]]:
    """``b (h p1) 1 ...`` → ``[["b"], ["h", "p1"], [], ["..."]]`` (a number in a group stays as its text)."""
    groups: list[list[str]] = []
    current: list[str] | None = None
    token = ""
    for char in text + " ":
        if char in " ()":
            if token:
                if current is not None:
                    current.append(token)
                elif token == "1":
                    groups.append([])
                else:
                    groups.append([token])
                token = ""
            if char == "(":
                if current is not None:
                    raise EinopsError(f"Axis composition is one-level (brackets inside brackets not allowed): {text!r}")
                current = []
            elif char == ")":
                if current is None:
                    raise EinopsError(f"Brackets are not balanced: {text!r}")
                groups.append([GROUPED_ELLIPSIS if name == "..." else name for name in current])
                current = None
        else:
            token += char
    if current is not None:
        raise EinopsError(f"Brackets are not balanced: {text!r}")
    for group in groups:
        for name in group:
            if not (name in ("...", GROUPED_ELLIPSIS) or name.isidentifier() or name.isdigit()):
                raise EinopsError(f"Invalid axis name {name!r} in {text!r}")
    return groups


GROUPED_ELLIPSIS = "(...)"
"""``...`` inside brackets (``b h (...) d``): the axes it stands for, composed into one."""


def _expand_ellipsis(groups: list[list[str]], rank: int | None, left: bool = True) -> list[list[str]]:
    """Replace ``...`` by as many axes as the tensor has beyond the named ones (``rank``); on the right side,
    ``(...)`` by those axes composed into one."""
    named = sum(1 for g in groups if g != ["..."])
    count = (rank - named) if rank is not None else 0
    out = []
    for group in groups:
        if "..." in group or GROUPED_ELLIPSIS in group:
            if count < 0:
                raise EinopsError(f"Wrong shape: expected at least {named} dims. Received {rank}-dim tensor.")
            axes = [f"...{i}" for i in range(count)]
            if group == ["..."]:
                out.extend([axis] for axis in axes)
            elif left:
                raise EinopsError("Ellipsis inside parenthesis in the left side is not allowed")
            else:
                out.append([a for name in group for a in (axes if name == GROUPED_ELLIPSIS else [name])])
        else:
            out.append(group)
    return out


def solve(groups: list[list[str]], shape: tuple, sizes: dict) -> dict:
    """The size of every axis named on the input side, from ``shape`` and the given ``sizes``."""
    if len(groups) != len(shape):
        raise EinopsError(f"Wrong shape: expected {len(groups)} dims. Received {len(shape)}-dim tensor.")
    known = dict(sizes)
    for group, size in zip(groups, shape):
        missing = [a for a in group if not a.isdigit() and a not in known]
        product = prod(int(a) if a.isdigit() else known[a] for a in group if a.isdigit() or a in known)
        if len(missing) > 1:
            raise EinopsError(f"Could not infer sizes for {set(missing)}")
        if missing:
            if product == 0 or size % product:
                raise EinopsError(f"Shape mismatch, can't divide axis of length {size} in chunks of {product}")
            known[missing[0]] = size // product
        elif product != size:
            raise EinopsError(f"Shape mismatch, {size} != {product}")
    return known


def output_shape(groups: list[list[str]], known: dict, pattern: str) -> tuple:
    out = []
    for group in groups:
        size = 1
        for axis in group:
            if axis.isdigit():
                size *= int(axis)
            elif axis in known:
                size *= known[axis]
            else:
                raise EinopsError(f"Unknown axis {axis} on the right side of {pattern!r}; pass its size, e.g. {axis}=2")
        out.append(size)
    return tuple(out)


def transform(shape: tuple, pattern: str, sizes: dict, kind: str) -> tuple:
    """The output shape of ``rearrange``/``repeat``/``reduce`` of a tensor of ``shape``."""
    left_text, arrow, right_text = pattern.partition("->")
    if not arrow:
        raise EinopsError(f"Pattern {pattern!r} has no '->'")
    left = _expand_ellipsis(parse_side(left_text), len(shape))
    right_raw = parse_side(right_text)
    named_left = sum(1 for g in parse_side(left_text) if g != ["..."])
    right = _expand_ellipsis(right_raw, len(shape) - named_left + sum(1 for g in right_raw if g != ["..."]),
                             left=False)
    known = solve(left, shape, sizes)
    left_axes = {a for g in left for a in g if not a.isdigit()}
    right_axes = {a for g in right for a in g if not a.isdigit()}
    if kind == "rearrange" and left_axes != right_axes:
        raise EinopsError(f"Identifiers only on one side of expression (should be on both): "
                          f"{sorted(left_axes ^ right_axes)}")
    if kind == "repeat" and not left_axes <= right_axes:
        raise EinopsError(f"Unexpected identifiers on the left side of repeat: {sorted(left_axes - right_axes)}")
    if kind == "reduce" and not right_axes <= left_axes:
        raise EinopsError(f"Unexpected identifiers on the right side of reduce: {sorted(right_axes - left_axes)}")
    return output_shape(right, known, pattern)


# ----- functions -----------------------------------------------------------------------------------------------
def _tensor(value, name: str) -> Tensor:
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Tensor) for v in value):
        from nncalc.frameworks.torch.functional import stack

        return stack(list(value))
    if not isinstance(value, Tensor):
        reject_unknown(value, f"einops.{name}")  # a value nncalc cannot know says where it came from
        raise TorchTypeError(f"einops.{name}: nncalc reads einops on torch tensors, got {type(value).__name__}",
                             hint="einops on numpy arrays or lists is data handling, not a model nncalc reads")
    return value


def rearrange(tensor, pattern: str, **axes_lengths):
    x = _tensor(tensor, "rearrange")
    shape = transform(x._shape, pattern, axes_lengths, "rearrange")
    return x.reshape(*shape)


def repeat(tensor, pattern: str, **axes_lengths):
    x = _tensor(tensor, "repeat")
    return x._like(transform(x._shape, pattern, axes_lengths, "repeat"), factors=None)


def reduce(tensor, pattern: str, reduction, **axes_lengths):
    x = _tensor(tensor, "reduce")
    if isinstance(reduction, str) and reduction not in REDUCTIONS:
        raise EinopsError(f"Unknown reduction {reduction!r}; einops knows {', '.join(REDUCTIONS)}")
    return x._like(transform(x._shape, pattern, axes_lengths, "reduce"), factors=None)


def einsum(*arguments):
    """``einops.einsum(x, y, "b i d, b j d -> b i j")``: the pattern goes last, axes are words."""
    *tensors, pattern = arguments
    left, _, right = pattern.partition("->")
    names: dict[str, str] = {}
    letters = iter("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    def code(side: str) -> str:
        return "".join("..." if w == "..." else names.setdefault(w, next(letters)) for w in side.split())

    equation = ",".join(code(term) for term in left.split(",")) + "->" + code(right)
    from nncalc.frameworks.torch.functional import einsum as torch_einsum

    return torch_einsum(equation, *tensors)


def pack(tensors, pattern: str):
    """``pack([a, b], "b * c")``: the ``*`` axes of each flattened, then joined along them."""
    groups = pattern.split()
    star = groups.index("*")
    shapes, total, first = [], 0, None
    for t in tensors:
        x = _tensor(t, "pack")
        before, after = star, len(groups) - star - 1
        middle = x._shape[before:len(x._shape) - after]
        shapes.append(middle)
        total += prod(middle)
        first = first or x
    shape = first._shape[:star] + (total,) + first._shape[len(first._shape) - (len(groups) - star - 1):]
    return first._like(shape, factors=None), shapes


def unpack(tensor, packed_shapes, pattern: str):
    x = _tensor(tensor, "unpack")
    groups = pattern.split()
    star = groups.index("*")
    tail = x._shape[star + 1:]
    return [x._like(x._shape[:star] + tuple(middle) + tail, factors=None) for middle in packed_shapes]


def parse_shape(tensor, pattern: str) -> dict:
    x = _tensor(tensor, "parse_shape")
    groups = parse_side(pattern)
    return {g[0]: size for g, size in zip(groups, x._shape) if len(g) == 1 and g[0] != "_" and g[0] != "..."}


# ----- layers --------------------------------------------------------------------------------------------------
class Rearrange(Module):
    """``einops.layers.torch.Rearrange(pattern, **axes_lengths)``."""

    def __init__(self, pattern: str, **axes_lengths):
        super().__init__()
        self.pattern = pattern
        self.axes_lengths = axes_lengths

    def forward(self, input):
        return rearrange(input, self.pattern, **self.axes_lengths)

    def extra_repr(self) -> str:
        return repr(self.pattern)


class Reduce(Module):
    """``einops.layers.torch.Reduce(pattern, reduction, **axes_lengths)``."""

    def __init__(self, pattern: str, reduction: str, **axes_lengths):
        super().__init__()
        self.pattern = pattern
        self.reduction = reduction
        self.axes_lengths = axes_lengths

    def forward(self, input):
        return reduce(input, self.pattern, self.reduction, **self.axes_lengths)

    def extra_repr(self) -> str:
        return f"{self.pattern!r}, {self.reduction!r}"


class EinMix(Module):
    """``einops.layers.torch.EinMix(pattern, weight_shape, bias_shape=None, **axes_lengths)``: a weight over
    named axes, mixed in with einsum (plus a bias)."""

    def __init__(self, pattern: str, weight_shape: str, bias_shape: str | None = None, **axes_lengths):
        super().__init__()
        self.pattern = pattern
        self.weight_shape = weight_shape
        self.bias_shape = bias_shape
        self.axes_lengths = axes_lengths
        for axis in weight_shape.split():
            if axis not in axes_lengths:
                raise EinopsError(f"EinMix: the size of axis {axis} of the weight is not given; pass {axis}=…")
        self.weight = Parameter(Tensor._make(tuple(axes_lengths[a] for a in weight_shape.split())))
        if bias_shape is not None:  # as einops lays it out: the output's axes, 1 where the bias has none
            named = set(bias_shape.split())
            output = [a for g in parse_side(pattern.partition("->")[2]) for a in g
                      if a not in ("...", GROUPED_ELLIPSIS)]
            self.bias = Parameter(Tensor._make(tuple(axes_lengths[a] if a in named else 1 for a in output)))
        else:
            self.bias = None

    def forward(self, input):
        x = _tensor(input, "EinMix")
        left_text, _, right_text = self.pattern.partition("->")
        left = _expand_ellipsis(parse_side(left_text), len(x._shape))
        known = solve(left, x._shape, {})
        known.update(self.axes_lengths)
        right = _expand_ellipsis(parse_side(right_text), len(x._shape), left=False)
        shape = output_shape(right, known, self.pattern)
        axes = {a for g in left + right for a in g if not a.isdigit()} | set(self.weight_shape.split())
        recorder.note(prod(known[a] for a in axes if a in known))
        return x._like(shape, factors=None)

    def extra_repr(self) -> str:
        return f"{self.pattern!r}, {self.weight_shape!r}"


FUNCTIONS = {"rearrange": rearrange, "repeat": repeat, "reduce": reduce, "einsum": einsum, "pack": pack,
             "unpack": unpack, "parse_shape": parse_shape, "EinopsError": EinopsError}
"""``einops``'s members (see :func:`nncalc.frameworks.torch.namespaces.einops_modules`)."""
LAYERS = {"Rearrange": Rearrange, "Reduce": Reduce, "EinMix": EinMix}
"""``einops.layers.torch``'s members."""
