"""The host namespaces users import (``keras``, ``keras.layers``, ``tensorflow.keras``…) and their members.

Layers nncalc has rules for are real classes; a layer that exists in Keras but has no rule yet raises
``UnknownLayer`` when used; a name Keras does not have is an error with a suggestion. Optimizers, losses,
metrics, callbacks and the like are harmless placeholders, so ``model.compile(...)`` at module level works.
"""

from __future__ import annotations

from nncalc.frameworks import datasets, outcome_function
from nncalc.frameworks.keras import merge, names, patches
from nncalc.frameworks.common.errors import NoRule, unknown_value
from nncalc.frameworks.common.namespaces import Namespace as CommonNamespace
from nncalc.frameworks.keras.errors import KerasAttributeError, KerasValueError
from nncalc.frameworks.keras.operation import operation_kind, run_operation
from nncalc.frameworks.keras.ops import ON_DEMAND, build_family_ops, build_ops, build_random, glu_tensor
from nncalc.frameworks.keras.sizes import taking_unknown_sizes
from nncalc.frameworks.keras.tensor import KerasTensor, in_layer_call
from nncalc.layers.activation import ACTIVATIONS, check_activation

ALIASES = {
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
    "MaxPool1D": "MaxPooling1D", "MaxPool2D": "MaxPooling2D", "MaxPool3D": "MaxPooling3D",
    "AvgPool1D": "AveragePooling1D", "AvgPool2D": "AveragePooling2D", "AvgPool3D": "AveragePooling3D",
    "GlobalAvgPool1D": "GlobalAveragePooling1D", "GlobalAvgPool2D": "GlobalAveragePooling2D",
    "GlobalAvgPool3D": "GlobalAveragePooling3D", "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D", "GlobalMaxPool3D": "GlobalMaxPooling3D",
    "SeparableConvolution1D": "SeparableConv1D", "SeparableConvolution2D": "SeparableConv2D",
    "Convolution1DTranspose": "Conv1DTranspose", "Convolution2DTranspose": "Conv2DTranspose",
    "Convolution3DTranspose": "Conv3DTranspose", "GroupQueryAttention": "GroupedQueryAttention",
}

ACTIVATION_OPERATIONS = {"relu": "ReLU", "exponential": "Exp", "swish": "Silu"}
"""The operation Keras 3 records for ``keras.activations.NAME(x)`` in functional code, where not ``Name``."""

TF_DTYPES = frozenset(
    "float16 float32 float64 bfloat16 half double int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool string "
    "complex64 complex128".split()
)


class Namespace(CommonNamespace):
    """A read-only Keras module: fixed ``members``, then ``fallback(qualname, name)`` for the other real names
    in ``known``."""

    error = KerasAttributeError
    read_only = "cannot assign to {owner}.{attr}: nncalc's {owner} is read-only"
    cutoff = 0.6


class Opaque:
    """A harmless stand-in (an optimizer, a loss, a callback…): calling it or reading its attributes gives
    more stand-ins; it never affects shapes or parameters."""

    def __init__(self, qualname: str):
        object.__setattr__(self, "_qualname", qualname)

    def __call__(self, *args, **kwargs):
        return Opaque(f"{self._qualname}(...)")

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return Opaque(f"{self._qualname}.{name}")

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<{self._qualname} (placeholder)>"


class Auxiliary:
    """Base of placeholder classes (``keras.optimizers.Adam``, ``keras.losses.Loss``, ``keras.callbacks.Callback``):
    instances accept any arguments and do nothing; user code may subclass them."""

    __nncalc_subclassable__ = True
    _qualname = "keras.Auxiliary"

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return Opaque(f"{type(self)._qualname}.{name}")

    def __repr__(self) -> str:
        return f"<{type(self)._qualname} (placeholder)>"


class ActivationFunction:
    """``keras.activations.relu`` and friends: usable as ``activation=``; applied to a tensor inside a layer's
    ``call`` it keeps the shape; applied in functional code it is an operation node of the graph (``Relu``…),
    as in Keras 3."""

    def __init__(self, name: str, qualname: str):
        self.name = name
        self._qualname = qualname

    def __call__(self, *args, **kwargs):
        if args and isinstance(args[0], KerasTensor) and in_layer_call():
            if self.name == "glu":
                return glu_tensor(*args, **kwargs)
            return KerasTensor(args[0].shape, args[0].dtype)
        if args and isinstance(args[0], KerasTensor):  # functional code: an operation node, as in Keras 3
            if self.name == "linear":
                return args[0]
            if self.name in ("hard_silu", "hard_swish", "mish", "sparsemax"):
                raise KerasValueError(f"{self._qualname} cannot take a symbolic tensor in Keras 3 (it is not an "
                                      "operation there)", hint=f"use keras.layers.Activation('{self.name}')")
            kind = ACTIVATION_OPERATIONS.get(self.name) or operation_kind(self.name)
            return run_operation(kind, self, args, kwargs, what=self._qualname)
        return Opaque(f"{self._qualname}(...)")

    def __repr__(self) -> str:
        return f"<function {self._qualname}>"


def opaque(qualname: str, name: str):
    """A placeholder class for a capitalised name (subclassable), a placeholder callable otherwise."""
    if name[:1].isupper():
        return type(name, (Auxiliary,), {"_qualname": qualname, "__module__": __name__})
    return Opaque(qualname)


def unsupported(qualname: str, name: str = "") -> NoRule:
    """A real Keras name without a rule; a layer that is no model operation says why."""
    layer = qualname.startswith("keras.layers.")
    return NoRule(qualname, names.NOT_MODEL_LAYERS.get(name) if layer else None,
                  builds=qualname.startswith(("keras.layers.", "keras.applications.")))


def register_keras_serializable(package="Custom", name=None):
    """``@keras.saving.register_keras_serializable(...)``: registration only matters for saving; the class
    stays the class."""
    if isinstance(package, type):  # written without parentheses
        return package
    return lambda obj: obj


EXPERIMENTAL_PREPROCESSING = frozenset(
    """
    CategoryEncoding CenterCrop Discretization HashedCrossing Hashing IntegerLookup Normalization RandomContrast
    RandomCrop RandomFlip RandomHeight RandomRotation RandomTranslation RandomWidth RandomZoom Rescaling Resizing
    StringLookup TextVectorization
    """.split()
)
"""``tf.keras.layers.experimental.preprocessing`` of TensorFlow 2.3–2.15: the same layers ``keras.layers`` has
now (old files, and keras-io examples of those years, still import them from there)."""


def _experimental(layers: Namespace) -> Namespace:
    """``keras.layers.experimental`` and its ``preprocessing``: Keras 2's names for layers ``keras.layers``
    holds now."""
    preprocessing = Namespace("keras.layers.experimental.preprocessing", {}, EXPERIMENTAL_PREPROCESSING,
                              lambda qualname, name: getattr(layers, name))
    return Namespace("keras.layers.experimental", {"preprocessing": preprocessing}, {"EinsumDense"},
                     lambda qualname, name: getattr(layers, name))


class SnippetNames(dict):
    """A snippet's names (a file that imports nothing): those bound at once, and any other class of
    ``keras.layers``, made on first use (:meth:`lazy`) so its family is imported only then."""

    def __init__(self, layers: Namespace):
        super().__init__()
        self._layers = layers

    def lazy(self, name: str):
        """The ``keras.layers`` class ``name`` of a snippet, or None."""
        if name[:1].isupper() and name in names.LAYERS:
            return getattr(self._layers, name)
        return None

    def __contains__(self, name) -> bool:
        return dict.__contains__(self, name) or (isinstance(name, str) and self.lazy(name) is not None)

    def __missing__(self, name):
        value = self.lazy(name) if isinstance(name, str) else None
        if value is None:
            raise KeyError(name)
        return value


def _layer_classes(classes: dict) -> dict:
    """``keras.layers``' classes among a session's ``classes`` (those loaded so far), aliases included."""
    members = {name: cls for name, cls in classes.items()
               if name not in ("Model", "Functional", "Sequential", "Operation", "GroupedQueryAttention")}
    members.update({alias: dict.__getitem__(classes, target) for alias, target in ALIASES.items()
                    if dict.__contains__(classes, target)})
    return members


def build_modules(state, classes: dict, input_fn) -> tuple[dict, dict]:
    """This session's import table (``keras``, ``keras.layers``, ``tensorflow.keras``…) and snippet names."""
    layer_members = _layer_classes(classes)
    layer_members.update(merge.functional_forms(classes))
    layer_members["Input"] = input_fn
    layer_members["InputSpec"] = opaque("keras.layers.InputSpec", "InputSpec")  # custom layers set input_spec
    layers = Namespace("keras.layers", layer_members, names.LAYERS | names.LEGACY_LAYERS, unsupported,
                       more=lambda: _layer_classes(classes.load_families()))
    layers.__dict__["experimental"] = _experimental(layers)
    load_model = outcome_function("keras.models.load_model", "a model saved in a file, which nncalc never reads")
    models = Namespace("keras.models", {"Model": classes["Model"], "Sequential": classes["Sequential"],
                                        "save_model": Opaque("keras.models.save_model"), "load_model": load_model},
                       names.MODELS, unsupported)
    activations = Namespace(
        "keras.activations",
        {name: ActivationFunction(name, f"keras.activations.{name}") for name in ACTIVATIONS},
        names.ACTIVATIONS, opaque,
    )
    activations.__dict__["get"] = lambda identifier: _activation_get(identifier, activations)
    settings = _settings(state)
    ops_members = build_ops(state)
    base_ops = ops_members.pop(ON_DEMAND)
    ops_members = taking_unknown_sizes(ops_members)
    random_members = taking_unknown_sizes(build_random())
    ops_members.setdefault("image", Namespace("keras.ops.image", taking_unknown_sizes(
        {"extract_patches": patches.patches}), names.OPS_IMAGE, unsupported))
    sub = {
        "layers": layers,
        "models": models,
        "activations": activations,
        "backend": Namespace("keras.backend", settings, names.BACKEND | {"int_shape"}, opaque),
        "config": Namespace("keras.config", settings, names.CONFIG, opaque),
        "utils": Namespace("keras.utils", {"clear_session": settings["clear_session"],
                                           "plot_model": Opaque("keras.utils.plot_model"),
                                           "register_keras_serializable": register_keras_serializable,
                                           "to_categorical": datasets.to_categorical,
                                           "pad_sequences": datasets.pad_sequences},
                           names.UTILS, unknown_value),
        "ops": Namespace("keras.ops", ops_members, names.OPS, unsupported,
                         more=lambda: taking_unknown_sizes(build_family_ops(state, base_ops))),
    }
    for part in ("nn", "numpy", "linalg"):  # keras.ops.nn.relu, keras.ops.numpy.reshape: the same ops
        sub["ops"].__dict__[part] = sub["ops"]
    for name in ("optimizers", "losses", "metrics", "callbacks", "regularizers", "initializers", "constraints",
                 "mixed_precision", "saving"):
        sub[name] = Namespace(f"keras.{name}", {}, getattr(names, name.upper()), opaque)
    sub["saving"].__dict__["register_keras_serializable"] = register_keras_serializable
    sub["saving"].__dict__["load_model"] = load_model
    sub["random"] = Namespace("keras.random", random_members, names.RANDOM, unknown_value)
    sub["preprocessing"] = Namespace("keras.preprocessing", {}, names.PREPROCESSING, unknown_value)
    sub["datasets"] = Namespace("keras.datasets", {name: _dataset(name) for name in names.DATASETS})
    from nncalc.frameworks.keras.applications import applications_modules

    zoo = applications_modules(sub, settings, classes)
    sub["applications"] = zoo["keras.applications"]
    top = dict(sub)
    top.update(Model=classes["Model"], Sequential=classes["Sequential"], Layer=classes["Layer"], Input=input_fn,
               KerasTensor=KerasTensor, InputSpec=layers.InputSpec)
    keras = Namespace("keras", top, names.KERAS, opaque)
    tf_ops = _tf_ops()
    tf_parts = {part: _OpenNamespace(f"tensorflow.{part}", {}, more=lambda part=part: tf_ops()[f"tensorflow.{part}"])
                for part in ("math", "nn", "random", "linalg", "image", "signal")}
    tf_members = {"keras": keras, **tf_parts, "newaxis": None, **{d: _tf_dtype(d) for d in TF_DTYPES}}
    tensorflow = _OpenNamespace("tensorflow", tf_members, more=lambda: tf_ops()["tensorflow"])
    modules = {"keras": keras, "tensorflow": tensorflow, "tensorflow.keras": keras}
    modules.update({f"tensorflow.{name}": part for name, part in tf_parts.items()})
    for name, namespace in sub.items():
        modules[f"keras.{name}"] = namespace
        modules[f"tensorflow.keras.{name}"] = namespace
    for part in ("nn", "numpy", "linalg", "image"):  # import keras.ops.numpy as knp
        modules[f"keras.ops.{part}"] = getattr(sub["ops"], part)
    experimental = layers.experimental
    for prefix in ("keras", "tensorflow.keras"):
        modules[f"{prefix}.layers.experimental"] = experimental
        modules[f"{prefix}.layers.experimental.preprocessing"] = experimental.preprocessing
    for name, module in zoo.items():
        modules[name] = module
        if name.startswith("keras.applications."):
            modules[f"tensorflow.{name}"] = module
    snippet = SnippetNames(layers)
    snippet.update(keras=keras, layers=layers, models=models, tf=tensorflow, Sequential=classes["Sequential"],
                   Model=classes["Model"], Input=input_fn)
    for name in sorted(names.LAYERS):  # the others on first use (KerasSession.snippet_more)
        if name[:1].isupper() and name in layers.__dict__:
            snippet.setdefault(name, layers.__dict__[name])
    snippet.update(merge.functional_forms(classes))  # real Keras's snippet globals have them too
    return modules, snippet


def _tf_ops():
    """The ``tf.*`` ops (:mod:`nncalc.frameworks.keras.tf_ops`), by namespace, built on first use: a file that does
    not use them does not import them."""
    built: list = []

    def ops() -> dict:
        if not built:
            from nncalc.frameworks.keras.tf_ops import build_tf

            activations = {n: ActivationFunction(n, f"tensorflow.nn.{n}") for n in ACTIVATIONS}
            built.append({name: taking_unknown_sizes(members)
                          for name, members in build_tf(unknown_value, activations).items()})
        return built[0]

    return ops


class _OpenNamespace(Namespace):
    """``tensorflow`` and its parts: its ``keras``, the ``tf.*`` ops (``more``, made on first use) and dtypes;
    any other name is an unknown value."""

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        self._load_more()
        if name in self.__dict__:
            return self.__dict__[name]
        return unknown_value(f"{self._name}.{name}")


def _dataset(name: str) -> Namespace:
    """``keras.datasets.mnist``: ``load_data()`` gives ``(x_train, y_train), (x_test, y_test)`` as arrays of
    known shape and unknown values (:mod:`nncalc.frameworks.datasets`); the data itself never matters to the
    structure."""
    qualname = f"keras.datasets.{name}"

    def load_data(*args, **kwargs):
        if name in datasets.KERAS:
            return datasets.keras_load_data(name, kwargs)
        part = f"{qualname}.load_data()"
        return ((unknown_value(f"{part}[0][0]"), unknown_value(f"{part}[0][1]")),
                (unknown_value(f"{part}[1][0]"), unknown_value(f"{part}[1][1]")))

    return Namespace(qualname, {"load_data": load_data}, {"get_word_index"}, unknown_value)


def _tf_dtype(name: str) -> str:
    return {"half": "float16", "double": "float64"}.get(name, name)


def _activation_get(identifier, activations: Namespace):
    name = check_activation(identifier)
    return getattr(activations, name) if isinstance(identifier, str) else identifier


def _settings(state) -> dict:
    """``keras.config`` / ``keras.backend`` functions that change what nncalc computes."""

    def image_data_format() -> str:
        return state.image_data_format

    def set_image_data_format(data_format) -> None:
        if data_format not in ("channels_last", "channels_first"):
            from nncalc.frameworks.keras.errors import KerasValueError

            raise KerasValueError(f"The `data_format` argument must be one of {{'channels_first', 'channels_last'}}. "
                                  f"Received: data_format={data_format!r}")
        state.image_data_format = data_format

    def floatx() -> str:
        return state.floatx

    def set_floatx(value) -> None:
        state.floatx = str(value)

    def clear_session(*args, **kwargs) -> None:
        state.uids.clear()  # Keras restarts layer names (dense, dense_1…) after clear_session()

    def int_shape(tensor):
        return tensor.shape if isinstance(tensor, KerasTensor) else Opaque("keras.backend.int_shape(...)")

    def is_keras_tensor(value) -> bool:
        return isinstance(value, KerasTensor)

    return {
        "image_data_format": image_data_format, "set_image_data_format": set_image_data_format, "floatx": floatx,
        "set_floatx": set_floatx, "clear_session": clear_session, "int_shape": int_shape,
        "is_keras_tensor": is_keras_tensor, "get_uid": state.get_uid, "epsilon": lambda: 1e-7,
        "backend": lambda: "nncalc",
    }
