"""The ``tf.*`` ops a ``tf.keras`` model uses in a custom layer's ``call`` (and in functional code): ``tf``,
``tf.math``, ``tf.nn``, ``tf.random``, ``tf.linalg``, ``tf.image`` and ``tf.signal``, each op a member of the
namespaces TensorFlow has it in (:mod:`~nncalc.frameworks.keras.tf_names`). The rules, with TensorFlow's argument names, defaults and dtypes, are in
the family modules beside this one: :mod:`~nncalc.frameworks.keras.tf_math`, ``tf_arrays``, ``tf_nn``,
``tf_linalg``, ``tf_random``, ``tf_image``, ``tf_signal``.

``tf.shape(x)`` gives the static sizes, ``None`` where unknown: ``tf.shape(x)[0]`` of a batch is unknown and stays
so in a ``tf.reshape``/``tf.random.normal`` shape. On values that are no Keras tensors outside a layer's call (data
arrays at module level), an op gives an unknown value: such code never shapes the model. Any other ``tf`` name
(``tf.function``, ``tf.data``, ``tf.config``…) is an unknown value too.
"""

from __future__ import annotations

import operator

from nncalc.frameworks.keras import tf_arrays, tf_image, tf_linalg, tf_math, tf_nn, tf_random, tf_signal
from nncalc.frameworks.keras.layer import flat_tensors
from nncalc.frameworks.keras.ops import functional
from nncalc.frameworks.keras.tensor import in_layer_call
from nncalc.frameworks.keras.tf_names import NAMES

NO_NODE = {"shape", "shape_n", "size", "rank", "zeros", "ones", "fill", "range", "eye", "linspace", "constant",
           "convert_to_tensor", "broadcast_static_shape", "hamming_window", "hann_window", "kaiser_window",
           "kaiser_bessel_derived_window", "vorbis_window", "linear_to_mel_weight_matrix"}
"""Ops that read static facts or make new tensors: no node of the functional graph."""
FILLED = {"zeros", "ones", "fill", "eye", "range", "linspace", "normal", "uniform", "truncated_normal"}
"""Ops that make a tensor of a given shape anywhere, as ``keras.ops.ones`` does (its values do not matter to a
shape): a layer may run one through its sublayers to learn a size (``self.call(tf.random.normal((1, size, size,
3))).shape[1]``). From plain numbers; an unknown one makes an unknown value."""


def build_tf(unknown, activations: dict) -> dict[str, dict]:
    """The members of ``tensorflow`` and of its namespaces ``tensorflow.math``, ``.nn``, ``.random``, ``.linalg``,
    ``.image`` and ``.signal``. ``activations`` (``tf.nn.relu``… usable as ``activation=``) take the place of the
    rules of the same name in ``tf.nn``."""
    rules = {**tf_math.rules(), **tf_arrays.rules(), **tf_nn.rules(), **tf_linalg.rules()}
    shared = {name: _wrapped(name, rule, unknown) for name, rule in rules.items()}
    own = {  # namespaces whose names mean other ops than the same names elsewhere (tf.image.transpose)
        "tensorflow.random": {name: _wrapped(f"random.{name}", rule, unknown, node=False)
                              for name, rule in tf_random.rules().items()},
        "tensorflow.image": {name: _wrapped(f"image.{name}", rule, unknown) for name, rule in tf_image.rules().items()},
        "tensorflow.signal": {name: _wrapped(f"signal.{name}", rule, unknown)
                              for name, rule in tf_signal.rules().items()},
    }
    members = {}
    for namespace, names in NAMES.items():
        table = own.get(namespace, shared)
        members[namespace] = {name: table[name] for name in names if name in table}
    members["tensorflow.nn"].update({name: op for name, op in activations.items() if name in NAMES["tensorflow.nn"]})
    return members


def _wrapped(name: str, rule, unknown, node: bool | None = None):
    """``rule`` as the op ``tf.<name>``: on no Keras tensor outside a layer, an unknown value; on Keras tensors in
    functional code, a node of the graph (unless the op makes no node)."""
    op = name.rpartition(".")[2]
    graph_op = functional(op, rule) if (op not in NO_NODE if node is None else node) else rule

    def run(*args, **kwargs):
        if not in_layer_call() and not flat_tensors([list(args), kwargs]) and (
                op not in FILLED or _has_unknown(args, kwargs)):
            if op in ON_NUMBERS and len(args) == 2 and not kwargs and all(_is_number(a) for a in args):
                return ON_NUMBERS[op](*args)
            return unknown(f"tensorflow.{name}(...)")
        return graph_op(*args, **kwargs)

    run.__name__ = op
    return run


ON_NUMBERS = {"equal": operator.eq, "not_equal": operator.ne, "less": operator.lt, "less_equal": operator.le,
              "greater": operator.gt, "greater_equal": operator.ge, "maximum": max, "minimum": min,
              "add": operator.add, "subtract": operator.sub, "multiply": operator.mul}
"""Ops on two plain numbers (``tf.math.equal(x.shape[-1], channels)``, a size compared while a model is built):
their value, as eager TensorFlow computes it."""


def _is_number(value) -> bool:
    return type(value) in (int, float, bool)


def _has_unknown(args, kwargs) -> bool:
    from nncalc.interpreter.unknown import Unknown

    items = [*args, *kwargs.values()]
    return any(isinstance(item, Unknown) or isinstance(item, (list, tuple)) and
               any(isinstance(inner, Unknown) for inner in item) for item in items)
