"""An HTML summary table, for Jupyter (``Report._repr_html_``) and web pages: one self-contained fragment,
no scripts, every text escaped."""

from __future__ import annotations

from html import escape

from nncalc.render import COLUMNS, DEFAULT_COLUMNS, general_formulas, total_lines, visible_rows

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nncalc.render import RenderOptions
    from nncalc.report import Report

_STYLE = (
    "<style>"
    ".nncalc-report table{border-collapse:collapse;font-size:13px}"
    ".nncalc-report th,.nncalc-report td{padding:2px 10px;vertical-align:top;"
    "border-bottom:1px solid rgba(128,128,128,.25)}"
    ".nncalc-report td.num,.nncalc-report th.num{font-variant-numeric:tabular-nums}"
    ".nncalc-report code{white-space:pre-wrap;background:none}"
    ".nncalc-report tr.unsupported td{color:#c0392b}"
    ".nncalc-report tr.uncalled td{opacity:.6}"
    ".nncalc-report ul{margin:6px 0;padding-left:18px}"
    "</style>"
)


# Alignment is inline on every cell: front ends restyle tables (JupyterLab's ``.jp-RenderedHTMLCommon td``
# right-aligns every cell) and drop <style> from untrusted notebooks; an inline style beats both.
_LEFT, _RIGHT = ' style="text-align:left"', ' class="num" style="text-align:right"'


def render_html(report: Report, depth: int | None = None, fold: bool = False, columns=DEFAULT_COLUMNS) -> str:
    """The summary as an HTML fragment: the layer table (indented by depth; a formula's symbols on hover),
    the per-type formulas, the totals and the notes."""
    framework = "PyTorch" if report.framework == "pytorch" else "Keras"
    out = [_STYLE, '<div class="nncalc-report">',
           f"<p><b>Model: {escape(report.model_name)}</b> ({framework})</p>", "<table>", "<thead><tr>",
           f"<th{_LEFT}>Layer (type)</th>"]
    for name in columns:
        title, right, _ = COLUMNS[name]
        out.append(f"<th{_RIGHT if right else _LEFT}>{escape(title)}</th>")
    out.append("</tr></thead><tbody>")
    for item in visible_rows(report, depth, fold):
        row = item.row
        out.append("<tr>" if row.called else '<tr class="uncalled">')
        indent = max(row.depth - 1, 0) * 1.2
        out.append(f'<td style="text-align:left;padding-left:{indent + 0.6:.1f}em">{escape(item.label)}</td>')
        for name in columns:
            _, right, cell = COLUMNS[name]
            text = cell(item, report.framework)
            if name == "formula" and text:
                hint = row.formula.symbols() if row.formula is not None and item.count == 1 else ""
                title = f' title="{escape(hint)}"' if hint else ""
                out.append(f"<td{_LEFT}><code{title}>{escape(text)}</code></td>")
            else:
                out.append(f"<td{_RIGHT if right else _LEFT}>{escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    formulas = general_formulas(report)
    if formulas:
        out.append("<ul>")
        out.extend(f"<li>{escape(kind)}: params = <code>{escape(symbols)}</code></li>" for kind, symbols in formulas)
        out.append("</ul>")
    out.append("<ul>")
    out.extend(f"<li>{escape(label)}: <b>{escape(value)}</b></li>" for label, value in total_lines(report))
    out.extend(f"<li><i>Note: {escape(note)}</i></li>" for note in report.notes)
    out.append("</ul></div>")
    return "\n".join(out)


def render(report: Report, options: RenderOptions) -> str:
    """The ``html`` format: :func:`render_html` with the options' depth, fold and columns, ending in a newline."""
    return render_html(report, options.depth, options.fold, options.columns) + "\n"
