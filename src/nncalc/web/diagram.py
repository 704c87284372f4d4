"""The network as an SVG picture: blocks drawn closed (a ResNet stage is one box, ``3 × Bottleneck``), opened
on request, with the tensors' paths as arrows.

One box per layer call, or per closed block (a module with children: every call made inside it is in its
box). A block that is open is a dashed frame around its calls. Consecutive identical blocks (GPT-2's twelve
``Block``s, a stage's repeated bottlenecks) are one box ``× 12``; opened, the frame shows the inside of the
first of them once. A module list or dict that is never called itself (``nn.ModuleList``) draws nothing of
its own: its blocks stand in its place.

A box's width grows with the spatial size of its output (H × W, or the sequence length) and its height with
the channels, both on a log scale. Arrows follow :attr:`Report.edges`: straight from the box just above, a
dashed line on the right from any other box (a skip connection, a branch, a concatenation), each in a lane
of its own. A box whose inputs the trace did not follow gets its arrow from the box above.
"""

from __future__ import annotations

import math
from html import escape

from nncalc.render import format_shape, format_shapes
from nncalc.report import Report, Row
from nncalc.web.tree import children, parents

TOP = 12
GAP = 22
MIN_W, MAX_W = 150, 330
MIN_H, MAX_H = 34, 60
DETAIL_H = 13
"""Extra height of a closed block's box: its line ``3 × Bottleneck``."""
FRAME_PAD = 12
FRAME_LABEL = 24
LANE = 12
MAX_LANES = 12
CHAR_WIDTH = 6.6
"""About the width of one character of a box's label (12 px sans-serif)."""
CLOSED_BOXES = 12
"""The default drawing opens blocks, level by level, while it stays within this many boxes…"""
FEW_BOXES, MAX_OPENED = 3, 40
"""…or while it has no more than FEW_BOXES (a model that is one ``features`` block) and stays within
MAX_OPENED."""


class Box:
    """A drawn box: a layer call, a closed block, or a run of identical blocks (``rows`` its first rows)."""

    __slots__ = ("rows", "kind", "key", "label", "detail", "shape", "top", "bottom", "half")

    def __init__(self, rows: list[int], kind: str, key: str, label: str, detail: str, shape):
        self.rows, self.kind, self.key, self.label, self.detail, self.shape = rows, kind, key, label, detail, shape
        self.top = self.bottom = self.half = 0.0


class Frame:
    """An open block: a dashed frame around the boxes of its first call (or of the first of a run)."""

    __slots__ = ("row", "key", "label", "level", "last", "top", "bottom")

    def __init__(self, row: int, key: str, label: str, level: int):
        self.row, self.key, self.label, self.level = row, key, label, level
        self.last = -1  # the number of the last box inside
        self.top = self.bottom = 0.0


class Layout:
    """Which boxes and frames a drawing has, for a set of open blocks, and which box every row is in."""

    def __init__(self, report: Report, kids: dict[int, list[int]], opened: set[str]):
        self.report, self.kids, self.opened = report, kids, opened
        self.rows = report.layers
        self.items: list[Box | Frame | None] = []  # None closes the last open frame
        self.boxes: list[Box] = []
        self.box_of: dict[int, int] = {}  # row → box number (rows inside a closed block: the block's box)
        self.alias: dict[int, int] = {}  # a row of a later block of an open run → the same row of the first
        self.frame_of: dict[int, Frame] = {}
        self.closed_keys: list[str] = []  # closed blocks that could be opened
        self._place(-1, 0, "")

    def _place(self, parent: int, level: int, prefix: str) -> None:
        for group in self._runs(self.kids[parent]):
            first = group[0]
            row = self.rows[first]
            if not row.called:
                if self.kids[first]:  # a ModuleList or ModuleDict: its calls stand in its place
                    self._place(first, level, prefix)
                continue
            name = _short(row, prefix)
            if len(group) > 1:
                name += "–" + _tail(row.name, self.rows[group[-1]].name)
            label = f"{name} ({row.type})" if name else row.type
            key = row.name or f"#{first}"
            if not self.kids[first]:
                self._box(Box([first], "layer", key, label, "", row.output_shape), [first])
            elif key in self.opened:
                frame = Frame(first, key, label + (f" × {len(group)}" if len(group) > 1 else ""), level + 1)
                self.frame_of[first] = frame
                self.items.append(frame)
                for member in group[1:]:
                    self.alias.update(zip(self._subtree(member), self._subtree(first)))
                self._place(first, level + 1, row.name + "." if row.name else prefix)
                frame.last = len(self.boxes) - 1
                self.items.append(None)
            else:
                detail = f"× {len(group)}, identical" if len(group) > 1 else self._contents(first)
                inside = [r for member in group for r in self._subtree(member)]
                self._box(Box(group, "block", key, label, detail, self.rows[group[-1]].output_shape), inside)
                self.closed_keys.append(key)

    def _box(self, box: Box, rows: list[int]) -> None:
        self.items.append(box)
        self.box_of.update((r, len(self.boxes)) for r in rows)
        self.boxes.append(box)

    def _subtree(self, index: int) -> list[int]:
        out, stack = [], [index]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(self.kids[node]))
        return out

    def _called_children(self, index: int) -> list[int]:
        out = []
        for child in self.kids[index]:
            if self.rows[child].called:
                out.append(child)
            elif self.kids[child]:
                out.extend(self._called_children(child))
        return out

    def _contents(self, index: int) -> str:
        """``3 × Bottleneck`` when a block calls blocks of one type, else how many layers it calls."""
        inner = self._called_children(index)
        types = {self.rows[i].type for i in inner}
        if len(types) == 1 and len(inner) > 1:
            return f"{len(inner)} × {types.pop()}"
        calls = sum(1 for r in self._subtree(index)[1:] if self.rows[r].called and not self.kids[r])
        return f"{calls} layer{'s' if calls != 1 else ''}"

    def _runs(self, siblings: list[int]) -> list[list[int]]:
        """Consecutive called blocks that are identical inside (types, parameters, shapes) as one run."""
        runs: list[list[int]] = []
        last = None
        for index in siblings:
            mark = self._signature(index) if self.kids[index] and self.rows[index].called else None
            if runs and mark is not None and mark == last:
                runs[-1].append(index)
            else:
                runs.append([index])
            last = mark
        return runs

    def _signature(self, index: int) -> tuple:
        base = self.rows[index].depth
        return tuple((self.rows[r].depth - base, self.rows[r].type, self.rows[r].params,
                      self.rows[r].output_shapes, self.rows[r].shared) for r in self._subtree(index))

    def source_box(self, row: int) -> int | None:
        """The box a row's output leaves from: its own, its block's, or an open block's last box."""
        row = self.alias.get(row, row)
        if row in self.box_of:
            return self.box_of[row]
        frame = self.frame_of.get(row)
        return frame.last if frame is not None and frame.last >= 0 else None

    def target_box(self, row: int) -> int | None:
        return self.box_of.get(self.alias.get(row, row))

    def edges(self) -> list[tuple[int, int]]:
        """(source, target) box numbers, -1 the input; a box nothing enters takes the box above."""
        found: dict[tuple[int, int], None] = {}
        for producer, consumer in self.report.edges:
            source = -1 if producer == -1 else self.source_box(producer)
            target = self.target_box(consumer)
            if source is not None and target is not None and source < target:
                found[(source, target)] = None
        entered = {target for _, target in found}
        for k in range(len(self.boxes)):
            if k not in entered:
                found[(k - 1, k)] = None
        return sorted(found)


def _short(row: Row, prefix: str) -> str:
    return row.name[len(prefix):] if prefix and row.name.startswith(prefix) else row.name


def _tail(first: str, last: str) -> str:
    """``layer1.1``, ``layer1.2`` → ``2``: the last name without the dotted part both share."""
    a, b = first.split("."), last.split(".")
    common = 0
    while common < min(len(a), len(b)) - 1 and a[common] == b[common]:
        common += 1
    return ".".join(b[common:])


def layout(report: Report, opened: set[str] | None = None) -> Layout:
    """The drawing of ``report`` with the blocks named in ``opened`` open; None: the default, blocks opened
    level by level while the drawing stays small (see :data:`CLOSED_BOXES`)."""
    kids = children(parents(report.layers))
    if opened is not None:
        return Layout(report, kids, set(opened))
    current = Layout(report, kids, set())
    while current.closed_keys:
        wider = Layout(report, kids, current.opened | set(current.closed_keys))
        small = len(wider.boxes) <= CLOSED_BOXES
        if not (small or (len(current.boxes) <= FEW_BOXES and len(wider.boxes) <= MAX_OPENED)):
            break
        current = wider
    return current


def render_svg(report: Report, opened: set[str] | None = None) -> str:
    """The diagram as a standalone SVG document (it also embeds in an HTML page as is)."""
    return svg_of(layout(report, opened))


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


def svg_of(drawing: Layout) -> str:
    """Place the boxes top to bottom, frames around open blocks, then the arrows; the SVG text."""
    report = drawing.report
    fw = report.framework
    depth = max((item.level for item in drawing.items if isinstance(item, Frame)), default=0)
    half_frame = MAX_W / 2 + FRAME_PAD * depth
    center = 14 + half_frame
    input_box = Box([], "input", "", "Input", "", report.input_shape)
    boxes = [input_box] + drawing.boxes
    y = TOP
    frames: list[Frame] = []
    open_frames: list[Frame] = []
    for item in [input_box] + drawing.items:
        if isinstance(item, Frame):
            item.top = y
            y += FRAME_LABEL
            open_frames.append(item)
            frames.append(item)
        elif item is None:
            frame = open_frames.pop()
            frame.bottom = y - GAP + FRAME_PAD
            y = frame.bottom + GAP
        else:
            width, height = _size(item.shape, fw)
            width = min(max(width, CHAR_WIDTH * max(len(item.label), len(item.detail)) + 28), MAX_W)
            item.half = width / 2
            item.top, item.bottom = y, y + height + (DETAIL_H if item.detail else 0)
            y = item.bottom + GAP
    parts = [_frame(f, center, half_frame) for f in frames]
    for number, box in enumerate(boxes, -1):
        parts.append(_box(box, number, center, report))
    labels = [_frame_label(f, center, half_frame) for f in frames]  # drawn last, over the arrows
    lanes_x = center + half_frame + 10
    skip_edges, lane_count = _lanes([e for e in drawing.edges() if e[1] != e[0] + 1])
    for source, target in drawing.edges():
        a, b = boxes[source + 1], boxes[target + 1]
        if target == source + 1:
            parts.append(f'<line class="arrow flow" x1="{center}" y1="{a.bottom}" x2="{center}" y2="{b.top - 2}" '
                         'marker-end="url(#arrowhead)"/>')
        else:
            x = lanes_x + LANE * skip_edges[(source, target)]
            parts.append(_skip(center + a.half, a.bottom - 8, x, center + b.half, b.top + 10, (source, target)))
    width = lanes_x + LANE * lane_count + 12
    height = y - GAP + TOP
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="nncalc-diagram" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" aria-label="{escape(report.model_name)} diagram" '
        f'data-open="{escape(" ".join(sorted(drawing.opened)))}">'
        f"<style>{_STYLE}</style>"
        '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>'
        + "".join(parts + labels)
        + "</svg>"
    )


def _lanes(edges: list[tuple[int, int]]) -> tuple[dict[tuple[int, int], int], int]:
    """A lane per skip arrow, shortest first, so that arrows spanning the same boxes never share one."""
    taken: list[list[tuple[int, int]]] = []
    lane_of: dict[tuple[int, int], int] = {}
    for source, target in sorted(edges, key=lambda e: (e[1] - e[0], e[0])):
        for lane, spans in enumerate(taken):
            if all(target <= a or source >= b for a, b in spans):
                break
        else:
            lane = min(len(taken), MAX_LANES - 1)
            if lane == len(taken):
                taken.append([])
        taken[lane].append((source, target))
        lane_of[(source, target)] = lane
    return lane_of, len(taken)


def _frame_x(frame: Frame, center: float, half_frame: float) -> tuple[float, float]:
    half = half_frame - FRAME_PAD * (frame.level - 1) - 4
    return center - half, 2 * half


def _frame(frame: Frame, center: float, half_frame: float) -> str:
    x, width = _frame_x(frame, center, half_frame)
    return (f'<rect class="frame" data-row="{frame.row}" data-key="{escape(frame.key)}" x="{x:g}" y="{frame.top:g}" '
            f'width="{width:g}" height="{frame.bottom - frame.top:g}" rx="8"/>')


def _frame_label(frame: Frame, center: float, half_frame: float) -> str:
    """The open block's name and its − button, over the arrows that cross the frame's top."""
    x, _ = _frame_x(frame, center, half_frame)
    return (
        f'<g class="toggle" role="button" data-key="{escape(frame.key)}" aria-label="close {escape(frame.key)}">'
        f'<circle class="hit" cx="{x + 12:g}" cy="{frame.top + 11:g}" r="13"/>'
        f'<circle cx="{x + 12:g}" cy="{frame.top + 11:g}" r="7"/>'
        f'<text x="{x + 12:g}" y="{frame.top + 15:g}">−</text></g>'
        f'<text class="frame-label" x="{x + 24:g}" y="{frame.top + 15:g}">{escape(frame.label)}</text>'
    )


def _box(box: Box, number: int, center: float, report: Report) -> str:
    fw = report.framework
    shape = format_shapes(report.input_shapes, fw) if box.kind == "input" else format_shape(box.shape, fw)
    row = report.layers[box.rows[0]] if box.rows else None
    data = f' data-box="{number}"' + (f' data-row="{box.rows[0]}"' if row is not None else "")
    data += f' data-line="{row.location.line}"' if row is not None and row.location else ""
    data += f' data-key="{escape(box.key)}"' if box.kind == "block" else ""
    x, height = center - box.half, box.bottom - box.top
    parts = [f'<g class="box {box.kind}"{data}>']
    if box.kind == "block":
        for shift in (6, 3):  # a stack of cards: there is more inside
            parts.append(f'<rect class="card" x="{x + shift:g}" y="{box.top + shift:g}" width="{2 * box.half:g}" '
                         f'height="{height:g}" rx="6"/>')
    parts.append(f'<rect x="{x:g}" y="{box.top:g}" width="{2 * box.half:g}" height="{height:g}" rx="6"/>')
    middle = box.top + (height - (DETAIL_H if box.detail else 0)) / 2
    parts.append(f'<text x="{center:g}" y="{middle - 3:g}" class="name">{escape(box.label)}</text>')
    if box.detail:
        parts.append(f'<text x="{center:g}" y="{middle + 11:g}" class="detail">{escape(box.detail)}</text>')
    parts.append(f'<text x="{center:g}" y="{middle + 12 + (DETAIL_H if box.detail else 0):g}" class="shape">'
                 f"{escape(shape)}</text>")
    if box.kind == "block":
        parts.append(
            f'<g class="toggle" role="button" data-key="{escape(box.key)}" aria-label="open {escape(box.key)}">'
            f'<circle class="hit" cx="{x:g}" cy="{box.top + height / 2:g}" r="14"/>'
            f'<circle cx="{x:g}" cy="{box.top + height / 2:g}" r="8"/>'
            f'<text x="{x:g}" y="{box.top + height / 2 + 4:g}">+</text></g>'
        )
    parts.append("</g>")
    return "".join(parts)


def _skip(x1: float, y1: float, lane: float, x2: float, y2: float, boxes: tuple[int, int]) -> str:
    """A dashed arrow from box ``boxes[0]`` (-1: the input) out to its lane on the right and back into box
    ``boxes[1]``, with rounded corners."""
    r = max(min(6.0, (y2 - y1) / 2), 0)
    return (
        f'<path class="arrow skip" data-from="{boxes[0]}" data-to="{boxes[1]}" '
        f'd="M{x1:g},{y1:g} H{lane - r:g} Q{lane:g},{y1:g} {lane:g},{y1 + r:g} V{y2 - r:g} '
        f'Q{lane:g},{y2:g} {lane - r:g},{y2:g} H{x2 + 2:g}" fill="none" marker-end="url(#arrowhead)"/>'
    )


_STYLE = (
    ".box rect{fill:#eef4ff;stroke:#3d6bd6;stroke-width:1.5}"
    ".box.block rect{fill:#e3ecff}"
    ".box.block rect.card{fill:#f4f7ff;stroke:#9db3e8;stroke-width:1}"
    ".box.input rect{fill:#f3f3f3;stroke:#777}"
    ".box.selected rect{fill:#ffe9a8;stroke:#c58a00}"
    ".box.selected rect.card{fill:#fff4d6}"
    "rect.frame{fill:#fafbff;stroke:#8fa6d9;stroke-width:1.2;stroke-dasharray:6 3}"
    "text{font:12px system-ui,sans-serif;text-anchor:middle;fill:#222}"
    "text.shape{font:11px ui-monospace,monospace;fill:#444}"
    "text.detail{font:italic 11px system-ui,sans-serif;fill:#34508f}"
    "text.frame-label{text-anchor:start;fill:#34508f;font-weight:600;paint-order:stroke;stroke:#fafbff;"
    "stroke-width:4px;stroke-linejoin:round}"
    ".toggle{cursor:pointer}"
    ".toggle circle{fill:#fff;stroke:#3d6bd6;stroke-width:1.3}"
    ".toggle circle.hit{fill:transparent;stroke:none}"
    ".toggle text{font:bold 13px system-ui,sans-serif;fill:#3d6bd6}"
    ".arrow{stroke:#555;stroke-width:1.4}"
    ".arrow.skip{stroke:#c0392b;stroke-dasharray:5 3}"
)
