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
