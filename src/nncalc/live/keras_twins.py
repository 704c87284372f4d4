"""Symbolic twins of real Keras layers: nncalc's own rules applied to a live layer.

A Keras layer is described by its ``get_config()``; nncalc's symbolic Keras (:mod:`nncalc.frameworks.keras`)
has the same classes with the same arguments. The twin is the symbolic layer built from the live layer's
config and called on the input shapes the live layer received: it gives the parameter formula, the MACs and
the output-size formulas exactly as the static path shows them. A twin is used only when its weights have the
shapes of the live layer's; anything else is described from the live layer alone.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from nncalc.formula import Expr

_DROPPED = ("name", "dtype", "trainable", "autocast")


@dataclass
class KerasTwin:
    """What nncalc's rule says about one call of a layer."""

    formula: Expr | None
    weight_shapes: list[tuple]
    macs: int
    shape_formulas: list
    output_shapes: list
    overrides_call: bool


class KerasTwins:
    """Builds (and caches) the twin of a layer call, keyed by the layer and its input shapes and dtypes."""

    def __init__(self):
        self._session = None
        self._cache: dict[tuple, KerasTwin | None] = {}

    def describe(self, layer, input_shapes: list[tuple], dtypes: list[str]) -> KerasTwin | None:
        key = (id(layer), tuple(map(tuple, input_shapes)), tuple(dtypes))
        if key not in self._cache:
            self._cache[key] = self._describe(layer, input_shapes, dtypes)
        return self._cache[key]

    def _describe(self, layer, input_shapes, dtypes) -> KerasTwin | None:
        base = _keras_base(layer)
        if base is None or not input_shapes:
            return None
        try:
            if self._session is None:
                from nncalc.frameworks.keras import new_session

                self._session = new_session()
            session = self._session
            twin = _symbolic_layer(layer, session, input_shapes)
            if twin is None:
                return None
            keras = session.keras
            inputs = [keras.Input(batch_shape=tuple(s), dtype=d) for s, d in zip(input_shapes, dtypes)]
            outputs = _call_twin(twin, base.__name__, inputs)
            graph = session.trace(keras.Model(inputs, outputs), None, None, None)
        except Exception:  # the symbolic layer refuses what Keras accepted: no twin, Keras's numbers only
            return None
        nodes = [n for n in graph.root.children]
        if len(nodes) != 1 or len(nodes[0].calls) != 1:
            return None
        node, call = nodes[0], nodes[0].calls[0]
        return KerasTwin(
            formula=node.params_formula,
            weight_shapes=[tuple(w.shape) for w in node.weights],
            macs=call.macs,
            shape_formulas=list(call.shape_formulas),
            output_shapes=[tuple(s) for s in call.output_shapes],
            overrides_call=type(layer).call is not base.call,
        )


def _symbolic_layer(layer, session, input_shapes=()):
    """nncalc's symbolic layer built from the live layer's config; a wrapper's inner layers (``Bidirectional``'s
    forward and backward layers, ``TimeDistributed``'s layer) are built from their own live layers."""
    base = _keras_base(layer)
    cls = getattr(session.modules["keras.layers"], base.__name__) if base is not None else None
    if not isinstance(cls, type):
        return None
    arguments = _arguments(cls, layer.get_config())
    if arguments.get("attention_axes") is not None and input_shapes:
        # a built MultiHeadAttention states its default axes: every axis between the batch and the features
        if tuple(arguments["attention_axes"]) == tuple(range(1, len(input_shapes[0]) - 1)):
            arguments["attention_axes"] = None
    for name, inner in _wrapped(layer).items():
        arguments[name] = _symbolic_layer(inner, session)
        if arguments[name] is None:
            return None
    return cls(**arguments)


def _wrapped(layer) -> dict:
    """The live layers a wrapper holds, by the name of the constructor argument that takes them."""
    if hasattr(layer, "forward_layer") and hasattr(layer, "backward_layer"):
        forward, backward = layer.forward_layer, layer.backward_layer
        if _mirrored(forward.get_config(), backward.get_config()):
            return {"layer": forward}  # Keras copies the layer given for the backward pass: one layer given
        return {"layer": forward, "backward_layer": backward}
    inner = getattr(layer, "layer", None)
    return {"layer": inner} if inner is not None and hasattr(inner, "get_config") else {}


def _mirrored(forward: dict, backward: dict) -> bool:
    """The backward layer is Keras's copy of the forward one (only its name and direction differ)."""
    def core(config):
        return {k: v for k, v in config.items() if k not in ("name", "go_backwards")}

    return core(forward) == core(backward) and forward.get("go_backwards") != backward.get("go_backwards")


def _call_twin(twin, kind: str, inputs: list):
    """The twin called as Keras calls the layer: attention on ``(query, value, key)``, a recurrent layer's extra
    inputs as its ``initial_state``."""
    if kind == "MultiHeadAttention":
        return twin(*inputs)
    if len(inputs) > 1 and hasattr(twin, "return_state"):
        return twin(inputs[0], initial_state=inputs[1:])
    return twin(inputs[0] if len(inputs) == 1 else inputs)


def _keras_base(layer):
    """The first of Keras's own layer classes in the layer's MRO."""
    for cls in type(layer).__mro__:
        module = cls.__module__
        if module.startswith("keras.src.models") or cls.__name__ in ("Layer", "Operation"):
            return None
        if module.startswith("keras.src.layers.") or module.startswith("keras.layers"):
            return cls
    return None


def _arguments(cls, config: dict) -> dict:
    """The config entries the twin's constructor names, without serialised objects (initializers, policies)."""
    names = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                names.add(parameter.name)
    return {k: _plain(v) for k, v in config.items()
            if k in names and k not in _DROPPED and k != "self" and not isinstance(v, dict)}


def _plain(value):
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    return value
