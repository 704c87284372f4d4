"""Live PyTorch models: a real ``nn.Module`` traced into nncalc's :class:`~nncalc.graph.Graph`.

The node tree mirrors the module tree exactly as the static path builds it (root ``""``, children by dotted
path, a module shared by two parents listed once, every parameter one :class:`~nncalc.graph.Weight` however
many modules hold it, buffers apart). The forward runs on *fake tensors* (``FakeTensorMode``): tensors with a
shape, a dtype and a device but no storage, so neither the weights nor the activations are touched or
allocated — a model built on ``torch.device("meta")`` works as is. Global forward hooks record one
:class:`~nncalc.graph.Call` per module call, in the order the calls start (pre-order, like the static path).
Known layers get nncalc's formulas, MACs and output-size derivations through their symbolic twins
(:mod:`nncalc.live.torch_twins`); the rest get their real counts and the MACs their operations dispatch.
"""

from __future__ import annotations

import contextlib

from nncalc.errors import InputError, NncalcError
from nncalc.graph import Call, Graph, Node, Weight
from nncalc.live.torch_macs import counting_mode
from nncalc.live.torch_twins import TorchTwins, generic_formula, skeleton


class LiveModelError(NncalcError):
    """The live model could not be run (its forward failed on the given input)."""

    exit_code = 2


def torch_graph(model, input_size=None, input_data=None, batch_size=None, dtypes=None, mode="eval",
                real=False, forward_kwargs=None) -> Graph:
    """Trace the live ``model`` on inputs of ``input_size`` (batch included, like torchinfo) or on
    ``input_data``; without either, the graph has the module tree and its parameters but no calls."""
    import torch

    tree = _Tree(model, torch)
    notes: list[str] = []
    root_call_only = input_size is None and input_data is None and not forward_kwargs
    if root_call_only:
        notes.append("no input given: parameters only; pass input_size=(batch, …) for shapes and MACs")
        call = Call(node=tree.root, input_shapes=[], output_shapes=[], macs=None)
        tree.root.calls.append(call)
        return _graph(model, tree, [call], [], [], notes + tree.notes())
    device = _model_device(model, torch)
    recorder = _Recorder(tree)
    with contextlib.ExitStack() as stack:
        stack.enter_context(_modes(model, mode))
        stack.enter_context(torch.no_grad())
        stack.enter_context(_composite_attention(torch))
        if not real:
            from torch._subclasses.fake_tensor import FakeTensorMode

            stack.enter_context(FakeTensorMode(allow_non_fake_inputs=True))
            stack.enter_context(_causal_hint_without_data())
            if device.type == "meta":
                stack.enter_context(torch.device("meta"))  # tensors the forward creates join the meta weights
        args, kwargs = _inputs(torch, input_size, input_data, batch_size, dtypes, device)
        kwargs.update(forward_kwargs or {})
        stack.enter_context(counting_mode(recorder.charge))
        stack.enter_context(recorder.hooks(torch))
        try:
            output = model(*args, **kwargs)
        except NncalcError:
            raise
        except Exception as error:
            raise _forward_error(model, error, real) from error
    inputs = _tensors(torch, (args, kwargs))
    outputs = _tensors(torch, output)
    recorder.apply_twins()
    notes.extend(tree.notes())
    notes.extend(recorder.notes)
    return _graph(model, tree, recorder.calls, [_shape(t) for t in inputs], [_shape(t) for t in outputs], notes)


def _graph(model, tree, calls, input_shapes, output_shapes, notes) -> Graph:
    return Graph(framework="pytorch", model_name=type(model).__name__, root=tree.root, calls=calls,
                 input_shapes=input_shapes, output_shapes=output_shapes, notes=notes)


class _Tree:
    """The nodes of the module tree, each module's node by ``id``, and its twin where nncalc has a rule."""

    def __init__(self, model, torch):
        self.torch = torch
        self.nodes: dict[int, Node] = {}
        self.modules: dict[int, object] = {}
        self.twins: dict[int, object] = {}
        self._weights: dict[int, Weight] = {}
        self._twin_maker = TorchTwins()
        self.no_rule: dict[str, None] = {}
        self.root = self._visit(model, "")

    def _visit(self, module, name: str) -> Node:
        node = self._node(module, name)
        for child_name, child in module._modules.items():
            if child is None or id(child) in self.nodes:
                continue
            node.children.append(self._visit(child, f"{name}.{child_name}" if name else child_name))
        return node

    def _node(self, module, name: str) -> Node:
        own: list[Weight] = []
        described: list[tuple[str, tuple, bool]] = []
        for table, is_param in ((module._parameters, True), (module._buffers, False)):
            for weight_name, tensor in table.items():
                if tensor is None:
                    continue
                weight = self._weights.get(id(tensor))
                if weight is None:
                    weight = Weight(name=weight_name, shape=tuple(int(s) for s in tensor.shape),
                                    trainable=bool(tensor.requires_grad) and is_param, is_param=is_param,
                                    dtype=str(tensor.dtype).removeprefix("torch."))
                    self._weights[id(tensor)] = weight
                own.append(weight)
                described.append((weight_name, tuple(int(s) for s in tensor.shape), is_param))
        node = Node(type=type(module).__name__, name=name, weights=own)
        self.nodes[id(module)] = node
        self.modules[id(module)] = module
        params = [(n, shape) for n, shape, is_param in described if is_param]
        # a container gets a twin only when it holds parameters of its own (nn.MultiheadAttention's in_proj)
        own_rule = not module._modules or bool(params)
        twin = self._twin_maker.twin(module, described) if own_rule else None
        if twin is not None:
            self.twins[id(module)] = twin
            node.params_formula = self._twin_maker.formula(twin) if params else None
        else:
            node.params_formula = generic_formula(params)
            if params and not module._modules and type(module).__module__.startswith("torch.nn."):
                self.no_rule[type(module).__name__] = None
        return node

    def twin_call(self, module, arguments):
        twin = self.twins.get(id(module))
        return None if twin is None else self._twin_maker.call(twin, arguments)

    def notes(self) -> list[str]:
        if not self.no_rule:
            return []
        kinds = ", ".join(self.no_rule)
        return [f"nncalc has no rule for {kinds} yet: parameters and MACs from the live model, the formula is the "
                "sum of the weights' shapes"]


class _Recorder:
    """The calls of one forward, in the order they start; MACs of dispatched operations go to the innermost."""

    def __init__(self, tree: _Tree):
        self.tree = tree
        self.calls: list[Call] = []
        self.stack: list[tuple[int, Call | None]] = []
        self.inputs: dict[int, tuple[list, str]] = {}
        self.loose: dict[str, None] = {}
        self.notes: list[str] = []

    def charge(self, macs: int) -> None:
        for _, call in reversed(self.stack):
            if call is not None:
                call.macs += macs
                return

    @contextlib.contextmanager
    def hooks(self, torch):
        from torch.nn.modules.module import register_module_forward_hook, register_module_forward_pre_hook

        handles = [register_module_forward_pre_hook(self._start)]
        try:
            handles.append(register_module_forward_hook(self._finish, with_kwargs=True))
        except TypeError:  # torch before global hooks took keyword arguments: positional inputs only
            handles.append(register_module_forward_hook(lambda module, args, output: self._finish(module, args, {},
                                                                                                  output)))
        try:
            yield
        finally:
            for handle in handles:
                handle.remove()

    def _start(self, module, args):
        node = self.tree.nodes.get(id(module))
        if node is None:  # created in forward or kept outside the module tree: torch does not count it either
            if not _is_keras(module):
                self.loose[type(module).__name__] = None
            self.stack.append((id(module), None))
            return None
        torch = self.tree.torch
        tensors = _tensors(torch, args)
        parent = next((c for _, c in reversed(self.stack) if c is not None), None)
        call = Call(node=node, input_shapes=[_shape(t) for t in tensors], output_shapes=[], macs=0, parent=parent)
        node.calls.append(call)
        self.calls.append(call)
        self.stack.append((id(module), call))
        return None

    def _finish(self, module, args, kwargs, output):
        """The call's inputs are every tensor it received, keyword arguments too (as the static path shows)."""
        torch = self.tree.torch
        while self.stack:
            key, call = self.stack.pop()
            if key == id(module):
                if call is not None:
                    call.input_shapes = [_shape(t) for t in _tensors(torch, (args, kwargs))]
                    call.output_shapes = [_shape(t) for t in _tensors(torch, output)]
                    self.inputs[id(call)] = (module, skeleton(torch, args, kwargs))
                return None
        return None

    def apply_twins(self) -> None:
        """Known layers: the MACs and output-size formulas of nncalc's rule, checked against torch's shapes."""
        for call in self.calls:
            module, arguments = self.inputs.get(id(call), (None, None))
            if module is None or arguments is None:
                continue
            twin = self.tree.twin_call(module, arguments)
            if twin is None:
                continue
            if [tuple(s) for s in twin.output_shapes] != [tuple(s) for s in call.output_shapes]:
                self.notes.append(
                    f"nncalc's rule for {call.node.type} '{call.node.name}' gives output {twin.output_shapes}, torch "
                    f"gives {call.output_shapes}; torch's shape is shown (please report this)"
                )
                continue
            call.macs = twin.macs
            call.shape_formulas = list(twin.shape_formulas)
        if self.loose:
            self.notes.append(
                f"{', '.join(self.loose)} called in forward but not registered as a submodule: torch does not count "
                "its parameters in model.parameters(); its MACs are charged to the module that called it"
            )


def _is_keras(module) -> bool:
    return type(module).__module__.startswith("keras")


@contextlib.contextmanager
def _modes(model, mode: str):
    """``model.eval()`` (or ``train()``) for the trace, every module's own flag restored afterwards."""
    if mode not in ("eval", "train"):
        raise InputError(f"mode must be 'eval' or 'train', got {mode!r}")
    saved = [(module, module.training) for module in model.modules()]
    model.train(mode == "train")
    try:
        yield
    finally:
        for module, training in saved:
            module.training = training


@contextlib.contextmanager
def _composite_attention(torch):
    """Without torch's fused "fast path", ``nn.MultiheadAttention`` and ``nn.TransformerEncoderLayer`` run as
    their linear layers and attention, whose MACs are counted (one fused kernel would hide them)."""
    mha = getattr(torch.backends, "mha", None)
    if mha is None or not hasattr(mha, "set_fastpath_enabled"):
        yield
        return
    enabled = mha.get_fastpath_enabled()
    mha.set_fastpath_enabled(False)
    try:
        yield
    finally:
        mha.set_fastpath_enabled(enabled)


@contextlib.contextmanager
def _causal_hint_without_data():
    """``nn.Transformer`` and ``nn.TransformerEncoder`` compare a mask with a causal one to pick a faster kernel
    (``bool((mask == causal).all())``), which reads values a fake tensor lacks. Without data the mask is taken as
    given: it stays the attention mask, as it does when the comparison fails; shapes and MACs are the same."""
    from torch.nn.modules import transformer

    detect = getattr(transformer, "_detect_is_causal_mask", None)
    if detect is None:
        yield
        return

    def hint(mask, is_causal=None, size=None):
        if is_causal is None and mask is not None:
            return False
        return detect(mask, is_causal, size)

    transformer._detect_is_causal_mask = hint
    try:
        yield
    finally:
        transformer._detect_is_causal_mask = detect


def _model_device(model, torch):
    for tensor in model.parameters():
        return tensor.device
    for tensor in model.buffers():
        return tensor.device
    return torch.device("cpu")


def _inputs(torch, input_size, input_data, batch_size, dtypes, device):
    """(args, kwargs) for the forward: ``input_data`` moved to the model's device, or zeros of ``input_size``."""
    if input_data is not None:
        if isinstance(input_data, dict):
            return [], {k: _to(torch, v, device, batch_size) for k, v in input_data.items()}
        if isinstance(input_data, (list, tuple)):
            return [_to(torch, v, device, batch_size) for v in input_data], {}
        return [_to(torch, input_data, device, batch_size)], {}
    sizes = _sizes(input_size)
    kinds = _dtypes(torch, dtypes, len(sizes))
    args = []
    for size, kind in zip(sizes, kinds):
        if batch_size is not None:
            size = (batch_size, *size[1:])
        args.append(torch.zeros(size, dtype=kind, device=device))
    return args, {}


def _to(torch, value, device, batch_size):
    if not isinstance(value, torch.Tensor):
        return value
    if batch_size is not None and value.dim() > 0 and value.shape[0] != batch_size:
        value = value[:1].expand(batch_size, *value.shape[1:])
    return value.to(device)


def _sizes(input_size) -> list[tuple[int, ...]]:
    """torchinfo's ``input_size``: one shape ``(1, 3, 224, 224)`` or a list of shapes, batch included."""
    if isinstance(input_size, (list, tuple)) and input_size and all(_is_int(d) for d in input_size):
        return [tuple(int(d) for d in input_size)]
    if isinstance(input_size, (list, tuple)) and input_size and all(
        isinstance(s, (list, tuple)) and all(_is_int(d) for d in s) for s in input_size
    ):
        return [tuple(int(d) for d in s) for s in input_size]
    raise InputError(
        f"input_size must be a shape such as (1, 3, 224, 224), batch first, or a list of shapes; got {input_size!r}"
    )


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _dtypes(torch, dtypes, count: int) -> list:
    if dtypes is None:
        return [torch.float32] * count
    if not isinstance(dtypes, (list, tuple)):
        dtypes = [dtypes]
    kinds = []
    for kind in dtypes:
        if isinstance(kind, str):
            value = getattr(torch, kind.removeprefix("torch."), None)
            if not isinstance(value, torch.dtype):
                raise InputError(f"unknown dtype {kind!r}; use a torch.dtype such as torch.long")
            kind = value
        kinds.append(kind)
    if len(kinds) == 1 and count > 1:
        kinds = kinds * count
    if len(kinds) != count:
        raise InputError(f"{len(kinds)} dtypes for {count} inputs; give one dtype per input")
    return kinds


def _tensors(torch, value) -> list:
    from torch.utils._pytree import tree_leaves

    return [leaf for leaf in tree_leaves(value) if isinstance(leaf, torch.Tensor)]


def _shape(tensor) -> tuple[int, ...]:
    return tuple(int(s) for s in tensor.shape)


def _forward_error(model, error: Exception, real: bool) -> LiveModelError:
    kind = type(error).__name__
    text = str(error).strip().splitlines()[0] if str(error).strip() else kind
    name = type(model).__name__
    if real:
        return LiveModelError(f"{name}.forward failed: {kind}: {text}")
    return LiveModelError(
        f"{name}.forward failed on fake tensors (shapes without data): {kind}: {text}",
        hint="a forward whose control flow depends on tensor values cannot run without data; pass real=True to "
        "run it for real on zeros where the model lives, or check input_size and dtypes",
    )
