"""The symbolic Keras 3 API: ``keras``, ``keras.layers``, ``keras.models``, ``tensorflow.keras``… over shapes.

``new_session()`` returns a :class:`KerasSession`: its own copies of the host classes (so layer names come from
its own counters, as in a fresh Keras process), the import table for the interpreter, the snippet names, and
``trace`` to turn a model into a :class:`nncalc.graph.Graph`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds of every start; only type checkers need these
if TYPE_CHECKING:
    from typing import Any

from nncalc.errors import InputError
from nncalc.frameworks.keras import (
    activation, conv, lambda_layer, linear, merge, models, normalization, operation, pooling, preprocessing, reshape,
    resize,
)
from nncalc.frameworks.keras.errors import shape_text
from nncalc.frameworks.keras.graphs import GraphBuilder
from nncalc.frameworks.keras.inputs import InputLayer, make_input
from nncalc.frameworks.keras.layer import Layer, flat_tensors, is_host_class
from nncalc.frameworks.keras.namespaces import Auxiliary, Opaque, build_modules
from nncalc.frameworks.keras.state import KerasState
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.graph import Graph, Node

HOST_CLASSES = [
    Layer, InputLayer, *activation.CLASSES, *conv.CLASSES, *linear.CLASSES, *merge.CLASSES, *normalization.CLASSES,
    *pooling.CLASSES, *reshape.CLASSES, *resize.CLASSES, *lambda_layer.CLASSES, *preprocessing.CLASSES,
    *operation.CLASSES, *models.CLASSES,
]
"""nncalc's Keras classes, those of :data:`ON_DEMAND_FAMILIES` once loaded."""
_HOSTS = set(HOST_CLASSES)
ON_DEMAND_FAMILIES = ("attention", "einsum", "embedding", "recurrent", "recurrent_cells", "recurrent_conv", "wrappers",
                      "audio", "torch_module")
"""Layer families imported when a file first asks ``keras.layers`` (or a session's classes) for a name the others
lack: the command's start-up does not grow with them. A new family goes here."""


def load_families() -> bool:
    """Import :data:`ON_DEMAND_FAMILIES` and add their classes to :data:`HOST_CLASSES`; True when this call did."""
    global _families_loaded
    if _families_loaded:
        return False
    import importlib

    for family in ON_DEMAND_FAMILIES:
        for cls in importlib.import_module(f"nncalc.frameworks.keras.{family}").CLASSES:
            if cls not in _HOSTS:
                HOST_CLASSES.append(cls)
                _HOSTS.add(cls)
    _families_loaded = True
    return True


_families_loaded = False

NO_INPUT_SHAPE = (
    "this Sequential model has no input shape; add keras.Input(shape=(...)) as its first layer or pass --input-shape"
)


def _dtypes(dtype, count: int, default) -> list:
    """The dtype of each of ``count`` inputs: ``--dtype``'s one name for all, or its one name each."""
    if isinstance(dtype, tuple):
        if len(dtype) != count:
            raise InputError(f"--dtype gives {len(dtype)} dtypes for {count} inputs",
                             hint="one dtype per --input-shape, in the same order")
        return list(dtype)
    return [dtype or default] * count


class SessionClasses(dict):
    """One session's copy of every host class, bound to its state, by name; each copy also derives from its
    parent's copy, so ``isinstance(conv, keras.layers.Layer)`` and ``isinstance(functional_model, keras.Model)``
    hold. A name not there yet (``classes[name]``, ``name in classes``) loads the on-demand families
    (:func:`load_families`) and copies their classes; iterating gives those copied so far."""

    def __init__(self, state: KerasState):
        super().__init__()
        self._state = state
        self._copies: dict[type, type] = {}
        self._add()

    def _copy(self, cls: type) -> type:
        made = self._copies.get(cls)
        if made is None:
            parent = next((base for base in cls.__mro__[1:] if base in _HOSTS), None)
            bases = (cls,) if parent is None else (cls, self._copy(parent))
            namespace = {"_state": self._state, "__module__": cls.__module__, "__qualname__": cls.__qualname__,
                         "__doc__": cls.__doc__}
            made = self._copies[cls] = type(cls)(cls.__name__, bases, namespace)
        return made

    def _add(self) -> None:
        for cls in HOST_CLASSES:
            if cls not in self._copies:
                self[cls.__name__] = self._copy(cls)

    def load_families(self) -> "SessionClasses":
        """Every host class, the on-demand families' included."""
        load_families()
        if len(self._copies) < len(HOST_CLASSES):
            self._add()
        return self

    def __missing__(self, name: str) -> type:
        self.load_families()
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        raise KeyError(name)

    def __contains__(self, name) -> bool:
        return dict.__contains__(self, name) or dict.__contains__(self.load_families(), name)

    def get(self, name, default=None):
        return self[name] if name in self else default


class KerasSession:
    """One analysis's Keras: host namespaces, name counters, and tracing (see :class:`nncalc.frameworks.Session`)."""

    name = "keras"

    def __init__(self):
        self.state = KerasState()
        self.state.classes = SessionClasses(self.state)
        self.input = make_input(self.state)
        self.modules, self.snippet_names = build_modules(self.state, self.state.classes, self.input)

    def snippet_more(self, name: str):
        """A snippet's global ``name`` not bound at once: a class of ``keras.layers`` (of a family loaded on
        first use), or None."""
        return self.snippet_names.lazy(name)

    @property
    def keras(self):
        """The ``keras`` namespace (handy for building models from Python, as the interpreter would)."""
        return self.modules["keras"]

    def is_model(self, value: Any) -> bool:
        """A Sequential, functional or subclassed model instance."""
        return isinstance(value, models.Model)

    def is_model_class(self, value: Any) -> bool:
        """A user subclass of ``keras.Model`` (the subclassing API)."""
        return isinstance(value, type) and issubclass(value, models.Model) and not is_host_class(value)

    def is_auxiliary(self, value: Any) -> bool:
        """Optimizers, losses, metrics, callbacks: placeholders a user would not point at; and training
        wrappers (see :func:`is_training_wrapper`)."""
        return isinstance(value, (Opaque, Auxiliary)) or is_training_wrapper(value)

    def is_wrapper(self, value: Any) -> bool:
        """A ``GAN`` or ``VAE`` model class of the Keras examples, with ``train_step`` and no ``call()``."""
        return is_training_wrapper(value)

    def trace(self, model, input_shapes: list[tuple] | None, batch: int | None, dtype: str | None) -> Graph:
        """The graph of ``model``: one child node per layer of ``model.layers``, one call per layer call.

        A model whose input shape the file gives (``keras.Input``, ``input_shape=``) is traced as built.
        ``input_shapes`` may fill in sizes the file leaves unknown (``Input(shape=(None, 3))``); one that
        contradicts the file is an :class:`InputError` (the weights already depend on the file's shape).
        A Sequential without input shape, or a subclassed model, is built on ``input_shapes``.
        """
        if batch == 0:
            raise InputError("--unbatched is for a PyTorch forward without a batch dimension; a Keras model always "
                             "takes a batch (None)", hint="leave --unbatched out (--batch N sets the batch)")
        notes: list[str] = []
        builder = GraphBuilder(batch)
        if isinstance(model, models.Sequential) or model._graph is not None:
            if model._graph is None:
                self._build_sequential(model, input_shapes, dtype, notes)
            graph = model._graph
            inputs, outputs, records = graph.flat_inputs, graph.flat_outputs, graph.records
            ordered = True
            notes.extend(_input_notes(model))
            given = self._refined_shapes(model, input_shapes)
            if given is not None:
                inputs, outputs, records = self._run(model, given, [t.dtype for t in inputs])
                ordered = False
                notes.append(f"input shape {_shapes_text(given)} from --input-shape")
        else:
            given = self._subclassed_shapes(model, input_shapes, notes)
            inputs, outputs, records = self._run(model, given, _dtypes(dtype, len(given), self.state.floatx))
            records, ordered = _in_layers_order(model, records), True
        fixed = {t.shape[0] for t in inputs if t.shape and t.shape[0] is not None}
        if batch is not None and fixed - {batch}:
            notes.append(f"batch {', '.join(map(str, sorted(fixed)))} fixed by the file (keras.Input(batch_size=...)) "
                         f"is kept; the requested batch {batch} applies to unknown batch sizes only")
        root = Node(type=_model_type(model), name=model.name, weights=[w for w, _ in model._own_weights],
                    location=model._location)
        builder.nodes[id(model)] = root
        for weight, base in model._own_weights:
            weight.trainable = base and model.trainable
        root.children = [builder.node(layer, model.trainable) for layer in _rows(model)]
        return builder.graph(model, root, records, inputs, outputs, notes, ordered=ordered)

    def _build_sequential(self, model, input_shapes, dtype, notes) -> None:
        if not input_shapes:
            raise InputError(NO_INPUT_SHAPE)
        if len(input_shapes) != 1:
            raise InputError(f"a Sequential model takes one input; received {len(input_shapes)} input shapes")
        if not model._layers:
            raise InputError(f"Sequential model '{model.name}' has no layers")
        model._build_for((None, *input_shapes[0]), _dtypes(dtype, 1, None)[0])
        notes.append(f"input shape {shape_text(tuple(input_shapes[0]))} from --input-shape")

    def _refined_shapes(self, model, input_shapes) -> list[tuple] | None:
        """``input_shapes`` when they fill in unknown sizes of the file's inputs; None when they add nothing."""
        if input_shapes is None:
            return None
        own = [tuple(t.shape[1:]) for t in model._graph.flat_inputs]
        given = [tuple(s) for s in input_shapes]
        if given == own:
            return None
        if len(given) != len(own) or any(
            len(g) != len(o) or any(b is not None and a != b for a, b in zip(g, o)) for g, o in zip(given, own)
        ):
            raise InputError(
                f"model '{model.name}' already has input shape {_shapes_text(own)} from the file; --input-shape "
                f"{_shapes_text(given)} differs",
                hint="drop --input-shape, or change keras.Input(shape=...) / input_shape= in the file",
            )
        return given

    def _subclassed_shapes(self, model, input_shapes, notes) -> list[tuple]:
        if input_shapes is not None:
            notes.append(f"input shape {_shapes_text(input_shapes)} from --input-shape")
            return [tuple(s) for s in input_shapes]
        previous = [r for r in model._records if r.parent is None]
        if not previous:
            raise InputError(
                f"the subclassed model '{model.name}' has no input shape",
                hint="pass --input-shape, or call model.build((None, ...)) in the file",
            )
        shapes = [tuple(t.shape[1:]) for t in previous[-1].inputs]
        notes.append(f"input shape {_shapes_text(shapes)} from model.build() or a call in the file")
        return shapes

    def _run(self, model, shapes: list[tuple], dtypes: list[str]):
        """Call ``model`` on fresh inputs of ``shapes``: (inputs, outputs, the layer calls made inside)."""
        tensors = [KerasTensor((None, *shape), dtype) for shape, dtype in zip(shapes, dtypes)]
        saved, self.state.stack = self.state.stack, []
        try:
            outputs = model._apply((tensors[0] if len(tensors) == 1 else tensors,), {}, model._location)
        finally:
            self.state.stack = saved
        return tensors, flat_tensors(outputs), model._records[-1].children


def _in_layers_order(model, records: list) -> list:
    """A subclassed model's calls in the order of ``model.layers`` (its attributes' order, as Keras lists and
    summarises them), each layer's calls in the order they ran; layers it does not track come last."""
    position = {id(layer): index for index, layer in enumerate(_rows(model))}
    return sorted(records, key=lambda r: (position.get(id(r.layer), len(position)), r.seq))


def _rows(model) -> list:
    """The layers of ``model.layers`` that get a row: all but input layers."""
    return [layer for layer in model.layers if not isinstance(layer, InputLayer)]


def _shapes_text(shapes) -> str:
    return ", ".join(shape_text(tuple(s)) for s in shapes)


def _model_type(model) -> str:
    name = type(model).__name__
    return name if not is_host_class(type(model)) else {"Model": "Functional"}.get(name, name)


def _input_notes(model) -> list[str]:
    notes = []
    for tensor in model._graph.flat_inputs:
        record = tensor._history
        layer = record.layer if record is not None else None
        source = getattr(layer, "_from_input_shape_arg", None)
        if source is not None:
            notes.append(
                f"input shape {shape_text(tensor.shape[1:])} from input_shape= of layer '{source.name}' "
                f"(Keras 3 prefers keras.Input(shape={shape_text(tensor.shape[1:])}))"
            )
    return notes


def new_session() -> KerasSession:
    """A fresh Keras session: name counters at zero, as in a new Python process."""
    return KerasSession()


def is_training_wrapper(value: Any) -> bool:
    """A ``keras.Model`` subclass (or an instance of one) with no ``call()`` of its own and no functional graph:
    the ``GAN``, ``Distiller`` or ``VAE`` of the Keras examples, which hold the real models and override
    ``train_step``. Keras cannot call one either; discovery passes over it to the models it holds."""
    klass = value if isinstance(value, type) else type(value)
    if not (isinstance(klass, type) and issubclass(klass, models.Model)) or is_host_class(klass):
        return False
    if issubclass(klass, models.Sequential) or (not isinstance(value, type) and value._graph is not None):
        return False
    for base in klass.__mro__:
        if is_host_class(base):
            return True
        if "call" in base.__dict__:
            return False
    return True
