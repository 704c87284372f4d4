"""The seed's hand calculation, generated: the general formulas, then every layer's parameters substituted
step by step and its output shape with its own derivation, then the total as the sum of the layers."""

from __future__ import annotations

import re

from nncalc.formula import Expr, latex_name
from nncalc.render import format_count, format_shape, general_formulas, is_layer, row_label

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nncalc.render import RenderOptions
    from nncalc.report import Report, Row


def feature_map(shape, framework: str, row: Row | None = None) -> str:
    """A shape without its batch, written as the seed does: ``30 × 30 × 8`` (H × W × C) in both frameworks.

    A PyTorch ``(N, A, B)`` tensor is ambiguous: ``(N, C, L)`` after a ``Conv1d``, ``(N, T, features)`` after
    an embedding, an LSTM or a transformer layer. It is turned to ``L × C`` only where the row computed an
    ``L`` axis (a 1-D convolution or pooling); elsewhere it is written in its own order, without axis names.
    """
    if shape is None:
        return "--"
    dims = list(shape[1:])
    if framework == "pytorch" and len(dims) == 2 and not _computes_length(row):
        return " × ".join("?" if d is None else format_count(d) for d in dims)
    if framework == "pytorch" and len(dims) >= 2:
        dims = dims[1:] + dims[:1]
    text = " × ".join("?" if d is None else format_count(d) for d in dims)
    if len(dims) >= 2:
        axes = {3: "H × W × C", 2: "L × C", 4: "D × H × W × C"}.get(len(dims))
        return f"{text} ({axes})" if axes else text
    return text


def _computes_length(row: Row | None) -> bool:
    return row is not None and any(axis == "L" for axis, _ in row.shape_formulas)


def _merged_axes(row: Row) -> list[tuple[str, Expr]]:
    """Axes whose derivations are the same numbers shown once: ``H = W = …``."""
    merged: list[tuple[str, Expr]] = []
    for axis, formula in row.shape_formulas:
        if merged and merged[-1][1].numbers() == formula.numbers():
            merged[-1] = (f"{merged[-1][0]} = {axis}", merged[-1][1])
        else:
            merged.append((axis, formula))
    return merged


def _term(row: Row) -> int:
    """The parameters a row adds to the total: a layer's all (a MultiheadAttention's with its out_proj), a
    container's own weights (an ``nn.Parameter`` beside its layers); none for a second call or a part."""
    if row.shared or row.part:
        return 0
    return row.params if is_layer(row) else row.own_params


def _shown(report: Report) -> list[Row]:
    """Every layer the forward pass calls, and every row whose parameters the total sums (a layer never called,
    a container's own weights): the total names nothing that is not shown."""
    return [r for r in report.layers if (is_layer(r) and r.called and not r.shared) or _term(r)]


def _counted(report: Report) -> list[tuple[str, int]]:
    """The terms of the total, ``(name, parameters)``: each shown row's (see :func:`_term`), the model's own
    weights, and minus the tied weights that two rows both show (``lm_head.weight = wte.weight``)."""
    terms = [(_term_name(r), _term(r)) for r in report.layers if _term(r)]
    if report.model_own_params:
        terms.append((report.model_name or "model", report.model_own_params))
    return terms + ([("tied", -report.tied_params)] if report.tied_params else [])


def _joined(parts: list[str], counts: list[int], minus: str = " − ") -> str:
    """``a + b − c``: a term of negative count is subtracted (LaTeX's minus: ``" - "``)."""
    text = ""
    for part, count in zip(parts, counts):
        text += (minus if count < 0 else " + ") + part if text else part
    return text


def render_explain(report: Report, fmt: str = "text", standalone: bool = False) -> str:
    """The worked calculation as ``text``, ``markdown`` or ``latex``; ``standalone`` LaTeX is a whole document
    that ``pdflatex`` compiles as it is."""
    if fmt == "latex":
        body = _latex(report)
        return STANDALONE.format(body=body) if standalone else body
    return _text(report, markdown=fmt == "markdown")


def render_text(report: Report, options: RenderOptions) -> str:
    """The ``explain-text`` format."""
    return render_explain(report, "text")


def render_markdown(report: Report, options: RenderOptions) -> str:
    """The ``explain-markdown`` format."""
    return render_explain(report, "markdown")


def render_latex(report: Report, options: RenderOptions) -> str:
    """The ``explain-latex`` format; ``options.standalone``: a whole document."""
    return render_explain(report, "latex", standalone=options.standalone)


STANDALONE = """\\documentclass{{article}}
\\usepackage[utf8]{{inputenc}}
\\usepackage[T1]{{fontenc}}
\\usepackage{{amsmath}}
\\usepackage[margin=2cm]{{geometry}}
\\allowdisplaybreaks
\\begin{{document}}
{body}\\end{{document}}
"""


def _text(report: Report, markdown: bool) -> str:
    h1, h2, code = ("# ", "### ", "`") if markdown else ("", "", "")
    pad = "    " if markdown else "  "  # Markdown: every worked line in one code block, none merged into prose
    fw = "PyTorch" if report.framework == "pytorch" else "Keras"
    out = [f"{h1}{report.model_name} ({fw}): how the numbers come about", ""]
    out.append(_inputs_text(report))
    out.append("")
    formulas = general_formulas(report)
    if formulas:
        out.append(f"{h2}Formulas")
        out.extend(f"- {kind}: Params = {code}{text}{code}" for kind, text in formulas)
        out.append("")
    for index, row in enumerate(_shown(report), 1):
        where = f", line {row.location.line}" if row.location else ""
        out.append(f"{h2}Layer {index}: {row_label(row)}{where}")
        if row.formula is not None:
            steps = [row.formula.symbols()] + row.formula.steps()
            steps = [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]
            block = ["Params = " + steps[0]] + ["       = " + s for s in steps[1:]]
            out.extend(pad + b for b in block)
        else:
            out.append(pad + "Params = 0 (no weights)")
        remark = _remark(row, report.forward)
        if remark:
            out.append(pad + remark)
        for axis, formula in _merged_axes(row):
            out.append(pad + f"{axis} = {formula.worked()}")
        if report.forward:
            shape = f"Output = {feature_map(row.output_shape, report.framework, row)}"
            out.append(pad + f"{shape}   {format_shape(row.output_shape, report.framework)}")
        out.append("")
    out.extend(_total_text(report, h2, pad))
    for note in report.notes:
        out.append(f"- Note: {note}" if markdown else f"Note: {note}")  # Markdown: a list, not one paragraph
    return "\n".join(out).rstrip() + "\n"


def _remark(row: Row, forward: bool = True) -> str:
    """What sets the row apart from a layer the forward pass calls."""
    if not is_layer(row):
        return f"(its own weights: {format_count(row.own_params)} of its {format_count(row.params)}; the layers " \
               "inside it are listed apart)"
    if not row.called and forward:
        return "(never called in forward: its parameters count, it computes nothing)"
    return ""


def _buffers_text(report: Report) -> str:
    """Which rows hold the buffers: ``pe of pos (PositionalEncoding)``, ``running_mean, running_var,
    num_batches_tracked of 20 BatchNorm2d layers``."""
    groups: dict[tuple, list[Row]] = {}
    for row in report.layers:
        if row.own_buffers and not row.shared:
            groups.setdefault((row.type, tuple(name for name, _ in row.own_buffers)), []).append(row)
    parts = []
    for (kind, names), rows in groups.items():
        held = " of " + (row_label(rows[0]) if len(rows) == 1 else f"{len(rows)} {kind} layers")
        parts.append(", ".join(names) + held)
    return "; ".join(parts)


def _term_name(row: Row) -> str:
    """A row's name as a term of the total: ``conv1``, or ``0 (Linear)`` for a bare index."""
    return row.name if row.name and not row.name.isdigit() else row_label(row)


def _total_text(report: Report, h2: str, pad: str) -> list[str]:
    counted = _counted(report)
    lines = [f"{h2}Total"]
    if counted:
        counts = [count for _, count in counted]
        lines.append(f"{pad}Total params = " + _joined([name for name, _ in counted], counts))
        if len(counted) > 1:
            lines.append(f"{pad}             = " + _joined([format_count(abs(c)) for c in counts], counts))
    lines.append(f"{pad}             = {format_count(report.total_params)}")
    if report.non_trainable_params:
        lines.append(f"{pad}of which trainable {format_count(report.trainable_params)}, "
                     f"non-trainable {format_count(report.non_trainable_params)}")
    if report.buffers:
        held = _buffers_text(report)
        lines.append(f"{pad}plus {format_count(report.buffers)} buffer values, not parameters" + (f": {held}" if held else ""))
    lines.append("")
    return lines


def _inputs_text(report: Report) -> str:
    """``Input: 32 × 32 × 3 (H × W × C), (None, 32, 32, 3)``; every input of a model with several."""
    if not report.forward:
        return "Input: none (--params-only: forward is not run)"
    shown = [f"{feature_map(shape, report.framework)}, {format_shape(shape, report.framework)}"
             for shape in report.input_shapes or (None,)]
    if len(shown) == 1:
        return f"Input: {shown[0]}"
    return "Inputs: " + "; ".join(f"{i}. {text}" for i, text in enumerate(shown, 1))


def _latex(report: Report) -> str:
    fw = "PyTorch" if report.framework == "pytorch" else "Keras"
    out = [f"\\section*{{{_latex_text(report.model_name)} ({fw})}}", "", _latex_text(_inputs_text(report)), ""]
    for kind, symbols in general_formulas(report):  # every form of it, from a layer called or not
        row = next(r for r in report.layers if is_layer(r) and r.type == kind and r.formula is not None
                   and r.formula.symbols() == symbols)
        out.append(f"\\paragraph{{{_latex_text(kind)}}} $\\text{{Params}} = {row.formula.latex()}$")
    out.append("")
    for index, row in enumerate(_shown(report), 1):
        out.append(f"\\subsection*{{Layer {index}: {_latex_text(row_label(row))}}}")
        if row.formula is not None:
            steps = row.formula.latex_worked()
            body = " \\\\ ".join(("\\text{Params} &= " if i == 0 else "&= ") + s for i, s in enumerate(steps))
            out.append(f"$$\\begin{{aligned}}{body}\\end{{aligned}}$$")
        for axis, formula in _merged_axes(row):
            names = " = ".join(latex_name(name) for name in axis.split(" = "))
            out.append(f"$${names} = " + " = ".join(formula.latex_worked()) + "$$")
        if report.forward:
            fm = feature_map(row.output_shape, report.framework, row).split(" (")[0].replace("×", "\\times").replace(",", "{,}")
            out.append(f"Output shape $${fm}$$")
        out.append("")
    out.append(f"$${total_latex(report)}$$")
    out.extend(f"\\paragraph{{Note}} {_latex_text(note)}" for note in report.notes)
    return "\n".join(out) + "\n"


def _latex_text(text: str) -> str:
    """Plain text (a note, a name) for LaTeX: special characters escaped, ``code`` in typewriter, mathematical
    signs as maths, any other character beyond Latin-1 as ``?`` (pdflatex has no glyph for it)."""
    text = re.sub(r"[\\{}$^~&%#_]|--|[^\x00-\xff]", lambda m: _LATEX_TEXT.get(m.group(), "?"), text)
    return re.sub(r"`([^`]*)`", r"\\texttt{\1}", text)


_LATEX_TEXT = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "^": r"\^{}", "~": r"\~{}",
               "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "--": "-{}-", "×": r"$\times$", "−": "-",
               "≈": r"$\approx$", "≥": r"$\geq$", "≤": r"$\leq$", "≠": r"$\neq$", "→": r"$\to$", "·": r"$\cdot$",
               "…": r"\ldots{}", "—": "---", "–": "--", "‘": "`", "’": "'", "“": "``", "”": "''", "⌊": r"$\lfloor$",
               "⌋": r"$\rfloor$", "⌈": r"$\lceil$", "⌉": r"$\rceil$", "²": r"$^2$", "ᵀ": r"$^T$"}


def total_latex(report: Report) -> str:
    """The total as the sum of the layers, an ``aligned`` block: names, then counts, then the total (tied
    weights subtracted, weights of modules with children included: the terms of :func:`_counted`)."""
    counted = _counted(report)
    counts = [count for _, count in counted]
    terms = _joined([f"{abs(c):,}".replace(",", "{,}") for c in counts], counts, " - ") or "0"
    names = _joined([f"\\text{{{_latex_text(name)}}}" for name, _ in counted], counts, " - ") or "0"
    total = f"{report.total_params:,}".replace(",", "{,}")
    return f"\\begin{{aligned}}\\text{{Total Params}} &= {names} \\\\ &= {terms} \\\\ &= {total}\\end{{aligned}}"
