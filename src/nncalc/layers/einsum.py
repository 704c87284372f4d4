"""Einstein summation: the output shape and the multiply-accumulates of ``einsum("bhqd,bhkd->bhqk", q, k)``,
for any framework's ``einsum`` (and einops' ``EinMix``).

Each subscript letter names an axis; ``...`` stands for the axes no letter names (broadcast across operands).
Without ``->`` the output is the letters used once, in alphabetical order, after the ``...`` axes. Axes of the
same letter must agree (a size of 1 broadcasts). With two or more operands every combination of all the
letters' sizes is one multiply-accumulate (a contraction of two matrices ``ij,jk->ik`` costs ``i × j × k``);
one operand (a transpose, a trace, a sum) costs none.
"""

from __future__ import annotations

from math import prod

from nncalc.layers.merge import broadcast_pair

ELLIPSIS = "..."


class EinsumError(ValueError):
    """A malformed equation or operands that do not fit it (the message says which, as torch would)."""


def parse(equation: str, count: int) -> tuple[list[str], str | None]:
    """The operands' subscripts (``"..."`` kept as ``"."``) and the output's (None when implicit)."""
    text = equation.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    if len(terms) != count:
        raise EinsumError(f"einsum(): more operands were provided than specified in the equation"
                          if count > len(terms) else "einsum(): fewer operands were provided than specified in the "
                          "equation")
    terms = [t.replace(ELLIPSIS, ".") for t in terms]
    for term in terms + ([output.replace(ELLIPSIS, ".")] if arrow else []):
        if term.count(".") > 1 or any(not (c.isalpha() or c == ".") for c in term):
            raise EinsumError(f"einsum(): invalid subscript given at index {term!r} in the equation string, "
                              "subscripts must be in [a-zA-Z]")
    return terms, output.replace(ELLIPSIS, ".") if arrow else None


def einsum_shape(equation: str, shapes: list[tuple]) -> tuple[tuple, int]:
    """The output shape and the multiply-accumulates of ``equation`` over operands of ``shapes``."""
    terms, output = parse(equation, len(shapes))
    sizes: dict[str, int] = {}
    ellipsis: tuple = ()
    for term, shape in zip(terms, shapes):
        letters = term.replace(".", "")
        if "." in term:
            extra = len(shape) - len(letters)
            if extra < 0:
                raise EinsumError(f"einsum(): the number of subscripts in the equation ({len(letters)}) is more "
                                  f"than the number of dimensions ({len(shape)}) for operand {term!r}")
            at = term.index(".")
            here = tuple(shape[at:at + extra])
            ellipsis = _broadcast(ellipsis, here, equation)
            named = list(shape[:at]) + list(shape[at + extra:])
        else:
            if len(letters) != len(shape):
                raise EinsumError(f"einsum(): the number of subscripts in the equation ({len(letters)}) does not "
                                  f"match the number of dimensions ({len(shape)}) for operand {term!r} and no "
                                  "ellipsis was given")
            named = list(shape)
        for letter, size in zip(letters, named):
            known = sizes.get(letter)
            if known is None or known == 1:
                sizes[letter] = size
            elif size != known and size != 1:
                raise EinsumError(f"einsum(): operands do not broadcast with remapped shapes (original->remapped): "
                                  f"subscript {letter!r} has size {known} for one operand and {size} for another")
    if output is None:
        once = sorted(c for c in sizes if sum(t.count(c) for t in terms) == 1)
        output = "." + "".join(once) if any("." in t for t in terms) else "".join(once)
    for letter in output.replace(".", ""):
        if letter not in sizes:
            raise EinsumError(f"einsum(): output subscript {letter} does not appear in the equation for any input "
                              "operand")
    out: list = []
    for letter in output:
        out.extend(ellipsis if letter == "." else (sizes[letter],))
    macs = prod(sizes.values()) * prod(ellipsis) if len(shapes) > 1 else 0
    return tuple(out), macs


def _broadcast(a: tuple, b: tuple, equation: str) -> tuple:
    def mismatch(*sizes) -> None:
        raise EinsumError(f"einsum(): the ellipsis dimensions of {equation!r} do not broadcast: {a} and {b}")

    return broadcast_pair(a, b, mismatch)


def einsum_dense_shapes(equation: str, bias_axes: str | None, input_shape: tuple, partial_output: tuple):
    """Keras's ``EinsumDense``: (kernel dims, bias dims or None, full output shape) for ``equation`` of the form
    ``in,kernel->out`` (``...`` allowed before the input and output letters, or after them), an input of
    ``input_shape`` (batch first) and ``partial_output``, the output without the batch (``None`` where unknown).

    A kernel letter takes its size from the output when the output names it, else from the input; the bias
    spans the output from the first ``bias_axes`` letter to the end, 1 on the letters it does not name."""
    text = equation.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    operands = inputs.split(",")
    if not arrow or len(operands) != 2:
        raise EinsumError(f"Invalid einsum equation '{equation}'. Equations must be in the form "
                          "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")
    source, kernel = operands
    left = source.startswith(ELLIPSIS) and output.startswith(ELLIPSIS)
    right = source.endswith(ELLIPSIS) and output.endswith(ELLIPSIS) and not left
    source_letters, out_letters = source.replace(ELLIPSIS, ""), output.replace(ELLIPSIS, "")
    plain = all(part.isalpha() for part in (source, kernel, output))
    if not (plain or left or (right and len(source_letters) >= 2)) or not kernel.isalpha():
        raise EinsumError(f"Invalid einsum equation '{equation}'. Equations must be in the form "
                          "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")
    elided = len(input_shape) - len(source_letters)
    given = list(partial_output)
    if left:  # the elided input axes after the batch come before the given sizes, last first (as Keras does)
        full = [input_shape[0], *reversed(input_shape[1:max(elided, 1)]), *given]
        in_at = {c: elided + i for i, c in enumerate(source_letters)}
        out_at = {c: elided + i for i, c in enumerate(out_letters)}
    else:
        full = [input_shape[0], *given, *(input_shape[len(input_shape) - elided:] if elided > 0 else ())]
        in_at = {c: i for i, c in enumerate(source_letters)}
        out_at = {c: i for i, c in enumerate(out_letters)}
    for letter in source_letters:
        if letter in out_at and full[out_at[letter]] is not None and full[out_at[letter]] != input_shape[in_at[letter]]:
            raise EinsumError(f"Input shape and output shape do not match at shared dimension '{letter}'. Input "
                              f"shape is {input_shape[in_at[letter]]}, and output shape is {full[out_at[letter]]}.")
    for letter in out_letters:
        if letter not in source_letters and letter not in kernel:
            raise EinsumError(f"Dimension '{letter}' was specified in the output '{out_letters}' but has no "
                              f"corresponding dim in the input spec '{source_letters}' or weight spec '{kernel}'")
    kernel_dims = []
    for letter in kernel:
        if letter in out_at:
            kernel_dims.append((letter, full[out_at[letter]]))
        elif letter in in_at:
            kernel_dims.append((letter, input_shape[in_at[letter]]))
        else:
            raise EinsumError(f"Weight dimension '{letter}' did not have a match in either the input spec "
                              f"'{source_letters}' or the output spec '{out_letters}'. For this layer, the weight "
                              "must be fully specified.")
    bias_dims = None
    if bias_axes is not None:
        missing = [c for c in bias_axes if c not in out_letters]
        if missing:
            raise EinsumError(f"Bias dimension '{missing[0]}' was requested, but is not part of the output spec "
                              f"'{out_letters}'")
        first = min(out_letters.index(c) for c in bias_axes)
        bias_dims = [(c, full[out_at[c]]) if c in bias_axes else ("1", 1) for c in out_letters[first:]]
        if not left:
            bias_dims += [("1", 1)] * max(elided, 0)
    return kernel_dims, bias_dims, tuple(full)
