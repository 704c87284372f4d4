"""``nncalc.summary`` on live Keras models: Keras's own totals and trainable / non-trainable split, the shapes
of the built graph, nested and subclassed models, and keras.applications (built with ``weights=None``, nothing
downloaded)."""

from __future__ import annotations

import os
from math import prod

import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

import nncalc  # noqa: E402
from nncalc.errors import InputError  # noqa: E402

layers = keras.layers

APPLICATIONS = ["ResNet50", "VGG16", "MobileNetV2", "DenseNet121", "EfficientNetB0", "Xception", "InceptionV3"]


def quiet(model, **kwargs):
    return nncalc.summary(model, verbose=0, **kwargs)


def size(weights) -> int:
    return sum(prod(int(d) for d in w.shape) for w in weights)


def check_totals(model, report):
    assert report.framework == "keras"
    assert report.total_params == model.count_params()
    assert report.trainable_params == size(model.trainable_weights)
    assert report.non_trainable_params == size(model.non_trainable_weights)


@pytest.mark.parametrize("name", APPLICATIONS)
def test_keras_applications(name):
    keras.backend.clear_session()
    model = getattr(keras.applications, name)(weights=None)
    report = quiet(model)
    check_totals(model, report)
    assert report.output_shape == tuple(model.output.shape)
    assert report.total_macs is not None and report.total_macs > 0
    assert not [row.name for row in report.layers if row.is_leaf and row.params and row.formula is None]
    assert len(report.layers) == len(model.layers) - 1  # every layer but the InputLayer


def test_functional_rows_follow_model_layers():
    keras.backend.clear_session()
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(10)(x)
    model = keras.Model(inputs, outputs, name="small")
    report = quiet(model)
    check_totals(model, report)
    assert [row.name for row in report.layers] == [layer.name for layer in model.layers[1:]]
    conv = report.layers[0]
    assert conv.formula.worked().startswith("(k_h × k_w × C_in + 1) × filters = (3 × 3 × 1 + 1) × 8")
    assert conv.output_shape == (None, 26, 26, 8)
    assert conv.macs == 26 * 26 * 8 * 9
    assert report.layers[1].non_trainable_params == 16  # moving mean and variance
    assert report.model_name == "small" and report.input_shape == (None, 28, 28, 1)


def test_batch_size_fills_the_unknown_batch_and_scales_macs():
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])
    report = quiet(model, batch_size=8)
    assert report.output_shape == (8, 3)
    assert report.total_macs == 8 * 4 * 3


def test_nested_model_and_shared_layer():
    keras.backend.clear_session()
    inner = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(5), layers.Dense(4)], name="encoder")
    a, b = keras.Input(shape=(6,)), keras.Input(shape=(6,))
    shared = layers.Dense(6, name="shared")
    out = layers.Concatenate()([inner(shared(a)), inner(shared(b))])
    model = keras.Model([a, b], out)
    report = quiet(model)
    check_totals(model, report)
    names = [(row.name, row.depth, row.shared) for row in report.layers]
    assert ("encoder", 1, False) in names and ("encoder", 1, True) in names
    assert ("dense", 2, False) in names
    assert [row.shared for row in report.layers if row.name == "shared"] == [False, True]


def test_frozen_layers_are_non_trainable():
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4, name="frozen"), layers.Dense(2)])
    model.get_layer("frozen").trainable = False
    report = quiet(model)
    check_totals(model, report)
    assert report.non_trainable_params == 16


def test_unbuilt_sequential_needs_or_takes_input_size():
    keras.backend.clear_session()
    model = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    with pytest.raises(InputError, match="no input shape"):
        quiet(model)
    report = quiet(model, input_size=(None, 3))
    check_totals(model, report)
    assert report.output_shape == (None, 2)


class Block(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(units)
        self.norm = layers.BatchNormalization()

    def call(self, x):
        return self.norm(self.dense(x))


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.block = Block(16)
        self.out = layers.Dense(3)

    def call(self, x):
        return self.out(self.block(x))


def test_subclassed_model():
    keras.backend.clear_session()
    model = Net()
    report = quiet(model, input_size=(None, 8))
    check_totals(model, report)
    assert [(row.name, row.depth) for row in report.layers] == [
        ("block", 1), ("dense", 2), ("batch_normalization", 2), ("dense_1", 1)]
    assert report.layers[1].output_shape == (None, 16)
    assert report.layers[1].formula.numbers() == "(8 + 1) × 16"
    assert report.total_macs == 8 * 16 + 16 * 3
    again = quiet(model)  # built now: its input shape is known
    assert again.total_params == report.total_params and again.output_shape == (None, 3)


def test_sequence_layers_are_one_row_each_with_their_rule():
    """An LSTM's cell, a Bidirectional's two layers, a MultiHeadAttention's projections are not rows of their
    own: each layer is one row with nncalc's formula and MACs (checked by hand), its totals Keras's."""
    keras.backend.clear_session()
    inputs = keras.Input((12, 6))
    forward, backward = layers.Bidirectional(layers.GRU(5, return_sequences=True), merge_mode=None)(inputs)
    joined = layers.Concatenate()([forward, backward])
    attended = layers.MultiHeadAttention(3, 7, value_dim=5)(joined, inputs)
    steps = layers.TimeDistributed(layers.Dense(3))(attended)
    outputs = layers.LSTM(4, return_state=True)(steps)
    model = keras.Model(inputs, outputs)
    report = quiet(model)
    check_totals(model, report)
    rows = {row.name: row for row in report.layers}
    assert list(rows) == ["bidirectional", "concatenate", "multi_head_attention", "time_distributed", "lstm"]
    assert rows["bidirectional"].formula.symbols() == "2 × 3 × (H × (I + H) + 2 × H)"
    assert rows["bidirectional"].macs == 2 * 12 * 3 * 5 * (6 + 5)
    assert rows["bidirectional"].output_shapes == ((None, 12, 5), (None, 12, 5))
    projections = 12 * 10 * 3 * 7 + 12 * 6 * 3 * 7 + 12 * 6 * 3 * 5 + 12 * 3 * 5 * 10  # q, k, v, output
    assert rows["multi_head_attention"].macs == projections + 3 * 12 * 12 * (7 + 5)  # QKᵀ and AV per head
    assert rows["time_distributed"].macs == 12 * 10 * 3
    assert rows["lstm"].macs == 12 * 4 * 4 * (3 + 4)
    assert rows["lstm"].output_shapes == ((None, 4), (None, 4), (None, 4))


def test_a_users_layer_in_a_functional_model_shows_its_calls():
    class TokenAndPosition(layers.Layer):
        def __init__(self):
            super().__init__()
            self.tokens = layers.Embedding(50, 8)
            self.positions = layers.Embedding(10, 8)

        def call(self, x):
            return self.tokens(x) + self.positions(keras.ops.arange(10))

    keras.backend.clear_session()
    inputs = keras.Input((10,), dtype="int32")
    model = keras.Model(inputs, layers.Dense(2)(TokenAndPosition()(inputs)))
    report = quiet(model)
    check_totals(model, report)
    names = [(row.name, row.depth, row.called) for row in report.layers]
    assert names == [("token_and_position", 1, True), ("embedding", 2, True), ("embedding_1", 2, True),
                     ("dense", 1, True)]
    assert report.layers[1].input_shapes == ((None, 10),) and report.layers[2].input_shapes == ((10,),)


def test_a_layer_is_not_a_model():
    with pytest.raises(InputError, match="Keras layer, not a model"):
        quiet(layers.Dense(3))
