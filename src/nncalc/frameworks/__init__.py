"""Symbolic framework APIs: PyTorch and Keras with their real names and signatures, over symbolic tensors.

Each framework package exposes ``new_session()`` returning a :class:`Session`: one analysis's worth of state
(Keras's layer-name counters, the modules created so far, the recorder of calls). The analysis pipeline
(:mod:`nncalc.analysis`) gives the interpreter the session's ``modules`` for imports, binds
``snippet_names`` when a file imports nothing, finds the model among the file's values, and asks the session
to ``trace`` it into a :class:`nncalc.graph.Graph`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds of every start; only type checkers need these
if TYPE_CHECKING:
    from typing import Any

from nncalc.graph import Graph


class Session:
    """What the analysis pipeline needs from one framework (a protocol: documentation, not a base class)."""

    name: str
    """``"pytorch"`` or ``"keras"``."""

    modules: dict[str, Any]
    """Import name → host namespace, e.g. ``{"torch": ..., "torch.nn": ..., "torch.nn.functional": ...}``."""

    snippet_names: dict[str, Any]
    """Names bound in a file that imports nothing, e.g. ``nn``, ``torch``, ``F`` or ``Sequential``, ``Conv2D``."""

    def is_model(self, value: Any) -> bool:
        """True for a model object of this framework (a module or model instance)."""

    def is_model_class(self, value: Any) -> bool:
        """True for a class defined in the file that builds a model of this framework when instantiated."""

    def is_auxiliary(self, value: Any) -> bool:
        """True for model-like values a user would not point at: losses, metrics, training wrappers."""

    def is_wrapper(self, value: Any) -> bool:
        """True for a training wrapper around the real models (a Keras ``GAN`` overriding ``train_step``, with
        no ``call()``): discovery passes over it and says so."""

    def trace(self, model: Any, input_shapes: list[tuple] | None, batch: int | None, dtype: str | None) -> Graph:
        """Run the model symbolically on inputs and return its graph.

        ``input_shapes`` are per-input shapes without the batch; None when the file should provide them
        (Keras ``Input``/``input_shape=``) or they must be inferred (PyTorch; see ``infer_input_shapes``).
        Raises :class:`nncalc.errors.ShapeError` for an inconsistent model, naming the layer and the fix.
        """


def outcome(method: str, what: str):
    """What ``model.fit(...)``, ``model.evaluate(...)`` or ``optimizer.step()`` gives back: an unknown value
    (``history.history["loss"]`` reads on as unknown), never None where the framework returns something."""
    from nncalc.interpreter.unknown import Unknown

    return Unknown(f"{method}(...)", reason=f"a result of {what}, which nncalc does not compute")


def outcome_method(name: str, what: str):
    """A model method that trains or runs (``fit``, ``predict``): nothing is computed, its result is
    :func:`outcome`."""

    def method(self, *args, **kwargs):
        return outcome(f"model.{name}", what)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"Nothing is computed: an unknown value stands for the result of {what}."
    return method


def outcome_function(qualname: str, what: str):
    """A framework function whose result comes from outside (``keras.models.load_model(path)``): an unknown
    value naming it."""

    def function(*args, **kwargs):
        from nncalc.interpreter.unknown import Unknown

        return Unknown(f"{qualname}(...)", reason=what)

    function.__name__ = qualname.rpartition(".")[2]
    return function
