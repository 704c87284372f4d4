"""The report: one row per layer call and the totals, computed once and then frozen.

Renderers only format a :class:`Report`; they never compute. Parameters are totalled over unique weight
objects, so a module called twice, or a weight tied to another, counts once.
"""

from __future__ import annotations

from nncalc.errors import LimitExceeded, Location, NncalcError, number_text
from nncalc.formula import Expr
from nncalc.graph import Graph, Node, Shape, Weight
from nncalc.layers.base import MAX_SIZE, positions
from nncalc.memory import Memory, estimate, precision_named
from nncalc.receptive import receptive_fields
from nncalc.records import dataclass, field, replace


@dataclass(frozen=True)
class Row:
    """One layer call as shown in a summary.

    ``params`` counts the node's own and its descendants' parameters. ``macs`` counts the call's own work and
    that of every call made inside it (a container's subtotal; a container never called itself, like a
    ``ModuleList``, sums the calls of its descendants); ``own_macs`` is the call's own work alone, so the rows'
    ``own_macs`` add up to the total. ``shared`` marks a second or later call of a node (its parameters were
    counted at its first row). ``called`` is False for a module that is part of the model but never ran in the
    forward pass (its parameters still count). ``whole`` marks a module whose formula counts its children too:
    they hold weights it uses itself without calling them (a MultiheadAttention's ``out_proj``); their rows,
    marked ``part``, follow it. ``own_buffers`` names the node's own buffers with their sizes. ``rule`` is
    always True (JSON's ``supported``): a layer without a rule never makes a row (see :class:`nncalc.graph.Node`).
    """

    name: str
    type: str
    depth: int
    is_leaf: bool
    input_shapes: tuple[Shape, ...]
    output_shapes: tuple[Shape, ...]
    params: int
    trainable_params: int
    non_trainable_params: int
    buffers: int
    macs: int | None
    formula: Expr | None
    shape_formulas: tuple[tuple[str, Expr], ...]
    location: Location | None
    shared: bool = False
    called: bool = True
    rule: bool = True
    activation_values: int = 0
    own_params: int = 0
    receptive_field: tuple | None = None  # per spatial axis, a nncalc.receptive.Field; None when unknown
    own_macs: int | None = 0
    whole: bool = False
    part: bool = False
    own_buffers: tuple[tuple[str, int], ...] = ()

    @property
    def output_shape(self) -> Shape | None:
        return self.output_shapes[0] if self.output_shapes else None

    @property
    def flops(self) -> int | None:
        """FLOPs = 2 × MACs."""
        return None if self.macs is None else 2 * self.macs


@dataclass(frozen=True)
class Report:
    """Everything a renderer shows, for one model."""

    framework: str
    model_name: str
    file: str | None
    input_shapes: tuple[Shape, ...]
    output_shapes: tuple[Shape, ...]
    layers: tuple[Row, ...]
    total_params: int
    trainable_params: int
    non_trainable_params: int
    buffers: int
    param_bytes: int
    total_macs: int | None
    memory: Memory
    notes: tuple[str, ...] = field(default=())
    model_own_params: int = 0
    display_depth: int | None = None  # rows deeper than this are left out when shown (nncalc.summary's depth)
    display_columns: tuple[str, ...] | None = None  # the table's columns when shown (nncalc.summary's col_names)
    tied_params: int = 0  # parameters that a second module holds again (lm_head.weight = wte.weight): counted once
    skipped: tuple = ()  # module-level statements of the file that nncalc skipped (the model does not need them)
    edges: tuple[tuple[int, int], ...] = ()
    """(producer, consumer) indices in ``layers``: the consumer's call took a tensor the producer's call made
    (-1: the model's input). A called row that no pair enters is one whose inputs the trace did not follow."""
    per_step: bool = False  # a size besides the batch is unknown (length None): compute and memory count 1 of it
    forward: bool = True  # False for --params-only: the module tree without a forward pass (no shapes, MACs)
    batched: bool = True  # False when the inputs have no batch dimension (--unbatched): shapes are whole shapes

    @property
    def total_flops(self) -> int | None:
        """FLOPs = 2 × MACs."""
        return None if self.total_macs is None else 2 * self.total_macs

    @property
    def output_shape(self) -> Shape | None:
        return self.output_shapes[0] if self.output_shapes else None

    @property
    def input_shape(self) -> Shape | None:
        return self.input_shapes[0] if self.input_shapes else None

    def to_dict(self) -> dict:
        """The documented JSON structure (see README)."""
        from nncalc.render.json import report_dict

        return report_dict(self)

    def to_json(self, indent: int | None = 2) -> str:
        from nncalc.render.json import render_json

        return render_json(self, indent=indent)

    def to_markdown(self) -> str:
        from nncalc.render import DEFAULT_COLUMNS

        return self.render("markdown", columns=DEFAULT_COLUMNS)

    def to_latex(self, standalone: bool = False) -> str:
        """The worked calculation in LaTeX; ``standalone``: a whole document pdflatex compiles."""
        return self.explain("latex", standalone=standalone)

    def explain(self, fmt: str = "text", standalone: bool = False) -> str:
        """The seed-style worked calculation: formulas, then every layer substituted, then the total
        (``fmt``: ``text``, ``markdown`` or ``latex``; ``standalone``: a whole LaTeX document)."""
        name = {"markdown": "explain-markdown", "latex": "explain-latex"}.get(fmt, "explain-text")
        return self.render(name, standalone=standalone)

    def to_html(self) -> str:
        """A self-contained HTML table (layers, shapes, parameters with formulas, MACs) and the totals."""
        return self.render("html", depth=self.display_depth).removesuffix("\n")

    def __str__(self) -> str:
        return self.render("plain", depth=self.display_depth)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_markdown_(self) -> str:
        return self.render("markdown", depth=self.display_depth)

    def render(self, fmt: str, **options) -> str:
        """The report in a format of :data:`nncalc.render.FORMATS`; ``options`` are those of
        :class:`~nncalc.render.RenderOptions`, the columns by default those the report was made to show."""
        from nncalc.render import RenderOptions, render

        options.setdefault("columns", self._columns())
        return render(self, fmt, RenderOptions(**options))

    def _columns(self) -> tuple[str, ...]:
        from nncalc.render import DEFAULT_COLUMNS

        return self.display_columns or DEFAULT_COLUMNS


def build_report(
    graph: Graph, precision: str | None = None, optimizer: str = "adam", mixed_precision: bool = False
) -> Report:
    """Rows in call order (first call of every node, then its later calls as shared), then totals.

    ``precision`` (fp32, fp16, bf16, int8, int4), ``optimizer`` (sgd, momentum, adam, adamw) and
    ``mixed_precision`` only shape the memory estimates (see :mod:`nncalc.memory`).
    """
    check_sizes(graph)
    depths = _depths(graph.root)
    fields = receptive_fields(graph)
    counts = {id(node): _count(node) for node in graph.root.walk()}
    _check_formulas(graph.root)
    # the innermost calls hold the activations: a leaf's, or a module's that calls no child (a
    # MultiheadAttention, whose out_proj is a weight holder it never calls)
    outer = {id(c.parent) for c in graph.calls if c.parent is not None}
    leaf_calls = [c for c in graph.calls if id(c) not in outer and c.node is not graph.root]
    innermost = {id(c) for c in leaf_calls}
    blocks = _block_macs(graph.calls)
    parts = {id(n) for node in graph.root.walk() if _is_whole(node, counts) for n in node.walk() if n is not node}
    rows: list[Row] = []
    row_of_call: dict[int, Row] = {}
    seen: set[int] = set()
    for call in graph.calls:
        node = call.node
        if node is graph.root:
            continue
        shared = id(node) in seen
        seen.add(id(node))
        # a module made in forward stands outside the tree: its counts are computed here
        rows.append(_row(node, depths.get(id(node), 1), counts.get(id(node)) or _count(node), call, shared, fields.get(id(call)),
                         innermost=id(call) in innermost, macs=blocks[id(call)], parts=parts))
        row_of_call[id(call)] = rows[-1]
    uncalled = [n for n in graph.root.walk() if n is not graph.root and id(n) not in seen]
    if uncalled:
        rows = _with_uncalled(rows, [_row(n, depths[id(n)], counts[id(n)], None, False,
                                          macs=_descendants_macs(n, graph.calls) if graph.forward else None,
                                          parts=parts) for n in uncalled])
    weights = graph.root.all_weights()
    params = [w for w in weights if w.is_param]
    per_step = has_unknown_length(graph)
    macs = [c.macs for c in graph.calls]
    total = sum(w.numel for w in params)
    trainable = sum(w.numel for w in params if w.trainable)
    memory = estimate(
        total,
        trainable,
        activation_values=sum(_values(c.output_shapes) for c in leaf_calls),
        peak_layer_values=max((_values(c.input_shapes) + _values(c.output_shapes) for c in leaf_calls), default=0),
        precision=precision_named(precision),
        optimizer=optimizer,
        mixed_precision=mixed_precision,
    )
    if not graph.forward:  # --params-only: nothing ran, so nothing is known of activations
        memory = replace(memory, activations=None, inference=None, training=None)
    return Report(
        framework=graph.framework,
        model_name=graph.model_name,
        file=graph.file,
        input_shapes=tuple(graph.input_shapes),
        output_shapes=tuple(graph.output_shapes),
        layers=tuple(rows),
        total_params=total,
        trainable_params=trainable,
        non_trainable_params=total - trainable,
        buffers=sum(w.numel for w in weights if not w.is_param),
        param_bytes=memory.parameters,
        total_macs=None if any(m is None for m in macs) or not graph.forward else sum(macs),
        memory=memory,
        notes=tuple(graph.notes) + _skipped_note(graph.skipped, graph.file)
              + ((PER_STEP_NOTE,) if per_step else ()),
        skipped=tuple(graph.skipped),
        model_own_params=sum(w.numel for w in graph.root.weights if w.is_param),
        tied_params=sum(w.numel for node in graph.root.walk() for w in node.weights if w.is_param) - total,
        edges=_edges(graph.calls, row_of_call, rows),
        per_step=per_step,
        forward=graph.forward,
        batched=graph.batched,
    )


def _skipped_note(skipped, file: str | None) -> tuple[str, ...]:
    if not skipped:
        return ()
    own = sum(1 for s in skipped if s.location.file == file or s.location.file.startswith(f"{file}:cell "))
    imported = len(skipped) - own
    parts = []
    if own:
        parts.append(f"{own} {'statement' if own == 1 else 'statements'} of the script")
    if imported:
        parts.append(f"{imported} {'statement' if imported == 1 else 'statements'} in the modules it imports")
    what = " and ".join(parts)
    return (f"{what} skipped that the model does not depend on (--verbose lists them)",)


def _edges(calls, row_of_call: dict[int, Row], rows: list[Row]) -> tuple[tuple[int, int], ...]:
    """Report.edges: the calls' recorded sources, as row indices."""
    index = {id(row): i for i, row in enumerate(rows)}
    pairs: dict[tuple[int, int], None] = {}
    for call in calls:
        row = row_of_call.get(id(call))
        for producers in (call.sources or []) if row is not None else []:
            if producers is not None and not producers:
                pairs[(-1, index[id(row)])] = None
            for producer in producers or ():
                if id(producer) in row_of_call:
                    pairs[(index[id(row_of_call[id(producer)])], index[id(row)])] = None
    return tuple(pairs)


PER_STEP_NOTE = (
    "a length is unknown (None): the parameters are exact; MACs, FLOPs, activations and memory count one "
    "position of it (per step); --seq-len N (seq_len=N) gives the totals for length N"
)


def has_unknown_length(graph: Graph) -> bool:
    """Does a tensor of the model have an unknown size besides the batch (``keras.Input(shape=(None, 8))``)?"""
    shapes = [*graph.input_shapes, *(s for c in graph.calls for s in (*c.input_shapes, *c.output_shapes))]
    return any(shape is not None and None in tuple(shape)[1:] for shape in shapes)


def check_sizes(graph: Graph) -> None:
    """Refuse a model no framework could build: a weight or an output of more than 2**63 − 1 values
    (``nn.Linear(10**200, 10**200)``, a Keras ``Dense(10**400)``)."""
    for node in graph.root.walk():
        for weight in node.weights:
            if weight.numel > MAX_SIZE:
                _too_large(f"`{node.name or node.type}` ({node.type}) has a weight `{weight.name}` of "
                           f"{number_text(weight.numel)} values", node.location)
    for call in graph.calls:
        for shape in call.output_shapes:
            values = positions(shape)
            if values > MAX_SIZE:
                node = call.node
                _too_large(f"`{node.name or node.type}` ({node.type}) outputs {number_text(values)} values", node.location)


def _too_large(what: str, location: Location | None):
    raise LimitExceeded(
        f"{what}; PyTorch and Keras count sizes in 64 bits (at most {MAX_SIZE:,})", location,
        hint="no framework can build this model: check the sizes in the file",
    )


def _with_uncalled(rows: list[Row], uncalled: list[Row]) -> list[Row]:
    """A container that is never called itself (ModuleDict, ModuleList) stands before its first called
    descendant, as in the module tree; a module nobody calls stands after the rows of the nearest module above
    it that has rows (a MultiheadAttention's out_proj right after the attention), else last. One pass over the
    rows."""
    first: dict[str, int] = {}
    after: dict[str, int] = {}
    for index, row in enumerate(rows):
        parts = row.name.split(".")
        for k in range(1, len(parts) + 1):
            prefix = ".".join(parts[:k])
            after[prefix] = index + 1
            if k < len(parts):
                first.setdefault(prefix, index)

    def place(row: Row) -> int:
        if row.name in first:
            return first[row.name]
        parts = row.name.split(".")
        return next((after[".".join(parts[:k])] for k in range(len(parts) - 1, 0, -1)
                     if ".".join(parts[:k]) in after), len(rows))

    placed = sorted(((place(row), order) for order, row in enumerate(uncalled)))
    merged: list[Row] = []
    start = 0
    for at, order in placed:
        merged.extend(rows[start:at])
        merged.append(uncalled[order])
        start = max(start, at)
    merged.extend(rows[start:])
    return merged


def _block_macs(calls) -> dict[int, int | None]:
    """Per call, its MACs with those of every call made inside it (None when one of them is unknown)."""
    block: dict[int, int | None] = {id(c): c.macs for c in calls}
    for call in calls:
        parent = call.parent
        while parent is not None and id(parent) in block:
            if block[id(parent)] is not None:
                block[id(parent)] = None if call.macs is None else block[id(parent)] + call.macs
            parent = parent.parent
    return block


def _descendants_macs(node: Node, calls) -> int | None:
    """A node never called itself (a ModuleList): the MACs of every call of its descendants."""
    inside = {id(n) for n in node.walk()}
    macs = [c.macs for c in calls if id(c.node) in inside]
    return None if None in macs else sum(macs)


def _is_whole(node: Node, counts: dict) -> bool:
    """Does the node's formula count its children's weights as well as its own (see :attr:`Row.whole`)?"""
    formula = node.params_formula
    return bool(node.children) and formula is not None and formula.value == counts[id(node)][0] != sum(
        w.numel for w in node.weights if w.is_param)


def _row(node: Node, depth: int, count: tuple[int, int, int, int], call, shared: bool, field=None,
         innermost: bool = False, macs: int | None = 0, parts: frozenset | set = frozenset()) -> Row:
    params, trainable, non_trainable, buffers = count
    return Row(
        name=node.name,
        type=node.type,
        depth=depth,
        is_leaf=node.is_leaf,
        input_shapes=tuple(call.input_shapes) if call else (),
        output_shapes=tuple(call.output_shapes) if call else (),
        params=params,
        trainable_params=trainable,
        non_trainable_params=non_trainable,
        buffers=buffers,
        macs=macs,
        own_macs=call.macs if call else 0,
        formula=node.params_formula,
        shape_formulas=tuple(call.shape_formulas) if call else (),
        location=node.location,
        shared=shared,
        called=call is not None,
        activation_values=_values(call.output_shapes) if call and innermost else 0,
        own_params=sum(w.numel for w in node.weights if w.is_param),
        receptive_field=field,
        whole=_is_whole(node, {id(node): count}),
        part=id(node) in parts,
        own_buffers=tuple((w.name, w.numel) for w in node.weights if not w.is_param),
    )


def _values(shapes) -> int:
    """Elements in these tensors, an unknown batch counted as 1."""
    return sum(positions(shape) for shape in shapes if shape is not None)


def _depths(root: Node) -> dict[int, int]:
    depths = {id(root): 0}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.children:
            if id(child) not in depths:
                depths[id(child)] = depths[id(node)] + 1
                stack.append(child)
    return depths


def _count(node: Node) -> tuple[int, int, int, int]:
    weights: list[Weight] = node.all_weights()
    params = [w for w in weights if w.is_param]
    return (
        sum(w.numel for w in params),
        sum(w.numel for w in params if w.trainable),
        sum(w.numel for w in params if not w.trainable),
        sum(w.numel for w in weights if not w.is_param),
    )


def _check_formulas(root: Node) -> None:
    """A shown formula must equal the weights it describes, the node's own or (a whole module, see
    :attr:`Row.whole`) its own and its children's; a mismatch is nncalc's bug, said loudly."""
    for node in root.walk():
        if node.params_formula is None:
            continue
        own = sum(w.numel for w in node.weights if w.is_param)
        if node.params_formula.value not in (own, _count(node)[0] if node.children else own):
            raise NncalcError(
                f"internal error: the formula of {node.type} {node.name!r} gives {node.params_formula.value}, "
                f"its weights hold {own}; please report this"
            )
