"""The torch side of a rule (:mod:`nncalc.layers.rule`): parameters made from the rule's terms in torch's layout,
the formula from the rule, the MACs charged to the trace in progress.

A term named ``kernel`` is in the canonical (Keras) layout, channels last: torch's ``weight`` holds its last two
axes first and the other way round (``Dense``'s ``(inputs, outputs)`` is ``nn.Linear``'s ``(out, in)``, a
convolution's ``(k_h, k_w, C_in, filters)`` is ``(filters, C_in, k_h, k_w)``). Other terms keep their name and
shape.
"""

from __future__ import annotations

from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.module import Module
from nncalc.frameworks.torch.tensor import make_parameter


def torch_weight(role: str, shape: tuple) -> tuple[str, tuple]:
    """The torch name and shape of a rule's term."""
    if role == "kernel":
        return "weight", (shape[-1], shape[-2], *shape[:-2]) if len(shape) >= 2 else tuple(shape)
    return role, tuple(shape)


class RuleModule(Module):
    """A module whose weights, formula and MACs come from one rule (``_rule``) and its spec (``_spec``)."""

    _rule = None

    def _make_weights(self, spec, dtype_, optional=("bias",)) -> None:
        """Set ``_spec`` and create the rule's weights for it; the ``optional`` ones the spec leaves out are
        registered as None, as torch does (``bias=False``)."""
        self._spec = spec
        made = set()
        for term in self._rule.terms(spec):
            name, shape = torch_weight(term.role, term.shape)
            setattr(self, name, make_parameter(shape, dtype_, term))
            made.add(name)
        for name in optional:
            if name not in made:
                self.register_parameter(name, None)

    def _formula(self):
        return self._rule.formula(self._spec)

    def _charge(self, shape: tuple) -> None:
        """Charge one call on an input of ``shape`` to the trace in progress."""
        if recorder.active():
            recorder.note(self._rule.macs(self._spec, shape))
