"""Renderers: each formats a frozen :class:`~nncalc.report.Report`; none computes.

Every format is one entry of :data:`FORMATS`, a function ``render(report, options) -> str`` that
:func:`render` imports when the format is first asked for: ``table`` (for terminals, fitted to their width and
coloured there), ``plain`` (the same table without colours), ``json``, ``markdown``, ``html`` and
``explain-text``, ``explain-markdown``, ``explain-latex`` (the seed-style worked calculation). Helpers shared by
all of them live here. The report never needs this package to be built; it only uses it to show itself.
"""

from __future__ import annotations

from nncalc.records import dataclass, replace

TYPE_CHECKING = False  # typing costs milliseconds of every start; only type checkers need these
if TYPE_CHECKING:
    from nncalc.report import Report, Row


def format_shape(shape, framework: str) -> str:
    """PyTorch ``[1, 8, 30, 30]``, Keras ``(None, 30, 30, 8)``."""
    if shape is None:
        return "--"
    inner = ", ".join("None" if s is None else str(s) for s in shape)
    if framework == "keras":
        return f"({inner},)" if len(shape) == 1 else f"({inner})"
    return f"[{inner}]"


def format_shapes(shapes, framework: str) -> str:
    """One shape, or several joined (a layer with several outputs)."""
    if not shapes:
        return "--"
    return ", ".join(format_shape(s, framework) for s in shapes)


def format_count(n: int | None) -> str:
    """``404,218``; ``--`` when unknown."""
    return "--" if n is None else f"{n:,}"


def format_bytes(n: int | float | None) -> str:
    """Binary units: ``1.54 MiB``."""
    if n is None:
        return "--"
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.2f} {unit}" if unit != "B" else f"{int(value)} B"
        value /= 1024
    raise AssertionError("unreachable")


def format_si(n: int | None) -> str:
    """Decimal units for counts: ``1.50 M``, ``138.36 M``, ``4.09 G``; small numbers stay exact."""
    if n is None:
        return "--"
    value = float(n)
    for unit in ("", "K", "M", "G", "T", "P"):
        if abs(value) < 1000 or unit == "P":
            return f"{n:,}" if unit == "" else f"{value:.2f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def format_field(field) -> str:
    """A receptive field: ``212, 32, 15.5`` when every spatial axis agrees, else axis by axis
    (``H 7, 2, 0 · W 3, 1, 0``); empty when unknown."""
    if not field:
        return ""
    parts = [(f.size, f.jump, f"{f.start:g}") for f in field]
    if len(set(parts)) == 1:
        return "{}, {}, {}".format(*parts[0])
    return " · ".join(f"{f.axis} {size}, {jump}, {start}" for f, (size, jump, start) in zip(field, parts))


def row_label(row: Row) -> str:
    """``conv1 (Conv2d)``; the type alone when the layer has no name."""
    return f"{row.name} ({row.type})" if row.name else row.type


def row_params(row: Row) -> str:
    """The row's parameter count, or why there is none."""
    if row.shared:
        return "(shared)"
    return format_count(row.params)


def total_lines(report: Report) -> list[tuple[str, str]]:
    """The totals every renderer shows, as (label, value)."""
    lines = [
        ("Total params", f"{format_count(report.total_params)}" + (
            f" ({format_si(report.total_params)})" if report.total_params >= 10_000 else "")),
        ("Trainable params", format_count(report.trainable_params)),
        ("Non-trainable params", format_count(report.non_trainable_params)),
    ]
    if report.model_own_params:
        lines.append((f"of which {report.model_name}'s own (not in a layer)", format_count(report.model_own_params)))
    if report.buffers:
        lines.append(("Buffers (not parameters)", format_count(report.buffers)))
    memory = report.memory
    lines.append((f"Params size ({memory.precision})", format_bytes(report.param_bytes)))
    step = " per step" if report.per_step else ""  # a length of None: see report.PER_STEP_NOTE
    if report.total_macs is not None:
        lines.append(("MACs", f"{format_si(report.total_macs)} ({format_count(report.total_macs)}){step}"))
        lines.append(("FLOPs (2 × MACs)", format_si(report.total_flops) + step))
    if not any(row.called for row in report.layers):  # no forward pass: no activations to speak of
        return lines
    batch = report.input_shape[0] if report.input_shape else None
    per = ("per sample" if batch is None else f"batch {batch}" if report.batched else "unbatched") + (
        ", per step" if step else "")
    lines.append((f"Activations ({per})", format_bytes(memory.activations)))
    lines.append(("Inference memory", f"≈ {format_bytes(memory.inference)} (weights + the largest layer's inputs and "
                                      f"outputs{', per step' if step else ''})"))
    optimizer = {"sgd": "SGD", "momentum": "SGD+momentum", "adam": "Adam", "adamw": "AdamW"}[memory.optimizer]
    mixed = ", mixed precision" if memory.mixed_precision else ""
    lines.append((
        f"Training memory ({optimizer}{mixed})",
        f"≈ {format_bytes(memory.training)} = weights {format_bytes(memory.parameters)} + gradients "
        f"{format_bytes(memory.gradients)} + optimizer {format_bytes(memory.optimizer_state)}"
        + (f" + fp32 master {format_bytes(memory.master_weights)}" if memory.mixed_precision else "")
        + f" + activations {format_bytes(memory.activations)}{step}",
    ))
    return lines


def general_formulas(report: Report) -> list[tuple[str, str]]:
    """Each layer type's parameter formula in symbols, once: ``("Conv2d", "(k_h × k_w × C_in + 1) × filters")``.

    Types whose layers differ in form (with and without bias) list each form.
    """
    seen: dict[tuple[str, str], None] = {}
    for row in report.layers:
        if row.formula is not None and is_layer(row):
            seen.setdefault((row.type, row.formula.symbols()), None)
    return list(seen)


def is_layer(row: Row) -> bool:
    """Is the row a layer in its own right, explained by its formula? A leaf, or a module whose formula
    counts its children (a MultiheadAttention); not a part of such a module (its out_proj)."""
    return (row.is_leaf or row.whole) and not row.part


class Shown:
    """A row as a table shows it: possibly several identical consecutive blocks folded into one (``× 3``)."""

    __slots__ = ("row", "count", "last_name")

    def __init__(self, row: Row, count: int = 1, last_name: str = ""):
        self.row, self.count, self.last_name = row, count, last_name

    @property
    def macs(self) -> int | None:
        """MACs of the row's call with everything called inside it (a container's subtotal), × the fold."""
        return None if self.row.macs is None else self.row.macs * self.count

    @property
    def flops(self) -> int | None:
        return None if self.macs is None else 2 * self.macs

    @property
    def label(self) -> str:
        row = self.row
        if self.count == 1:
            return row_label(row)
        return f"{row.name}–{self.last_name} ({row.type}) × {self.count}"

    @property
    def params(self) -> str:
        if self.count == 1 or self.row.shared:
            return row_params(self.row)
        return format_count(self.row.params * self.count)

    @property
    def formula(self) -> str:
        row = self.row
        if self.count > 1:
            return f"{self.count} × {format_count(row.params)}" if row.params else ""
        return row.formula.numbers() if row.formula is not None and not row.shared else ""


def visible_rows(report: Report, depth: int | None = None, fold: bool = False) -> list[Shown]:
    """The rows down to ``depth`` (containers above it show their subtotals); with ``fold``, consecutive
    sibling blocks that are identical (type, parameters, shapes, and the same inside) become one row."""
    rows = [r for r in report.layers if depth is None or r.depth <= depth]
    ends = _block_ends(rows)
    shown: list[Shown] = []
    i = 0
    while i < len(rows):
        row, end = rows[i], ends[i]
        item = Shown(row, 1, row.name)
        if fold and row.name:
            signature = _signature(rows, i, end)
            while end < len(rows) and rows[end].depth == row.depth and _signature(rows, end, ends[end]) == signature:
                item.count += 1
                item.last_name = rows[end].name
                end = ends[end]
        shown.append(item)
        if item.count > 1:
            shown.extend(Shown(r, 1, r.name) for r in rows[i + 1 : ends[i]])
            i = end
        else:
            i += 1
    return shown


def _block_ends(rows: list[Row]) -> list[int]:
    """For each row, the index after its last descendant."""
    ends = [len(rows)] * len(rows)
    stack: list[int] = []
    for i, row in enumerate(rows):
        while stack and rows[stack[-1]].depth >= row.depth:
            ends[stack.pop()] = i
        stack.append(i)
    return ends


def _signature(rows: list[Row], start: int, end: int) -> tuple:
    base = rows[start].depth
    return tuple((r.depth - base, r.type, r.params, r.output_shapes, r.shared) for r in rows[start:end])


# name → (title, right-aligned, cell text of a shown row)
COLUMNS = {
    "input_shape": ("Input shape", False, lambda item, fw: format_shapes(item.row.input_shapes, fw)),
    "output_shape": ("Output shape", False, lambda item, fw: format_shapes(item.row.output_shapes, fw)),
    "params": ("Param #", True, lambda item, fw: item.params),
    "trainable": ("Trainable", True, lambda item, fw: format_count(item.row.trainable_params * item.count)),
    "formula": ("Formula", False, lambda item, fw: item.formula),
    "macs": ("MACs", True, lambda item, fw: format_si(item.macs)),
    "flops": ("FLOPs", True, lambda item, fw: format_si(item.flops)),
    "activations": ("Activations", True, lambda item, fw: format_count(item.row.activation_values)),
    "rf": ("RF (size, jump, start)", False, lambda item, fw: format_field(item.row.receptive_field)),
}
DEFAULT_COLUMNS = ("output_shape", "params", "formula")
FORWARD_COLUMNS = frozenset({"input_shape", "output_shape", "macs", "flops", "activations", "rf"})
"""The columns only a forward pass can fill: left out of a ``--params-only`` report."""


@dataclass(frozen=True)
class RenderOptions:
    """How to show a report; each format reads the options it has a use for.

    ``depth``, ``fold``, ``columns``: which rows and columns the tables show (table, plain, markdown, html).
    ``width``: the table's width in columns (table: default the stream's, plain: :data:`PIPED_WIDTH
    <nncalc.render.plain_table.PIPED_WIDTH>`). ``stream``: where the text will be written (table: a terminal
    gets its width and colours). ``standalone``: explain-latex as a whole document that pdflatex compiles.
    """

    depth: int | None = None
    fold: bool = False
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    width: int | None = None
    stream: object = None
    standalone: bool = False


FORMATS: dict[str, tuple[str, str]] = {
    "table": ("nncalc.render.table", "render"),
    "plain": ("nncalc.render.table", "render_plain"),
    "json": ("nncalc.render.json", "render"),
    "markdown": ("nncalc.render.markdown", "render"),
    "html": ("nncalc.render.html", "render"),
    "explain-text": ("nncalc.render.explain", "render_text"),
    "explain-markdown": ("nncalc.render.explain", "render_markdown"),
    "explain-latex": ("nncalc.render.explain", "render_latex"),
}
"""Format name → (module, function): the function is ``render(report, options) -> str``, the whole text of
the format ending in a newline. A module is imported only when its format is used."""


def render(report: Report, fmt: str, options: RenderOptions | None = None) -> str:
    """The report in format ``fmt`` (a key of :data:`FORMATS`), shown as ``options`` say."""
    import importlib

    module, function = FORMATS[fmt]
    options = options or RenderOptions()
    if not report.forward:  # --params-only: the columns a forward pass fills are not shown
        kept = tuple(c for c in options.columns if c not in FORWARD_COLUMNS)
        options = replace(options, columns=kept or ("params",))
    return getattr(importlib.import_module(module), function)(report, options)


def parse_columns(text: str | None) -> tuple[str, ...]:
    """``"params,macs"`` → the column names, checked; None → the default columns."""
    if not text:
        return DEFAULT_COLUMNS
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        from nncalc.errors import InputError

        raise InputError(f"unknown column {unknown[0]!r}; choose from: {', '.join(COLUMNS)}")
    return names
