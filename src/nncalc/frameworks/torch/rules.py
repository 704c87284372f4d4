"""The torch side of a rule (:mod:`nncalc.layers.rule`): parameters made from the rule's terms in torch's layout,
the formula from the rule, the MACs charged to the trace in progress.

A term named ``kernel`` is in the canonical (Keras) layout, channels last: torch's ``weight`` holds its last two
axes first and the other way round (``Dense``'s ``(inputs, outputs)`` is ``nn.Linear``'s ``(out, in)``, a
convolution's ``(k_h, k_w, C_in, filters)`` is ``(filters, C_in, k_h, k_w)``). Other terms keep their shape and
take torch's name (:data:`TORCH_NAMES`); statistics (``moving_mean``) are buffers, not parameters.
"""

from __future__ import annotations

from nncalc.frameworks.torch import recorder
from nncalc.frameworks.common.variants import variant
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.tensor import make_buffer, make_parameter


TORCH_NAMES = {
    "kernel": "weight", "embeddings": "weight", "gamma": "weight", "scale": "weight", "beta": "bias",
    "moving_mean": "running_mean", "moving_variance": "running_var",
}
"""Torch's names of the canonical (Keras) weight names that differ."""


def torch_weight(role: str, shape: tuple) -> tuple[str, tuple]:
    """The torch name and shape of a rule's term."""
    if role == "kernel" and len(shape) >= 2:
        return "weight", (shape[-1], shape[-2], *shape[:-2])
    return TORCH_NAMES.get(role, role), tuple(shape)


class RuleModule(Module):
    """A module whose weights, formula and MACs come from one rule (``_rule``) and its spec (``_spec``)."""

    _rule = None

    def _make_weights(self, spec, dtype_, optional=("bias",), given=None, optional_buffers=()) -> None:
        """Set ``_spec`` and create the rule's weights for it, but those ``given`` by name (a pretrained table,
        already checked); statistics become buffers. The ``optional`` parameters and ``optional_buffers`` the spec
        leaves out are registered as None, as torch does (``bias=False``, ``track_running_stats=False``)."""
        self._spec = spec
        made = set()
        for term in self._rule.terms(spec):
            name, shape = torch_weight(term.role, term.shape)
            made.add(name)
            if term.statistic:
                self.register_buffer(name, make_buffer(shape, dtype_))
                continue
            weight = (given or {}).get(name)
            if weight is None:
                weight = make_parameter(shape, dtype_, term)
            else:
                weight._term = term
            setattr(self, name, weight)
        for name in optional:
            if name not in made:
                self.register_parameter(name, None)
        for name in optional_buffers:
            if name not in made:
                self.register_buffer(name, None)

    def _formula(self):
        return self._rule.formula(self._spec, statistics=False)

    def _charge(self, shape: tuple) -> None:
        """Charge one call on an input of ``shape`` to the trace in progress."""
        if recorder.active():
            recorder.note(self._rule.macs(self._spec, shape))

    def _run_rule(self, spec, canonical: tuple) -> tuple:
        return run_rule(self._rule, spec, canonical)


def run_rule(rule, spec, canonical: tuple, window: bool = True) -> tuple:
    """``rule``'s output for a ``canonical`` input (batch first, channels last); its MACs, shape formulas and (with
    ``window``) sliding window charged to the call in progress: a rule module's own, or the module whose forward
    calls a functional op (``F.conv2d``)."""
    out = rule.output(spec, canonical)
    if recorder.active():
        slide = rule.window(spec, canonical) if window and rule.window is not None else None
        recorder.note(rule.macs(spec, canonical), rule.formulas(spec, canonical), window=slide)
    return out


def channels_last(shape: tuple, batched: bool) -> tuple:
    """torch's ``(N, C, *spatial)`` (or unbatched ``(C, *spatial)``, a batch of 1) as rules take it,
    ``(N, *spatial, C)``."""
    shape = tuple(shape) if batched else (1, *shape)
    return (shape[0], *shape[2:], shape[1])


def channels_first(shape: tuple, batched: bool) -> tuple:
    """A rule's ``(N, *spatial, C)`` in torch's layout (without the batch when the input had none)."""
    out = (shape[0], shape[-1], *shape[1:-1])
    return out if batched else out[1:]


def rule_function(rule, function):
    """The torch callable of a rule's :class:`~nncalc.layers.rule.Function`: tensors passed to ``bind`` as
    operands, the MACs charged to the trace in progress, a tensor of the rule's output shape returned."""
    from nncalc.frameworks.common.errors import reject_unknown
    from nncalc.frameworks.torch.tensor import Tensor
    from nncalc.layers.rule import Operand

    def operand(value):
        reject_unknown(value, f"calling {function.name} on it")
        if isinstance(value, Tensor):
            return Operand(tuple(value._shape), value._dtype.name)
        if isinstance(value, (list, tuple)):
            return type(value)(operand(v) for v in value)
        return value

    def call(*args, **kwargs):
        first = next((v for v in (*args, *kwargs.values()) if isinstance(v, Tensor)), None)
        spec, shape = function.bind(*map(operand, args), **{k: operand(v) for k, v in kwargs.items()})
        if recorder.active():
            recorder.note(rule.macs(spec, shape))
        return Tensor._make(rule.output(spec, shape), first._dtype, first._device)

    call.__name__ = call.__qualname__ = function.name.rsplit(".", 1)[-1]
    call.__doc__ = f"``{function.name}``: the rule {rule.name!r} (:mod:`nncalc.layers`)."
    call.default = call  # torch.ops.<library>.<op>.default, the overload torch code names
    return call


class OpsNamespace:
    """``torch.ops``: the operators libraries register (``torch.ops.torchvision.deform_conv2d``), by library."""

    def __getattr__(self, library: str):
        if library.startswith("_"):
            raise AttributeError(library)
        return OpsLibrary(f"torch.ops.{library}")

    def __repr__(self) -> str:
        return "<module 'torch.ops' (nncalc symbolic)>"


class OpsLibrary:
    """``torch.ops.<library>``: an operator a rule computes (:func:`~nncalc.layers.rule.find_function`) is that
    rule; any other is an unknown value, which fails where its result is needed."""

    def __init__(self, name: str):
        self.__dict__["_name"] = name

    def __getattr__(self, op: str):
        from nncalc.frameworks.common.errors import unknown_value
        from nncalc.layers.rule import find_function

        if op.startswith("_"):
            raise AttributeError(op)
        found = find_function(f"{self._name}.{op}")
        value = rule_function(*found) if found is not None else unknown_value(f"{self._name}.{op}")
        self.__dict__[op] = value
        return value

    def __call__(self, *args, **kwargs):  # torch.ops.load_library(path): nothing is loaded
        from nncalc.frameworks.common.errors import unknown_value

        return unknown_value(f"{self._name}(...)")

    def __repr__(self) -> str:
        return f"<module '{self._name}' (nncalc symbolic)>"


def ranked(base: type, rank: int, name: str, doc: str) -> type:
    """The ``rank``-D variant of a family (``ranked(_MaxPoolNd, 2, "MaxPool2d", …)``): a built-in subclass of
    ``base`` named ``name`` in ``base``'s module, with ``_rank`` and the docstring ``doc`` (``{name}`` in it is
    the name)."""
    return builtin(variant(base, name, doc.format(name=name), base.__module__, _rank=rank))
