"""The total of a model (or a block's subtotal) as a sum short enough to read, in LaTeX for KaTeX.

The sum is written at the deepest level of the module tree where it stays short: ResNet-50 as
``conv1 + bn1 + (layer1.0 + … + layer4.2) + fc`` with the run of blocks under a brace ``16 × Bottleneck``,
GPT-2 as ``wte + wpe + (h.0 + … + h.11) + ln_f + lm_head − tied``. Three or more consecutive terms of one
type fold into such a run; their numbers stay (equal neighbours as ``5 × 1,117,184``), so the sum can be
checked by hand. Where even the first level is too long (a flat Keras graph of 100 layers), the terms are
gathered by type. Every number is a row's parameter count; nothing is computed but the grouping, and the
difference to the report's total, which only weights that two terms both hold (tied) can make.
"""

from __future__ import annotations

import re

from nncalc.report import Report, Row

MAX_NAMES = 6
"""Terms (a folded run counts one) that the first line of the sum may have."""
MAX_NUMBERS = 12
"""Numbers that the second line may have."""
MIN_RUN = 3
LINE_CHARS = 52
"""About how many characters of the rendered sum one line holds before it wraps (a phone's version: 30)."""


class Term:
    """One term of a sum: a row's parameters (or the weights a module holds itself), or a folded run."""

    __slots__ = ("name", "type", "count")

    def __init__(self, name: str, type_: str, count: int):
        self.name, self.type, self.count = name, type_, count


def tex_name(name: str) -> str:
    """A name in LaTeX text mode, its special characters escaped."""
    return r"\text{" + re.sub(r"([_&%#{}$])", r"\\\1", name) + "}"


def tex_count(n: int) -> str:
    return f"{n:,}".replace(",", "{,}")


def _terms(report: Report, kids: dict[int, list[int]], top: int, level: int) -> list[Term]:
    """The terms ``level`` steps below ``top`` (-1: the model): a module above that level is replaced by its
    children and, when it holds weights itself, a term for those. Names are relative to ``top``."""
    rows = report.layers
    out: list[Term] = []
    prefix = rows[top].name + "." if top != -1 and rows[top].name else ""

    def _name(row: Row) -> str:
        name = row.name[len(prefix):] if prefix and row.name.startswith(prefix) else row.name
        return name if name and not name.isdigit() else f"{name} ({row.type})".strip()

    def walk(index: int, depth: int) -> None:
        for child in kids[index]:
            row = rows[child]
            if row.shared:
                continue
            if kids[child] and depth < level:
                out.append(Term(_name(row), row.type, row.own_params))
                walk(child, depth + 1)
            else:
                out.append(Term(_name(row), row.type, row.params))

    walk(top, 1)
    if top == -1 and report.model_own_params:
        out.append(Term(report.model_name or "model", "", report.model_own_params))
    elif top != -1 and rows[top].own_params:  # in_proj_weight of a MultiheadAttention, an nn.Parameter
        out.append(Term("own weights", "", rows[top].own_params))
    return [t for t in out if t.count]


def _runs(terms: list[Term]) -> list[list[Term]]:
    """Consecutive terms of one type, MIN_RUN or more, as one group; every other term alone."""
    groups: list[list[Term]] = []
    for term in terms:
        if groups and groups[-1][0].type == term.type and term.type:
            groups[-1].append(term)
        else:
            groups.append([term])
    return [part for group in groups for part in ([group] if len(group) >= MIN_RUN else [[t] for t in group])]


def _by_type(terms: list[Term]) -> list[list[Term]]:
    """The terms gathered by type, in order of first appearance."""
    groups: dict[str, list[Term]] = {}
    for term in terms:
        groups.setdefault(term.type, []).append(term)
    return list(groups.values())


Part = tuple  # (LaTeX, the characters it shows); LaTeX starting with "-" is subtracted


def _numbers(group: list[Term], summed: bool) -> list[Part]:
    """A group's numbers: one run of equal values as ``k × v``; a group gathered by type as its sum."""
    if summed and len(group) > 1:
        total = sum(t.count for t in group)
        return [(tex_count(total), len(f"{total:,}"))]
    out: list[tuple[int, int]] = []
    for term in group:
        if len(group) > 1 and out and out[-1][1] == term.count:
            out[-1] = (out[-1][0] + 1, term.count)
        else:
            out.append((1, term.count))
    return [(tex_count(v), len(f"{v:,}")) if k == 1 else (rf"{k} \times {tex_count(v)}", len(f"{k} × {v:,}"))
            for k, v in out]


def _names(group: list[Term], summed: bool) -> Part:
    """A term's name; a run as ``first + … + last`` braced with ``k × Type``; a group gathered by type (not
    consecutive) as ``first + …`` braced the same way."""
    first, last = group[0].name, group[-1].name
    if len(group) == 1:
        return tex_name(first), len(first)
    if summed:
        inner, shown = tex_name(first) + r" + \dots", len(first) + 4
    else:
        between = r" + \dots + " if len(group) > 2 else " + "
        inner, shown = tex_name(first) + between + tex_name(last), len(first) + len(last) + len(between) - 6
    brace = f"{len(group)} × {group[0].type}"
    return (r"\underbrace{" + inner + "}_{" + f"{len(group)}" + r" \times " + tex_name(group[0].type) + "}",
            max(shown, len(brace) * 0.7))


def _lines(parts: list[Part], line_chars: int) -> str:
    """``a + b + c``, wrapped onto aligned lines of about ``line_chars`` characters."""
    text, width = "", 0.0
    for i, (tex, shown) in enumerate(parts):
        joint = "" if i == 0 else (" - " if tex.startswith("-") else " + ")
        if i and width + shown + 3 > line_chars:
            text += r" \\ &\quad" + joint
            width = 2
        else:
            text += joint
        text += tex.lstrip("-")
        width += shown + 3
    return text


def sum_latex(report: Report, kids: dict[int, list[int]], top: int = -1, line_chars: int = LINE_CHARS) -> str | None:
    """The parameters of the model (``top`` -1) or of row ``top`` as a folded sum, an ``aligned`` block
    (names, numbers, the count); None when its terms do not add up to the count (nncalc's bug: the caller
    shows the full sum instead)."""
    expected = report.total_params if top == -1 else report.layers[top].params
    chosen: tuple[list[list[Term]], bool] | None = None
    previous = None
    for level in range(1, 64):
        terms = _terms(report, kids, top, level)
        if previous is not None and [t.name for t in terms] == [t.name for t in previous]:
            break
        previous = terms
        groups = _runs(terms)
        if len(groups) <= MAX_NAMES and sum(len(_numbers(g, False)) for g in groups) <= MAX_NUMBERS:
            chosen = (groups, False)
    first = _terms(report, kids, top, 1)
    if chosen is None:
        chosen = (_by_type(first), True)
    groups, summed = chosen
    counted = sum(t.count for g in groups for t in g)
    tied = counted - expected
    if tied < 0 or (tied and top == -1 and tied > report.tied_params):
        return None
    names = [_names(g, summed) for g in groups] + ([(r"-\text{tied}", 4)] if tied else [])
    numbers = [n for g in groups for n in _numbers(g, summed)] + ([(f"-{tex_count(tied)}", len(f"{tied:,}"))] if tied else [])
    title = r"\text{Total Params}" if top == -1 else r"\text{Params}"
    if not groups:
        return rf"\begin{{aligned}}{title} &= 0\end{{aligned}}"
    lines = [_lines(names, line_chars)]
    if len(numbers) > 1 or summed or len(groups[0]) > 1:
        lines.append(_lines(numbers, line_chars))
    lines.append(tex_count(expected))
    body = r" \\ &= ".join(lines)
    return rf"\begin{{aligned}}{title} &= {body}\end{{aligned}}"
