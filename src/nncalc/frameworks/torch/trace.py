"""Tracing: run a model on symbolic inputs and record its graph.

The node tree mirrors the module tree (``root.name == ""``, children ``features.0``); each module is one node
however often it is registered or called, each parameter one :class:`~nncalc.graph.Weight` however many
modules share it. Calls are recorded in the order they start (pre-order, like torchinfo); a call's ``macs``
are the work done by that module itself, not by its children, so the model's MACs are the sum over all calls.
"""

from __future__ import annotations

from nncalc.errors import InputError
from nncalc.formula import Expr
from nncalc.frameworks.torch.dtypes import dtype_named
from nncalc.frameworks.torch.errors import TorchTypeError
from nncalc.frameworks.torch.module import Module, loaded_family, tensors_in
from nncalc.frameworks.torch.recorder import Recorder, recording
from nncalc.frameworks.torch.tensor import Tensor
from nncalc.graph import Graph, Node, Weight
from nncalc.layers.base import Term, terms_formula
from nncalc.location import set_location


def trace(model, input_shapes: list[tuple] | None, batch: int | None = None, dtype: str | None = None) -> Graph:
    """Run ``model`` on inputs of ``(batch or 1, *shape)`` and return its graph.

    Without ``input_shapes`` the input is inferred from the layers (see :func:`infer_input_shapes`) and the
    graph's notes say so.
    """
    if not isinstance(model, Module):
        raise TorchTypeError(f"can only trace an nn.Module, got {type(model).__name__}")
    notes: list[str] = []
    if dtype is None:
        from nncalc.frameworks.torch.embedding import index_dtype_note, takes_token_indices

        embedding = takes_token_indices(model)
        if embedding is not None:
            dtype = "int64"
            notes.append(index_dtype_note(embedding))
    if input_shapes is None and batch == UNBATCHED:
        raise InputError(f"--unbatched: the input of {type(model).__name__} is not known",
                         hint="give each input's whole shape with --input-shape (--unbatched --input-shape 2708,1433)")
    if input_shapes is None:
        from nncalc.frameworks.torch.infer import infer_input_shapes

        input_shapes, note = infer_input_shapes(model, dtype)
        notes.append(note)
    inputs = make_inputs(input_shapes, batch, dtype)
    refuse_unread_children(model)
    root, recorder, result, state_note = _record(model, inputs)
    notes.extend(tie_notes(model))
    notes.extend(_bias_notes(model))
    if state_note:
        notes.append(state_note)
    outputs = tensors_in(result)
    _adopt_registered(model, recorder)
    notes.extend(_loose_notes(recorder))
    refuse_unknown_output(model, result)
    if not outputs:
        notes.append(f"{type(model).__name__}.forward returns no tensor ({type(result).__name__})")
    return Graph(
        framework="pytorch",
        model_name=type(model).__name__,
        root=root,
        calls=recorder.calls,
        input_shapes=[t._shape for t in inputs],
        output_shapes=[t._shape for t in outputs],
        notes=notes,
        batched=batch != UNBATCHED,
    )


def _record(model: Module, inputs: list):
    """Call ``model`` on ``inputs`` (and the state its forward needs besides them, see
    :func:`~nncalc.frameworks.torch.state.forward_states`: the first one it accepts) while recording; returns
    the root node, the recorder, forward's result and the note on the state."""
    from nncalc.diagnostics import strict
    from nncalc.errors import ShapeError
    from nncalc.frameworks.torch.state import forward_states

    states = forward_states(model, inputs)
    first = None
    for index, (state, note) in enumerate(states):
        root, nodes = build_tree(model)
        recorder = Recorder(nodes, _loose_node)
        previous = set_location(None)  # the root call is made by nncalc, not at a line of the file
        try:
            if index == len(states) - 1:
                with recording(recorder):
                    return root, recorder, call_model(model, [*inputs, *state]), note
            with strict(), recording(recorder):
                return root, recorder, call_model(model, [*inputs, *state]), note
        except ShapeError as error:
            first = first or error
            if index == len(states) - 1:
                raise first from None
        finally:
            set_location(previous)
    raise AssertionError("forward_states gives at least one state")


def macs_of(module: Module, run) -> int:
    """The MACs of ``run()``, a call of ``module`` made by nncalc (a Keras TorchModuleWrapper's), recorded
    against ``module``'s own tree."""
    _, nodes = build_tree(module)
    recorder = Recorder(nodes, _loose_node)
    with recording(recorder):
        run()
    return sum(call.macs for call in recorder.calls)


def module_tree(model) -> Graph:
    """``--params-only``: the model's module tree and its weights, without running forward (what torchinfo
    lists without an input): every module a row, no calls, so no output shapes, MACs or activations."""
    if not isinstance(model, Module):
        raise TorchTypeError(f"can only read an nn.Module, got {type(model).__name__}")
    refuse_unread_children(model)
    lazy = [name or type(model).__name__ for name, module in model.named_modules()
            if callable(getattr(module, "has_uninitialized_params", None)) and module.has_uninitialized_params()]
    if lazy:
        raise InputError(f"`{lazy[0]}` is a lazy module: its parameters exist only after a forward pass",
                         hint="leave --params-only out (with --input-shape if needed)")
    root, _ = build_tree(model)
    notes = [PARAMS_ONLY_NOTE, *tie_notes(model), *_bias_notes(model)]
    return Graph(framework="pytorch", model_name=type(model).__name__, root=root, calls=[], input_shapes=[],
                 output_shapes=[], notes=notes, forward=False)


PARAMS_ONLY_NOTE = ("--params-only: the parameters of the module tree; forward was not run, so there are no "
                    "output shapes, MACs or activation memory")


def _unknowns_in(value, depth: int = 0):
    """The interpreter's unknown values inside a forward's result (tuples, lists, dicts), a few levels deep."""
    from nncalc.frameworks.torch.errors import is_unknown

    if is_unknown(value):
        yield value
    elif depth < 4 and isinstance(value, (tuple, list)):
        for item in value[:64]:
            yield from _unknowns_in(item, depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for item in list(value.values())[:64]:
            yield from _unknowns_in(item, depth + 1)


def refuse_unknown_output(model: Module, result) -> None:
    """A forward whose result holds a value nncalc cannot compute is refused: the model was not fully read."""
    unknown = next(_unknowns_in(result), None)
    if unknown is not None:
        raise unread_error(f"{type(model).__name__}.forward returns a value nncalc cannot compute", unknown)


def refuse_unread_children(model: Module) -> None:
    """A module attribute built by something nncalc does not read (``self.body = helper(4)`` from an unread
    import) may hold parameters nncalc cannot count: the model is refused rather than reported short."""
    from nncalc.frameworks.torch.errors import is_unknown

    for path, module in Module.named_modules(model):  # the file may override named_modules
        for name, value in vars(module).items():
            if not name.startswith("_") and is_unknown(value) and str(getattr(value, "_name", "")).endswith("(...)"):
                where = f"{path}.{name}" if path else name
                raise unread_error(
                    f"`{where}` of {type(module).__name__} is built by something nncalc does not read, so its "
                    "parameters cannot be counted",
                    value,
                )


def unread_error(message: str, unknown):
    from nncalc.interpreter.unknown import UnknownValueError

    describe = getattr(unknown, "_describe", None)
    detail = describe() if describe is not None else repr(unknown)
    fix = getattr(unknown, "_fix_text", None)
    error = UnknownValueError(
        f"{message}: {detail}",
        hint=(fix() if fix is not None and unknown._chain else None)
        or "make the code it comes from readable (a file of the project, or a library source nncalc can read)",
    )
    error.unknown = unknown
    return error


def call_model(model: Module, inputs: list):
    """``model(*inputs)``, the call nncalc itself makes: a host layer's forward given more or fewer inputs than
    it takes (``--input-shape 4;4`` for an ``nn.Linear``, an ``nn.MultiheadAttention`` as the whole model) is the
    input's error, not nncalc's."""
    try:
        return model(*inputs)
    except TypeError as err:
        if "forward()" not in str(err) or "argument" not in str(err):
            raise
        raise InputError(
            f"{type(model).__name__} takes a different number of inputs than the {len(inputs)} given ({err})",
            hint="give one --input-shape per input of forward (or fix the file's '# nncalc: input-shape' line)",
        ) from None


def tie_notes(model: Module) -> list[str]:
    """One note per parameter registered under several names (``lm_head.weight = wte.weight``): torch's
    ``model.parameters()``, and nncalc's totals, count it once."""
    first: dict[int, str] = {}
    ties: dict[int, list[str]] = {}
    for owner, module in Module.named_modules(model):  # the file may override named_modules
        for name, tensor in module._parameters.items():
            if tensor is None:
                continue
            full = f"{owner}.{name}" if owner else name
            if id(tensor) in first:
                ties.setdefault(id(tensor), []).append(full)
            else:
                first[id(tensor)] = full
    return [
        f"{', '.join(f'`{n}`' for n in names)} tied to `{first[key]}`: one tensor, counted once"
        for key, names in ties.items()
    ]


UNBATCHED = 0
"""The ``batch`` of a forward that takes its inputs without a batch dimension (``--unbatched``): the input
shapes are the whole shapes (a graph network's ``(N, F)`` node features and ``(N, N)`` adjacency)."""


def trace_or_unbatched(model, input_shapes: list[tuple], batch: int | None, dtype: str | None,
                       whole_shapes: list[tuple] | None = None) -> Graph:
    """:func:`trace` on ``input_shapes`` with nncalc's batch added; when that is a shape error and the inputs
    taken whole (``whole_shapes``, default the same shapes) trace without a batch, the forward takes unbatched
    inputs, and its graph is returned with a note saying so. The batch nncalc added never causes a shape
    error; a batch the user asked for (``--batch N``) is kept, and the error says what to pass instead."""
    from nncalc.diagnostics import strict
    from nncalc.errors import NncalcError, ShapeError

    try:
        return trace(model, input_shapes, batch, dtype)
    except ShapeError as error:
        whole = [tuple(shape) for shape in (whole_shapes or input_shapes)]
        if batch == UNBATCHED or all(len(shape) > 1 and shape[0] == 1 for shape in whole):
            raise  # 1,3,32,32 is torchinfo's habit of giving the batch: the command line's hint says so
        try:
            with strict():
                graph = trace(model, whole, UNBATCHED, dtype)
        except NncalcError:
            raise error from None
        given = " ".join(f"--input-shape {','.join(map(str, shape))}" for shape in whole)
        if batch is not None:
            error.hint = (f"{type(model).__name__}.forward takes its inputs without a batch dimension: pass "
                          f"--unbatched {given} (the whole shapes) instead of --batch {batch}")
            raise error from None
        where = f" at {error.location}" if error.location else ""
        graph.notes.insert(0, f"no batch dimension: {type(model).__name__}.forward fails on a batch of these inputs "
                              f"({error.message}{where}) and runs on them whole, so {_listed(whole)} are the whole "
                              "input shapes (--unbatched says so; a shape that starts with its batch goes without it, "
                              "with --batch N)")
        return graph


def _listed(shapes: list[tuple]) -> str:
    return " and ".join("×".join(map(str, shape)) if len(shape) != 1 else f"({shape[0]},)" for shape in shapes)


def make_inputs(input_shapes, batch: int | None, dtype: str | tuple | None) -> list[Tensor]:
    """Symbolic inputs ``(batch or 1, *shape)`` of the given dtype name (or one name per input); ``batch``
    :data:`UNBATCHED`: the shapes as they are."""
    if isinstance(dtype, tuple) and len(dtype) != len(input_shapes):
        raise InputError(f"--dtype gives {len(dtype)} dtypes for {len(input_shapes)} inputs",
                         hint="one dtype per --input-shape, in the same order")
    kinds = [dtype_named(d) for d in dtype] if isinstance(dtype, tuple) else [dtype_named(dtype)] * len(input_shapes)
    size = 1 if batch is None else batch
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise InputError(f"the batch size must be a positive int, got {batch!r}")
    inputs = []
    for shape, kind in zip(input_shapes, kinds):
        shape = tuple(shape)
        if not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shape):
            raise InputError(f"an input shape must be whole numbers, got {shape!r}")
        inputs.append(Tensor._make(shape if size == UNBATCHED else (size, *shape), kind))
    return inputs


def build_tree(model: Module) -> tuple[Node, dict[int, Node]]:
    """The node tree of ``model`` and the node of each module (by ``id``)."""
    nodes: dict[int, Node] = {}
    weights: dict[int, Weight] = {}

    def visit(module: Module, name: str) -> Node:
        node = make_node(module, name, weights)
        nodes[id(module)] = node
        for child_name, child in module._modules.items():
            if child is None or id(child) in nodes:
                continue
            node.children.append(visit(child, f"{name}.{child_name}" if name else child_name))
        return node

    return visit(model, ""), nodes


def make_node(module: Module, name: str, weights: dict[int, Weight]) -> Node:
    """One module's node with its own parameters and buffers (shared tensors give shared ``Weight``s)."""
    own: list[Weight] = []
    for table, is_param in (("_parameters", True), ("_buffers", False)):
        for weight_name, tensor in module.__dict__[table].items():
            if tensor is None:
                continue
            weight = weights.get(id(tensor))
            if weight is None:
                weight = Weight(
                    name=weight_name,
                    shape=tuple(tensor._shape),
                    trainable=bool(tensor.requires_grad) and is_param,
                    is_param=is_param,
                    dtype=tensor._dtype.name,
                )
                weights[id(tensor)] = weight
            own.append(weight)
    return Node(
        type=type(module).__name__,
        name=name,
        weights=own,
        location=module._location,
        params_formula=params_formula(module),
    )


def params_formula(module: Module) -> Expr | None:
    """Conv and Linear: the seed's formula; others: the sum of their parameter terms; None without any."""
    params = [(name, p) for name, p in module._parameters.items() if p is not None]
    if not params:
        return None
    # a formula counts the module's own weights, or (a MultiheadAttention with its out_proj) all of them
    counts = (sum(p.numel() for _, p in params), sum(p.numel() for _, p in module.named_parameters()))
    spec = module.__dict__.get("_spec")
    if spec is not None:
        # formulas are immutable, so layers with equal specs (a stack of identical blocks) share one; the
        # weights' shapes (its children's too: a MultiheadAttention's out_proj) are part of the key, as a spec
        # may not name every option (add_bias_kv)
        key = (type(module), spec, tuple((name, tuple(p.shape)) for name, p in module.named_parameters()))
        formula = _SPEC_FORMULAS.get(key)
        if formula is None:
            if len(_SPEC_FORMULAS) >= MAX_CACHED_FORMULAS:
                _SPEC_FORMULAS.clear()
            formula = _SPEC_FORMULAS[key] = module._formula()
        if formula is not None and formula.value in counts:
            return formula
    formula = module._formula() if spec is None else None
    if formula is not None and formula.value in counts:
        return formula
    terms = []  # a subclass holding weights of its own besides the layer's (timm's ScaledStdConv2d gain): terms
    for name, param in params:
        term = getattr(param, "_term", None)
        terms.append(term if term is not None else Term(name, tuple((str(s), s) for s in param._shape)))
    return terms_formula(terms)


_SPEC_FORMULAS: dict = {}
MAX_CACHED_FORMULAS = 4096
"""Distinct layer specs whose parameter formula is kept between traces."""


def _loose_node(module: Module, parent: Node | None) -> Node:
    name = f"{parent.name}.{type(module).__name__}" if parent is not None and parent.name else type(module).__name__
    return make_node(module, name, {})


def _adopt_registered(model: Module, recorder: Recorder) -> None:
    """Modules the forward assigned to the model (``self.g = nn.Linear(4, 4)`` inside ``forward``) are registered
    once it returns, and torch counts them from then on (``model.parameters()``): they join the node tree at
    their place, called or not."""
    modules: dict[str, Module] = {}
    for name, module in Module.named_modules(model):
        modules[name] = module
        node = recorder.nodes.get(id(module))
        if node is not None and not any(node is loose for loose in recorder.loose):
            continue
        parent = recorder.nodes.get(id(modules.get(name.rpartition(".")[0])))
        if not name or parent is None:
            continue
        if node is None:
            node = recorder.nodes[id(module)] = make_node(module, name, {})
        else:
            recorder.loose.remove(node)
            node.name = name
        parent.children.append(node)


def _loose_notes(recorder: Recorder) -> list[str]:
    notes = []
    for node in recorder.loose:
        if any(w.is_param for w in node.weights):
            where = f" (line {node.location.line})" if node.location else ""
            notes.append(
                f"`{node.name}`{where} is created inside forward and not registered as a submodule: torch does "
                "not count its parameters in model.parameters(), and they are new at every call"
            )
    return notes


def _bias_notes(model: Module) -> list[str]:
    """Why a recurrent layer's count is not Keras's (:func:`nncalc.frameworks.torch.recurrent.bias_notes`), when the
    file uses one."""
    recurrent = loaded_family("recurrent")
    return [] if recurrent is None else recurrent.bias_notes(model)
