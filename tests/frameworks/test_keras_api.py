"""nncalc's symbolic Keras layers against REAL Keras 3 (torch backend), one row per layer configuration.

Each row builds ``Sequential([Input(shape), Layer(*args, **kwargs)])`` twice: with real Keras, reading
``count_params()``, the trainable / non-trainable split, ``output_shape`` and the weights' names and shapes;
and with nncalc's symbolic API, traced into a graph. Both must agree exactly.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402  (the oracle: tests only)
import pytest  # noqa: E402

from nncalc.frameworks.keras import new_session  # noqa: E402
from keras_rows import (  # noqa: E402
    MERGE_ROWS, ROWS, SEQUENCE_ROWS, Inner, merge_summary as _merge_summary, nncalc_layer_facts as _nncalc,
    real_layer_facts as _real, sequence_summary as _sequence_summary,
)


@pytest.mark.parametrize("layer, args, kwargs, shape, dtype", ROWS)
def test_layer_matches_real_keras(layer, args, kwargs, shape, dtype):
    expected = _real(layer, args, kwargs, shape, dtype)
    got = _nncalc(layer, args, kwargs, shape, dtype)
    assert got["output_shape"] == expected["output_shape"]
    assert got["output_dtype"] == expected["output_dtype"]
    assert got["call_output"] == expected["output_shape"]
    assert got["model_output_shape"] == expected["output_shape"]
    assert got["weights"] == expected["weights"]
    assert (got["layer"], got["model"]) == (expected["layer"], expected["model"])
    assert got["params"] == got["count_params"] == expected["params"]
    assert (got["trainable"], got["non_trainable"]) == (expected["trainable"], expected["non_trainable"])
    if expected["params"]:
        assert got["formula"] is not None and got["formula"].value == expected["params"]
    else:
        assert got["formula"] is None


def test_table_covers_every_supported_layer():
    def inner_names(values) -> set:
        names = set()
        for value in values:
            if isinstance(value, Inner):
                names |= {value.layer} | inner_names(value.args)
            elif isinstance(value, (list, tuple)):
                names |= inner_names(value)
        return names

    params = ROWS + MERGE_ROWS + SEQUENCE_ROWS + TENSORFLOW_ONLY
    covered = {param.values[0] for param in params} | inner_names([param.values[1] for param in params])
    covered |= {"Equalization"}  # refused as Keras refuses it: test_equalization_is_refused_as_keras_refuses_it
    covered |= {"Wrapper"}  # a base class, subclassed in test_keras_operations.py
    covered |= {"TorchModuleWrapper"}  # wraps a torch module: tests/scripts/keras_torch_modules.py, coverage recipes
    session = new_session()
    supported = {
        name for name in dir(session.keras.layers)
        if isinstance(getattr(session.keras.layers, name), type) and name not in ("Layer", "InputLayer")
        and name in session.state.classes
    }
    assert supported <= covered, sorted(supported - covered)
    assert len(ROWS) >= 40


def test_every_keras_layer_class_has_a_rule_or_a_reason():
    """Every class of the installed Keras's ``keras.layers`` is a layer nncalc has a rule for (checked by the
    rows above), or is listed with the reason it is not a model operation; a class a new Keras adds fails here."""
    import inspect

    from nncalc.frameworks.keras.names import NOT_MODEL_LAYERS
    from nncalc.frameworks.keras.namespaces import ALIASES

    session = new_session()
    real = {name for name in dir(keras.layers) if inspect.isclass(getattr(keras.layers, name))}
    ruled = {name for name in real if ALIASES.get(name, name) in session.state.classes}
    assert sorted(real - ruled - set(NOT_MODEL_LAYERS)) == []
    assert set(NOT_MODEL_LAYERS) <= real and not set(NOT_MODEL_LAYERS) & ruled


def test_equalization_is_refused_as_keras_refuses_it():
    from nncalc.errors import ShapeError

    keras.backend.clear_session()
    with pytest.raises(ValueError, match="part of a cycle"):
        keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Equalization()])
    k = new_session().keras
    with pytest.raises(ShapeError, match="part of a cycle"):
        k.Sequential([k.Input((8, 8, 3)), k.layers.Equalization()])
    # a call on a tensor is fine in both (a subclassed model's call: the coverage recipe); a functional model is not
    for framework, error in ((keras, ValueError), (k, ShapeError)):
        inputs = framework.Input((8, 8, 3))
        outputs = framework.layers.Equalization()(inputs)
        assert tuple(outputs.shape) == (None, 8, 8, 3)
        with pytest.raises(error, match="part of a cycle"):
            framework.Model(inputs, outputs)


@pytest.mark.parametrize("layer, args, kwargs, shapes", MERGE_ROWS)
def test_merge_layer_matches_real_keras(layer, args, kwargs, shapes):
    keras.backend.clear_session()
    expected = _merge_summary(keras, layer, args, kwargs, shapes)
    session = new_session()
    got = _merge_summary(session.keras, layer, args, kwargs, shapes)
    assert got == expected


@pytest.mark.parametrize("layer, args, kwargs, shapes, call", SEQUENCE_ROWS)
def test_sequence_layer_matches_real_keras(layer, args, kwargs, shapes, call):
    keras.backend.clear_session()
    expected = _sequence_summary(keras, layer, args, kwargs, shapes, call)
    session = new_session()
    got = _sequence_summary(session.keras, layer, args, kwargs, shapes, call)
    assert got == expected


def test_recurrent_macs_per_step():
    """MACs of a recurrent layer: steps × gates × H·(I + H)."""
    from nncalc.layers.recurrent import RecurrentSpec, recurrent_macs, recurrent_params, recurrent_params_formula

    assert recurrent_macs(RecurrentSpec("lstm", 32, 64), 10) == 10 * 4 * 64 * (32 + 64) == 245_760
    assert recurrent_macs(RecurrentSpec("gru", 32, 64), 10) == 184_320
    keras_lstm, torch_lstm = RecurrentSpec("lstm", 32, 64, biases=1), RecurrentSpec("lstm", 32, 64, biases=2)
    assert recurrent_params_formula(keras_lstm).symbols() == "4 × (H × (I + H) + H)"
    assert recurrent_params_formula(torch_lstm).symbols() == "4 × (H × (I + H) + 2 × H)"
    assert (recurrent_params(keras_lstm), recurrent_params(torch_lstm)) == (24_832, 25_088)
    session = new_session()
    k = session.keras
    inputs = k.Input((10, 32))
    model = k.Model(inputs, [k.layers.LSTM(64)(inputs), k.layers.GRU(64)(inputs)])
    graph = session.trace(model, None, None, None)
    assert [c.macs for c in graph.calls] == [245_760, 184_320]


def test_conv_lstm_macs_per_step():
    """Both gate convolutions at every output position of every step: T × (H' × W') × 4F × k_h × k_w × (C + F)."""
    session = new_session()
    k = session.keras
    inputs = k.Input((5, 8, 8, 2))
    model = k.Model(inputs, k.layers.ConvLSTM2D(4, 3)(inputs))
    graph = session.trace(model, None, None, None)
    assert [c.macs for c in graph.calls] == [5 * 6 * 6 * 4 * 4 * 3 * 3 * (2 + 4)]


# StringLookup, IntegerLookup, TextVectorization and Hashing need TensorFlow to be constructed (their tables are
# tf.lookup objects), which the test environment lacks; their shapes come from Keras's own compute_output_spec,
# run on a stand-in `self` holding the attributes the real constructor would set.
def tf_row(layer, *args, shape, input_dtype, attributes, **kwargs):
    return pytest.param(layer, args, kwargs, shape, input_dtype, attributes,
                        id=f"{layer}{args}{kwargs or ''}@{shape}".replace(" ", ""))


def _lookup(output_mode="int", max_tokens=None, vocabulary=None, mask_token=None, num_oov_indices=1,
            pad_to_max_tokens=False) -> dict:
    from keras.src.layers.preprocessing.index_lookup import IndexLookup

    fields = {"output_mode": output_mode, "max_tokens": max_tokens, "mask_token": mask_token,
              "num_oov_indices": num_oov_indices, "pad_to_max_tokens": pad_to_max_tokens}
    start = IndexLookup._token_start_index(_Self(IndexLookup, fields, _oov_start_index=IndexLookup._oov_start_index))
    fields["_frozen_vocab_size"] = None if vocabulary is None else len(vocabulary) + start
    return fields


class _Self:
    """A stand-in ``self`` for a Keras layer's method: ``fields`` as attributes, the class's methods bound."""

    def __init__(self, cls, fields: dict, **methods):
        self.__dict__.update(fields)
        self._cls = cls
        for name, method in methods.items():
            setattr(self, name, method.__get__(self))

    def __getattr__(self, name):
        return getattr(self._cls, name).__get__(self)


TENSORFLOW_ONLY = [
    tf_row("StringLookup", vocabulary=["a", "b", "c"], shape=(4,), input_dtype="string", attributes=_lookup()),
    tf_row("StringLookup", vocabulary=["a", "b", "c"], output_mode="one_hot", shape=(1,), input_dtype="string",
           attributes=_lookup("one_hot", vocabulary=["a", "b", "c"])),
    tf_row("StringLookup", vocabulary=["a", "b"], mask_token="", output_mode="multi_hot", shape=(5,),
           input_dtype="string", attributes=_lookup("multi_hot", vocabulary=["a", "b"], mask_token="")),
    tf_row("StringLookup", max_tokens=50, pad_to_max_tokens=True, output_mode="count", shape=(5,),
           input_dtype="string", attributes=_lookup("count", max_tokens=50, pad_to_max_tokens=True)),
    tf_row("StringLookup", max_tokens=50, output_mode="multi_hot", shape=(5,), input_dtype="string",
           attributes=_lookup("multi_hot", max_tokens=50)),
    tf_row("IntegerLookup", vocabulary=[12, 36, 1138], shape=(3,), input_dtype="int64", attributes=_lookup()),
    tf_row("IntegerLookup", vocabulary=[12, 36], num_oov_indices=2, output_mode="one_hot", shape=(3,),
           input_dtype="int64", attributes=_lookup("one_hot", vocabulary=[12, 36], num_oov_indices=2)),
    tf_row("Hashing", 8, shape=(3,), input_dtype="string", attributes={"output_mode": "int", "num_bins": 8}),
    tf_row("Hashing", 8, output_mode="one_hot", shape=(1,), input_dtype="string",
           attributes={"output_mode": "one_hot", "num_bins": 8}),
    tf_row("Hashing", 8, output_mode="multi_hot", shape=(2, 3), input_dtype="int64",
           attributes={"output_mode": "multi_hot", "num_bins": 8}),
    tf_row("HashedCrossing", 8, shape=(1,), input_dtype="int64", attributes={"output_mode": "int", "num_bins": 8}),
    tf_row("HashedCrossing", 8, output_mode="one_hot", shape=(1,), input_dtype="int64",
           attributes={"output_mode": "one_hot", "num_bins": 8}),
    tf_row("HashedCrossing", 8, output_mode="one_hot", shape=(3,), input_dtype="string",
           attributes={"output_mode": "one_hot", "num_bins": 8}),
    tf_row("TextVectorization", max_tokens=100, output_sequence_length=12, shape=(1,), input_dtype="string",
           attributes={"_output_mode": "int", "_output_sequence_length": 12}),
    tf_row("TextVectorization", max_tokens=100, shape=(), input_dtype="string",
           attributes={"_output_mode": "int", "_output_sequence_length": None}),
    tf_row("TextVectorization", max_tokens=100, output_mode="multi_hot", pad_to_max_tokens=True, shape=(1,),
           input_dtype="string", attributes={"_output_mode": "multi_hot", "_split": "whitespace",
                                             "_lookup": _lookup("multi_hot", 100, pad_to_max_tokens=True)}),
    tf_row("TextVectorization", output_mode="tf_idf", vocabulary=["x", "y"], idf_weights=[0.5, 0.2], split=None,
           shape=(1,), input_dtype="string",
           attributes={"_output_mode": "tf_idf", "_split": None, "_lookup": _lookup("tf_idf", vocabulary=["x", "y"],
                                                                                  mask_token="")}),
]


def _keras_spec(layer: str, shape: tuple, dtype: str, attributes: dict):
    from keras.src.layers.preprocessing.index_lookup import IndexLookup

    cls = getattr(keras.layers, layer)
    fields = dict(attributes)
    if "_lookup" in fields:
        fields["_lookup_layer"] = _Self(IndexLookup, fields.pop("_lookup"))
    if layer == "Hashing":
        fields["dtype"] = "int64" if fields["output_mode"] == "int" else "float32"
    if layer == "HashedCrossing":  # two inputs of one shape; Keras gives the spec from compute_output_shape
        fields["compute_dtype"] = "int64" if fields["output_mode"] == "int" else "float32"
        found = cls.compute_output_shape(_Self(cls, fields), [(None, *shape), (None, *shape)])
        return tuple(found), fields["compute_dtype"]
    spec = cls.compute_output_spec(_Self(cls, fields), keras.KerasTensor((None, *shape), dtype=dtype))
    return tuple(spec.shape), spec.dtype


@pytest.mark.parametrize("layer, args, kwargs, shape, dtype, attributes", TENSORFLOW_ONLY)
def test_tensorflow_only_layer_matches_keras_shape_rule(layer, args, kwargs, shape, dtype, attributes):
    expected_shape, expected_dtype = _keras_spec(layer, shape, dtype, attributes)
    if layer == "HashedCrossing":
        session = new_session()
        k = session.keras
        inputs = [k.Input(shape, dtype=dtype), k.Input(shape, dtype=dtype)]
        output = getattr(k.layers, layer)(*args, **kwargs)(inputs)
        assert (output.shape, output.dtype) == (expected_shape, expected_dtype)
        assert k.Model(inputs, output).count_params() == 0
        return
    got = _nncalc(layer, args, kwargs, shape, dtype)
    assert (got["output_shape"], got["output_dtype"]) == (expected_shape, expected_dtype)
    assert got["params"] == 0 and got["weights"] == []


def test_lookup_vocabulary_size_follows_keras_rule():
    """A given vocabulary's size counts the special tokens as Keras's IndexLookup does (the OOV indices, the mask
    in 'int' mode); one learned by adapt() is an unknown value."""
    from nncalc.interpreter.unknown import Unknown

    k = new_session().keras
    tokens = ["a", "b", "c"]
    for mode, mask, oov in (("int", None, 1), ("int", "", 2), ("multi_hot", "", 1), ("count", None, 3)):
        expected = _lookup(mode, vocabulary=tokens, mask_token=mask, num_oov_indices=oov)["_frozen_vocab_size"]
        layer = k.layers.StringLookup(vocabulary=tokens, mask_token=mask, num_oov_indices=oov, output_mode=mode)
        assert layer.vocabulary_size() == len(layer.get_vocabulary()) == expected
    vectorizer = k.layers.TextVectorization(vocabulary=tokens)
    assert vectorizer.vocabulary_size() == _lookup("int", vocabulary=tokens, mask_token="")["_frozen_vocab_size"]
    adapted = k.layers.TextVectorization(max_tokens=100)
    adapted.adapt(["any text"])
    assert isinstance(adapted.vocabulary_size(), Unknown) and isinstance(adapted.get_vocabulary(), Unknown)
