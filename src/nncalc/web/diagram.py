"""The network as an SVG picture: one box per layer call, top to bottom, sized by its output tensor.

A box's width grows with the spatial size of its output (its positions: H × W, or the sequence length) and
its height with the channels (features), both on a log scale, so a 32 × 32 × 3 image, a 30 × 30 × 8 feature
map and a 10-way output look different at a glance.

Arrows follow the tensors: the traced graph records, for each input of a call, the calls that produced it
(through functional ops too: ``x + identity`` in a PyTorch ``forward`` has two sources). An arrow from the
box just above is straight; any other (a skip connection, a concatenation, a branch) is a dashed curve on
the right. Where the framework could not follow a tensor, the arrow comes from the box above. PyTorch's
functional ops (``+``, ``torch.cat``) are not layers and draw no box: their inputs point at the next layer.
"""

from __future__ import annotations

import math
from html import escape

from nncalc.graph import Call, Graph
from nncalc.render import format_shape, format_shapes
from nncalc.report import Report, Row

TOP = 16
GAP = 26
CENTER = 200
MIN_W, MAX_W = 150, 380
MIN_H, MAX_H = 34, 64
CHAR_WIDTH = 6.6
"""About the width of one character of a box's label (12 px sans-serif)."""


def _channels_and_positions(shape, framework: str) -> tuple[int, int]:
    dims = [1 if d is None else d for d in (shape or ())[1:]]
    if not dims:
        return 1, 1
    if len(dims) == 1:
        return dims[0], 1
    channels = dims[0] if framework == "pytorch" else dims[-1]
    spatial = dims[1:] if framework == "pytorch" else dims[:-1]
    return channels, math.prod(spatial)


def _size(shape, framework: str) -> tuple[float, float]:
    channels, positions = _channels_and_positions(shape, framework)
    width = MIN_W + min(math.log2(positions + 1) / 20, 1) * (MAX_W - MIN_W)
    height = MIN_H + min(math.log2(channels + 1) / 14, 1) * (MAX_H - MIN_H)
    return round(width, 1), round(height, 1)


def _boxes(report: Report) -> list[int]:
    """Indices (in ``report.layers``) of the rows drawn: every call of a leaf layer."""
    return [i for i, row in enumerate(report.layers) if row.is_leaf and row.called]


def _edges(report: Report, graph: Graph | None, boxes: list[int]) -> set[tuple[int, int]]:
    """(source, target) box numbers, -1 the input. A call whose input's source is unknown (or every call,
    without a graph) takes the box before it."""
    calls = [call for call in graph.calls if call.node is not graph.root] if graph is not None else []
    if len(calls) < len(boxes) or any(calls[i].node.name != report.layers[i].name for i in boxes):
        calls = []  # not the graph of this report: draw the call order
    box_calls = [calls[i] for i in boxes] if calls else []
    edges: set[tuple[int, int]] = set()
    for k in range(len(boxes)):
        found = set()
        for producers in (box_calls[k].sources if box_calls else None) or [None]:
            if producers is None:
                found.add(k - 1)
            elif not producers:
                found.add(-1)
            found.update(_box_of(producer, box_calls, k) for producer in producers or ())
        edges.update((source, k) for source in found if source < k)
    return edges


def _box_of(call: Call, box_calls: list[Call], before: int) -> int:
    """The box of a call; for a container's call, the last box inside it before box ``before``."""
    for k in range(before - 1, -1, -1):
        inner = box_calls[k]
        while inner is not None and inner is not call:
            inner = inner.parent
        if inner is call:
            return k
    return before - 1


def render_svg(report: Report, graph: Graph | None = None) -> str:
    """The diagram as a standalone SVG document (it also embeds in an HTML page as is). With the report's
    ``graph`` (:func:`nncalc.analysis.trace`) the arrows follow the tensors; without it, the call order."""
    boxes = _boxes(report)
    fw = report.framework
    parts: list[str] = []
    places: list[tuple[float, float, float]] = []  # (top, bottom, half width) per box, the input first
    y = TOP
    entries = [("Input", format_shapes(report.input_shapes, fw), report.input_shape, "input", None)]
    entries += [(_label(report.layers[i]), format_shape(report.layers[i].output_shape, fw),
                 report.layers[i].output_shape, "layer", i) for i in boxes]
    for label, shape_text, shape, kind, index in entries:
        width, height = _size(shape, fw)
        width = min(max(width, CHAR_WIDTH * len(label) + 16), MAX_W)  # the label fits, up to the widest box
        row = report.layers[index] if index is not None else None
        data = f' data-row="{index}"' if row is not None else ""
        data += f' data-line="{row.location.line}"' if row is not None and row.location else ""
        parts.append(
            f'<g class="box {kind}"{data}>'
            f'<rect x="{CENTER - width / 2}" y="{y}" width="{width}" height="{height}" rx="6"/>'
            f'<text x="{CENTER}" y="{y + height / 2 - 3}" class="name">{escape(label)}</text>'
            f'<text x="{CENTER}" y="{y + height / 2 + 12}" class="shape">{escape(shape_text)}</text></g>'
        )
        places.append((y, y + height, width / 2))
        y += height + GAP
    for source, target in sorted(_edges(report, graph, boxes)):
        (top, bottom, half), (t_top, t_bottom, t_half) = places[source + 1], places[target + 1]
        if source == target - 1:
            parts.append(_arrow(CENTER, bottom, CENTER, t_top - 2))
        else:
            parts.append(_skip(CENTER + half, (top + bottom) / 2, CENTER + t_half, (t_top + t_bottom) / 2,
                               (source, target)))
    height = y - GAP + TOP
    width = 2 * CENTER + 120
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="nncalc-diagram" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(report.model_name)} diagram">'
        f"<style>{_STYLE}</style>"
        '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>'
        + "".join(parts)
        + "</svg>"
    )


def _label(row: Row) -> str:
    return f"{row.name} ({row.type})" if row.name else row.type


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line class="arrow flow" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" marker-end="url(#arrowhead)"/>'


def _skip(x1: float, y1: float, x2: float, y2: float, boxes: tuple[int, int]) -> str:
    """A dashed curve on the right from box ``boxes[0]`` to box ``boxes[1]`` (-1: the input)."""
    bulge = max(x1, x2) + min(24 + 10 * (boxes[1] - boxes[0]), 110)
    return (
        f'<path class="arrow skip" data-from="{boxes[0]}" data-to="{boxes[1]}" '
        f'd="M{x1},{y1} C{bulge},{y1} {bulge},{y2} {x2 + 2},{y2}" fill="none" '
        'marker-end="url(#arrowhead)"/>'
    )


_STYLE = (
    ".box rect{fill:#eef4ff;stroke:#3d6bd6;stroke-width:1.5}"
    ".box.input rect{fill:#f3f3f3;stroke:#777}"
    ".box.selected rect{fill:#ffe9a8;stroke:#c58a00}"
    "text{font:12px system-ui,sans-serif;text-anchor:middle;fill:#222}"
    "text.shape{font:11px ui-monospace,monospace;fill:#444}"
    ".arrow{stroke:#555;stroke-width:1.4}"
    ".arrow.skip{stroke:#c0392b;stroke-dasharray:5 3}"
)
