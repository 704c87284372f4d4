"""The notebook display: ``Report._repr_html_`` holds every layer row (to the display depth), the formulas and
the totals, escaped; ``_repr_markdown_`` stays for front ends without HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import nncalc
from nncalc.render import format_count
from nncalc.render.html import render_html

TORCH_FILE = '''
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3)
        self.stage = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        return self.head(self.stage(self.stem(x)).mean((2, 3)))
'''


class _Cells(HTMLParser):
    """The text of each table row's cells, and every list item, from an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.items: list[str] = []
        self._cell: list[str] | None = None
        self._item: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "li":
            self._item = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "li" and self._item is not None:
            self.items.append("".join(self._item).strip())
            self._item = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._item is not None:
            self._item.append(data)


def parse(html: str) -> _Cells:
    parser = _Cells()
    parser.feed(html)
    return parser


def test_html_holds_every_row_and_the_totals():
    report = nncalc.analyze(TORCH_FILE, input_shape=(3, 12, 12))
    cells = parse(report._repr_html_())
    header, body = cells.rows[0], cells.rows[1:]
    assert header == ["Layer (type)", "Output shape", "Param #", "Formula"]
    assert len(body) == len(report.layers)
    for row, shown in zip(report.layers, body):
        assert shown[0] == f"{row.name} ({row.type})"
        assert shown[2] == format_count(row.params)
        assert shown[3] == (row.formula.numbers() if row.formula is not None else "")
    assert f"Total params: {format_count(report.total_params)}" in " ".join(cells.items)
    assert f"Trainable params: {format_count(report.trainable_params)}" in cells.items
    assert any(item.startswith("Conv2d: params = (k_h × k_w × C_in + 1) × filters") for item in cells.items)
    assert 'title="(k_h × k_w × C_in + 1) × filters"' in report._repr_html_()


def test_html_escapes_and_keeps_markdown():
    import dataclasses

    report = nncalc.analyze(TORCH_FILE, input_shape=(3, 12, 12))
    odd = dataclasses.replace(report, model_name="<script>alert(1)</script>", notes=("a < b & c",))
    html = odd._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "a &lt; b &amp; c" in html
    assert report._repr_markdown_().startswith("**Net** (pytorch)")


def test_html_of_a_live_model_follows_depth_and_columns():
    import pytest

    torch = pytest.importorskip("torch")
    model = torch.nn.Sequential(torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.ReLU()), torch.nn.Linear(5, 2))
    full = nncalc.summary(model, input_size=(1, 4), verbose=0, depth=5, col_names=["output_size", "num_params",
                                                                                    "mult_adds"])
    cells = parse(full._repr_html_())
    assert cells.rows[0] == ["Layer (type)", "Output shape", "Param #", "MACs", "Formula"]
    assert [row[0] for row in cells.rows[1:]] == ["0 (Sequential)", "0.0 (Linear)", "0.1 (ReLU)", "1 (Linear)"]
    top = parse(nncalc.summary(model, input_size=(1, 4), verbose=0, depth=1)._repr_html_())
    assert [row[0] for row in top.rows[1:]] == ["0 (Sequential)", "1 (Linear)"]
    assert top.rows[1][2] == "25"  # the container's subtotal


class _Alignments(HTMLParser):
    """Each cell's inline ``text-align``, row by row."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            style = dict(attrs).get("style") or ""
            found = [part.split(":")[1].strip() for part in style.split(";") if part.strip().startswith("text-align")]
            self.rows[-1].append(found[0] if found else None)


def test_every_cell_aligns_itself_inline():
    """JupyterLab's stylesheet right-aligns every table cell (``.jp-RenderedHTMLCommon td {text-align:
    right}``) and untrusted notebooks lose <style>: each cell carries its alignment in its own style attribute,
    which outranks any stylesheet rule. Names, shapes and formulas left; numbers right."""
    report = nncalc.analyze(TORCH_FILE, input_shape=(3, 12, 12))
    parser = _Alignments()
    parser.feed(render_html(report, columns=("output_shape", "params", "formula", "macs")))
    assert len(parser.rows) == len(report.layers) + 1
    assert all(row == ["left", "left", "right", "left", "right"] for row in parser.rows), parser.rows
