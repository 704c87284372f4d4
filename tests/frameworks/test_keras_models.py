"""Keras models in nncalc's symbolic API: the seed, names, layer order, Sequential build cases, functional and
subclassed models, shared layers, traced graphs. Where a behaviour is Keras's, the same scenario runs on REAL
Keras 3 (after ``clear_session()``, so names start afresh as in a new process) and on nncalc, and must agree.
"""

from __future__ import annotations

import os
from math import prod

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402  (the oracle: tests only)
import pytest  # noqa: E402

from nncalc.errors import InputError  # noqa: E402
from nncalc.frameworks.keras import new_session  # noqa: E402
from nncalc.frameworks.keras.errors import KerasAttributeError, KerasValueError  # noqa: E402
from nncalc.interpreter import Unknown  # noqa: E402
from nncalc.report import build_report  # noqa: E402


def both(scenario):
    """The scenario's result on real Keras (fresh names) and on a fresh nncalc session."""
    keras.backend.clear_session()
    return scenario(keras), scenario(new_session().keras)


def summary(model) -> dict:
    return {
        "name": model.name,
        "layers": [layer.name for layer in model.layers],
        "types": [type(layer).__name__ for layer in model.layers],
        "params": model.count_params(),
        "trainable": sum(prod(w.shape) for w in model.trainable_weights),
        "output_shape": model.output_shape,
    }


def seed(k):
    return k.Sequential([
        k.layers.Conv2D(filters=8, kernel_size=(3, 3), strides=(1, 1), padding="valid", activation="relu",
                        input_shape=(32, 32, 3)),
        k.layers.Conv2D(filters=16, kernel_size=(3, 3), strides=(1, 1), padding="valid", activation="relu"),
        k.layers.MaxPooling2D(pool_size=(2, 2), strides=(2, 2)),
        k.layers.Flatten(),
        k.layers.Dense(128, activation="relu"),
        k.layers.Dense(10, activation="softmax"),
    ])


def test_seed_by_hand_numbers():
    session = new_session()
    graph = session.trace(seed(session.keras), None, None, None)
    report = build_report(graph)
    rows = [(r.name, r.type, r.output_shape, r.params) for r in report.layers]
    assert rows == [
        ("conv2d", "Conv2D", (None, 30, 30, 8), 224),
        ("conv2d_1", "Conv2D", (None, 28, 28, 16), 1168),
        ("max_pooling2d", "MaxPooling2D", (None, 14, 14, 16), 0),
        ("flatten", "Flatten", (None, 3136), 0),
        ("dense", "Dense", (None, 128), 401536),
        ("dense_1", "Dense", (None, 10), 1290),
    ]
    assert (report.total_params, report.trainable_params, report.non_trainable_params) == (404218, 404218, 0)
    assert graph.root.type == "Sequential" and graph.model_name == "sequential"
    assert graph.root.children[0].params_formula.worked().endswith("= 28 × 8 = 224")
    assert graph.root.children[4].params_formula.symbols() == "(inputs + 1) × outputs"
    assert graph.input_shapes == [(None, 32, 32, 3)] and graph.output_shapes == [(None, 10)]


def test_seed_matches_real_keras():
    real, ours = both(lambda k: summary(seed(k)))
    assert ours == real


def test_names_follow_keras_counters():
    def scenario(k):
        layers = k.layers
        first = k.Sequential([layers.Conv2D(8, 3, input_shape=(8, 8, 3)), layers.Conv2D(8, 3), layers.Flatten(),
                              layers.Dense(4)])
        inp = k.Input((16,))
        x = layers.Dense(8)(inp)
        x = layers.BatchNormalization()(x)
        out = layers.Dense(2, name="out")(x)
        functional = k.Model(inp, out)
        added = k.Sequential()
        added.add(k.Input((4,)))
        added.add(layers.Dense(3))
        added.add(layers.Dense(3))
        named = k.Model(inputs=inp, outputs=out, name="custom")
        unbuilt = k.Sequential([layers.MaxPooling2D(), layers.GlobalMaxPooling2D()])
        again = k.models.Model(inp, out)
        late = [layers.Dense(1).name, layers.Conv2D(1, 1).name, layers.BatchNormalization().name]
        models = (first, functional, added, named, again)
        return [summary(m) for m in models], unbuilt.name, [l.name for l in unbuilt.layers], late

    real, ours = both(scenario)
    assert ours == real


def test_functional_layer_order_and_shared_layers():
    def scenario(k):
        layers = k.layers
        x = k.Input((8,), name="x")
        d1, d2, d3 = layers.Dense(4, name="d1"), layers.Dense(4, name="d2"), layers.Dense(4, name="d3")
        h = d1(x)
        o1, o2 = d2(h), d3(x)
        shared = layers.Dense(8, name="shared")
        y = shared(layers.Dense(8, name="mid")(shared(x)))
        return [summary(k.Model(x, [o1, o2])), summary(k.Model(x, [o2, o1])), summary(k.Model(x, y))]

    real, ours = both(scenario)
    assert ours == real


def test_functional_calls_run_depth_by_depth_as_keras():
    session = new_session()
    k = session.keras
    x = k.Input((8,), name="x")
    d1, d2, d3 = k.layers.Dense(4, name="d1"), k.layers.Dense(4, name="d2"), k.layers.Dense(4, name="d3")
    h = d1(x)
    o1, o2 = d2(h), d3(x)
    graph = session.trace(k.Model(x, [o2, o1]), None, None, None)
    assert [c.name for c in graph.root.children] == ["d1", "d3", "d2"]  # Keras's model.layers and summary
    assert [c.node.name for c in graph.calls] == ["d1", "d3", "d2"]
    assert graph.output_shapes == [(None, 4), (None, 4)]


def test_shared_layer_is_one_node_with_two_calls():
    session = new_session()
    k = session.keras
    inp = k.Input((8,))
    shared = k.layers.Dense(8)
    out = shared(k.layers.Dense(8)(shared(inp)))
    graph = session.trace(k.Model(inp, out), None, None, None)
    names = [c.name for c in graph.root.children]
    assert names == ["dense", "dense_1"]
    assert [c.node.name for c in graph.calls] == ["dense", "dense_1", "dense"]
    assert len(graph.root.children[0].calls) == 2
    report = build_report(graph)
    assert report.total_params == 2 * (8 * 8 + 8)
    assert [r.shared for r in report.layers] == [False, False, True]
    assert report.total_macs == 3 * 64


def test_nested_sequential_inside_functional():
    def scenario(k):
        block = k.Sequential([k.layers.Dense(6, activation="relu"), k.layers.Dense(3)], name="block")
        inp = k.Input((5,))
        out = k.layers.Dense(2)(block(inp))
        return summary(k.Model(inp, out)), [l.name for l in block.layers], block.count_params()

    real, ours = both(scenario)
    assert ours == real
    session = new_session()
    k = session.keras
    block = k.Sequential([k.layers.Dense(6), k.layers.Dense(3)], name="block")
    inp = k.Input((5,))
    graph = session.trace(k.Model(inp, k.layers.Dense(2)(block(inp))), None, None, None)
    assert [c.name for c in graph.root.children] == ["block", "dense_2"]
    assert [c.name for c in graph.root.children[0].children] == ["dense", "dense_1"]
    assert [(c.node.name, c.parent.node.name if c.parent else None) for c in graph.calls] == [
        ("block", None), ("dense", "block"), ("dense_1", "block"), ("dense_2", None)]
    assert build_report(graph).total_params == (5 * 6 + 6) + (6 * 3 + 3) + (3 * 2 + 2)


def test_sequential_with_input_first_and_add():
    def scenario(k):
        model = k.Sequential([k.Input(shape=(28, 28, 1)), k.layers.Conv2D(4, 3), k.layers.Flatten()])
        model.add(k.layers.Dense(10))
        return summary(model), model.input_shape

    real, ours = both(scenario)
    assert ours == real


def test_unbuilt_sequential_is_built_by_trace():
    session = new_session()
    k = session.keras
    model = k.Sequential([k.layers.Conv2D(8, 3), k.layers.Flatten(), k.layers.Dense(2)])
    with pytest.raises(KerasAttributeError, match="no defined output shape"):
        model.output_shape
    with pytest.raises(KerasValueError, match="isn't built"):
        model.count_params()
    with pytest.raises(InputError) as info:
        session.trace(model, None, None, None)
    assert str(info.value) == (
        "this Sequential model has no input shape; add keras.Input(shape=(...)) as its first layer or pass "
        "--input-shape"
    )
    graph = session.trace(model, [(10, 10, 3)], None, None)
    assert [c.output_shapes[0] for c in graph.calls] == [(None, 8, 8, 8), (None, 512), (None, 2)]
    assert [c.name for c in graph.root.children] == ["conv2d", "flatten", "dense"]
    assert "from --input-shape" in graph.notes[0]

    def scenario(k):
        model = k.Sequential([k.layers.Conv2D(8, 3), k.layers.Flatten(), k.layers.Dense(2)])
        model.build((None, 10, 10, 3))
        return summary(model)

    real, ours = both(scenario)
    assert ours == real


def test_built_model_and_other_input_shape_is_an_error():
    session = new_session()
    model = seed(session.keras)
    assert session.trace(model, [(32, 32, 3)], None, None).output_shapes == [(None, 10)]
    with pytest.raises(InputError, match=r"already has input shape \(32, 32, 3\)"):
        session.trace(model, [(64, 64, 3)], None, None)


def test_input_shape_fills_unknown_sizes():
    session = new_session()
    k = session.keras
    inp = k.Input((None, 3))
    model = k.Model(inp, k.layers.GlobalMaxPooling1D()(k.layers.Conv1D(8, 5)(inp)))
    unknown = session.trace(model, None, None, None)
    assert unknown.calls[0].output_shapes == [(None, None, 8)]
    graph = session.trace(model, [(100, 3)], None, None)
    assert graph.input_shapes == [(None, 100, 3)]
    assert [c.output_shapes[0] for c in graph.calls] == [(None, 96, 8), (None, 8)]
    assert graph.calls[0].macs == 96 * 8 * 5 * 3
    assert [c.name for c in graph.root.children] == ["conv1d", "global_max_pooling1d"]
    assert build_report(graph).total_params == 5 * 3 * 8 + 8
    with pytest.raises(InputError, match=r"already has input shape \(None, 3\)"):
        session.trace(model, [(100, 4)], None, None)


def test_batch_fills_shapes_and_scales_macs():
    session = new_session()
    model = seed(session.keras)
    unbatched = build_report(session.trace(model, None, None, None))
    graph = session.trace(model, None, 4, None)
    report = build_report(graph)
    assert graph.input_shapes == [(4, 32, 32, 3)]
    assert report.layers[0].output_shape == (4, 30, 30, 8)
    assert report.total_macs == 4 * unbatched.total_macs
    assert unbatched.layers[0].macs == 30 * 30 * 8 * 3 * 3 * 3


def test_subclassed_model():
    def define(k):
        class MyNet(k.Model):
            def __init__(self):
                super().__init__()
                self.conv = k.layers.Conv2D(4, 3)
                self.pool = k.layers.GlobalAveragePooling2D()
                self.head = k.layers.Dense(2)

            def call(self, x):
                return self.head(self.pool(self.conv(x)))

        return MyNet

    keras.backend.clear_session()
    real = define(keras)()
    real(keras.ops.zeros((1, 8, 8, 3)))
    session = new_session()
    cls = define(session.keras)
    assert session.is_model_class(cls) and not session.is_model_class(session.keras.Model)
    model = cls()
    graph = session.trace(model, [(8, 8, 3)], None, None)
    assert graph.root.type == "MyNet" and graph.model_name == real.name == "my_net"
    assert [c.name for c in graph.root.children] == [l.name for l in real.layers]
    assert [c.node.name for c in graph.calls] == ["conv2d", "global_average_pooling2d", "dense"]
    assert build_report(graph).total_params == real.count_params() == (27 * 4 + 4) + (4 * 2 + 2)
    assert graph.output_shapes == [(None, 2)]
    with pytest.raises(InputError, match="no input shape"):
        session.trace(cls(), None, None, None)
    built = cls()
    built.build((None, 6, 6, 3))
    assert session.trace(built, None, None, None).output_shapes == [(None, 2)]


def test_custom_layer_with_add_weight():
    def scenario(k):
        class Block(k.layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.inner = k.layers.Dense(units)

            def build(self, input_shape):
                self.scale = self.add_weight(shape=(self.units,), name="scale")

            def call(self, x):
                return self.inner(x)

        inp = k.Input((5,))
        block = Block(3)
        model = k.Model(inp, block(inp))
        return summary(model), [w.name for w in block.weights], block.name

    real, ours = both(scenario)
    assert ours == real


def test_trainable_flags_follow_keras():
    def scenario(k):
        base = k.Sequential([k.Input((4,)), k.layers.Dense(8), k.layers.BatchNormalization()], name="base")
        base.trainable = False
        inp = k.Input((4,))
        model = k.Model(inp, k.layers.Dense(2)(base(inp)))
        frozen = k.layers.Dense(3, trainable=False)
        other = k.Sequential([k.Input((2,)), frozen])
        return summary(model), summary(other)

    real, ours = both(scenario)
    assert ours == real
    session = new_session()
    k = session.keras
    model = k.Sequential([k.Input((4,)), k.layers.Dense(8), k.layers.BatchNormalization()])
    model.layers[0].trainable = False
    report = build_report(session.trace(model, None, None, None))
    assert (report.trainable_params, report.non_trainable_params) == (16, 40 + 16)


def test_training_calls_are_no_ops_and_placeholders_are_auxiliary():
    session = new_session()
    k = session.keras
    model = seed(k)
    optimizer = k.optimizers.Adam(1e-3)
    loss = k.losses.SparseCategoricalCrossentropy(from_logits=True)
    assert model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy", k.metrics.Precision()]) is None
    callbacks = [k.callbacks.EarlyStopping(patience=3)]
    history = model.fit(None, None, epochs=3, callbacks=callbacks)
    assert isinstance(history, Unknown) and "a result of training" in history._describe()
    assert model.summary() is None and isinstance(model.evaluate(), Unknown) and isinstance(model.predict(None), Unknown)
    assert session.is_auxiliary(optimizer) and session.is_auxiliary(loss) and session.is_auxiliary(callbacks[0])
    assert session.is_model(model) and not session.is_auxiliary(model) and not session.is_model(optimizer)

    class Custom(k.losses.Loss):
        pass

    assert session.is_auxiliary(Custom()) and not session.is_model_class(Custom)
    (x_train, y_train), (x_test, y_test) = k.datasets.mnist.load_data()
    assert isinstance(model.fit(x_train / 255.0, y_train, validation_data=(x_test, y_test)), Unknown)
    assert x_train.shape == (60000, 28, 28) and y_test.shape == (10000,)
    assert k.utils.plot_model(model, to_file="model.png") is not None  # a placeholder, nothing written
    with k.device("cpu"):
        pass


def test_import_paths_share_objects_and_snippet_names():
    session = new_session()
    modules = session.modules
    keras_ns = modules["keras"]
    assert modules["tensorflow"].keras is keras_ns is modules["tensorflow.keras"]
    assert modules["keras.layers"] is keras_ns.layers is modules["tensorflow.keras.layers"]
    assert modules["keras.models"].Sequential is keras_ns.Sequential is modules["tensorflow.keras.models"].Sequential
    assert keras_ns.layers.Conv2D is keras_ns.layers.Convolution2D
    for name in ("optimizers", "losses", "metrics", "callbacks", "activations", "regularizers", "initializers"):
        assert modules[f"keras.{name}"] is getattr(keras_ns, name)
    names = session.snippet_names
    for name in ("keras", "layers", "models", "Sequential", "Model", "Input", "Conv2D", "Dense", "Flatten", "tf",
                 "MaxPooling2D", "BatchNormalization", "LSTM"):
        assert name in names
    assert names["tf"].keras is keras_ns and names["Dense"] is keras_ns.layers.Dense
    assert isinstance(keras_ns.layers.Dense(2), keras_ns.layers.Layer)
    inp = keras_ns.Input((3,))
    assert isinstance(keras_ns.Model(inp, keras_ns.layers.Dense(2)(inp)), keras_ns.Model)


def test_sessions_have_independent_counters():
    first, second = new_session(), new_session()
    assert first.keras.layers.Dense(1).name == "dense"
    assert first.keras.layers.Dense(1).name == "dense_1"
    assert second.keras.layers.Dense(1).name == "dense"
    first.keras.backend.clear_session()
    assert first.keras.layers.Dense(1).name == "dense"


def test_image_data_format_setting():
    def scenario(k):
        k.config.set_image_data_format("channels_first")
        try:
            model = k.Sequential([k.Input((3, 16, 16)), k.layers.Conv2D(4, 3), k.layers.MaxPooling2D()])
            return summary(model)
        finally:
            k.config.set_image_data_format("channels_last")

    real, ours = both(scenario)
    assert ours == real


@pytest.mark.parametrize("scenario", ["model_as_first_layer", "functional_in_sequential", "input_dim_pop_add",
                                      "fixed_batch", "build_later", "head_on_frozen_base", "model_outputs_reused"])
def test_more_build_cases_match_keras(scenario):
    def head_on_frozen_base(k):
        base = k.Sequential([k.Input((8, 8, 3)), k.layers.Conv2D(4, 3), k.layers.Conv2D(4, 3)])
        base.trainable = False
        x = k.layers.GlobalAveragePooling2D()(base.outputs[0])
        return summary(k.Model(inputs=base.inputs[0], outputs=k.layers.Dense(2)(x)))

    def model_outputs_reused(k):
        inp = k.Input((8,))
        first = k.Model(inp, k.layers.Dense(4)(inp))
        return summary(k.Model(first.input, k.layers.Dense(2)(first.output))), first.input_shape

    def model_as_first_layer(k):
        base = k.Sequential([k.Input((8, 8, 3)), k.layers.Conv2D(4, 3)])
        return summary(k.Sequential([base, k.layers.Flatten(), k.layers.Dense(2)])), summary(base)

    def functional_in_sequential(k):
        inp = k.Input((6,))
        return summary(k.Sequential([k.Model(inp, k.layers.Dense(3)(inp)), k.layers.Dense(2)]))

    def input_dim_pop_add(k):
        model = k.Sequential([k.layers.Dense(4, input_dim=3), k.layers.Dense(2)])
        model.pop()
        model.add(k.layers.Dense(5))
        model.add(k.layers.Dense(1, name="last"))
        return summary(model)

    def fixed_batch(k):
        inp = k.Input((5,), batch_size=8)
        return summary(k.Model(inp, k.layers.Dense(2)(inp)))

    def build_later(k):
        model = k.Sequential()
        model.add(k.layers.Dense(4))
        model.add(k.layers.Dense(2))
        model.build((None, 7))
        return summary(model)

    real, ours = both(locals()[scenario])
    assert ours == real


SEED_ROWS = [
    ("conv2d", (None, 30, 30, 8), 224), ("conv2d_1", (None, 28, 28, 16), 1168),
    ("max_pooling2d", (None, 14, 14, 16), 0), ("flatten", (None, 3136), 0), ("dense", (None, 128), 401536),
    ("dense_1", (None, 10), 1290),
]


def test_seed_text_through_the_interpreter():
    """End to end once the safe interpreter exists: the seed's Keras text, no imports, snippet names."""
    from pathlib import Path

    interpreter = pytest.importorskip("nncalc.interpreter")
    run_source = getattr(interpreter, "run_source", None)
    if run_source is None:
        pytest.skip("nncalc.interpreter.run_source is not available yet")
    session = new_session()
    source = (Path(__file__).resolve().parents[1] / "models" / "seed_keras.py").read_text()
    modules = dict(getattr(interpreter, "default_modules", dict)())
    modules.update(session.modules)
    namespace = run_source(source, "seed_keras.py", modules=modules, prelude=session.snippet_names)
    report = build_report(session.trace(namespace["model"], None, None, None))
    assert [(r.name, r.output_shape, r.params) for r in report.layers] == SEED_ROWS
    assert report.total_params == report.trainable_params == 404218


SUBCLASSED = '''
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, classes=10):
        super().__init__()
        self.conv = layers.Conv2D(8, 3, activation="relu")
        self.pool = layers.MaxPooling2D()
        self.flat = layers.Flatten()
        self.head = layers.Dense(classes)

    def call(self, x):
        return self.head(self.flat(self.pool(self.conv(x))))
'''


def test_subclassed_model_through_the_interpreter():
    interpreter = pytest.importorskip("nncalc.interpreter")
    run_source = getattr(interpreter, "run_source", None)
    if run_source is None:
        pytest.skip("nncalc.interpreter.run_source is not available yet")
    session = new_session()
    modules = dict(getattr(interpreter, "default_modules", dict)())
    modules.update(session.modules)
    namespace = run_source(SUBCLASSED, "net.py", modules=modules)
    assert session.is_model_class(namespace["Net"])
    graph = session.trace(namespace["Net"](), [(16, 16, 3)], None, None)
    assert [c.name for c in graph.root.children] == ["conv2d", "max_pooling2d", "flatten", "dense"]
    assert graph.output_shapes == [(None, 10)]
    assert build_report(graph).total_params == (27 * 8 + 8) + (7 * 7 * 8 * 10 + 10)


def test_custom_layers_with_ops_and_a_subclassed_model_match_keras():
    def scenario(k):
        class Linear(k.layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units

            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
                self.b = self.add_weight(shape=(self.units,), name="bias", initializer="zeros")

            def call(self, x):
                return k.activations.relu(k.ops.matmul(x, self.w) + self.b)

        class Gate(k.layers.Layer):
            def build(self, input_shape):
                self.scale = self.add_weight(shape=(1, input_shape[-1]), name="scale", trainable=False)

            def call(self, x):
                pooled = k.ops.mean(x, axis=1, keepdims=True)
                return x * k.ops.sigmoid(pooled) * self.scale - 0.5

        class Net(k.Model):
            def __init__(self):
                super().__init__(name="net")
                self.embed = Linear(16)
                self.gate = Gate()
                self.block = k.Sequential([k.layers.Dense(8), k.layers.LayerNormalization()], name="block")
                self.head = k.layers.Dense(2)

            def call(self, x):
                return self.head(self.block(self.gate(self.embed(x))))

        model = Net()
        out = model(k.Input((5, 12)))
        layer_rows = [(type(l).__name__, l.name, l.count_params(), sum(prod(w.shape) for w in l.trainable_weights))
                      for l in model.layers]
        return layer_rows, tuple(out.shape), model.count_params(), [l.name for l in model.block.layers]

    real, ours = both(scenario)
    assert ours == real


def test_new_layers_count_macs_by_hand():
    session = new_session()
    k = session.keras
    layers = k.layers
    a = k.Input((8, 8, 4))
    cases = [
        (layers.DepthwiseConv2D(3, depth_multiplier=2), a, 6 * 6 * 8 * 9),
        (layers.SeparableConv2D(16, 3), a, 6 * 6 * 4 * 9 + 6 * 6 * 16 * 4),
        (layers.Conv2DTranspose(8, 3, strides=2, padding="same"), k.Input((5, 5, 4)), 5 * 5 * 4 * 9 * 8),
        (layers.Conv1DTranspose(2, 4, strides=2), k.Input((10, 3)), 10 * 3 * 4 * 2),
    ]
    for layer, tensor, macs in cases:
        layer(tensor)
        assert layer._records[-1].macs == macs, layer.name
    dot = layers.Dot(axes=2)
    dot([k.Input((3, 4)), k.Input((5, 4))])
    assert dot._records[-1].macs == 3 * 5 * 4
    add = layers.Add()
    add([a, a])
    assert add._records[-1].macs == 0

    class Linear(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 64), name="kernel")

        def call(self, x):
            return k.ops.matmul(x, self.w)

    linear = Linear()
    assert linear(k.Input((20,))).shape == (None, 64)
    assert linear._records[-1].macs == 20 * 64


def test_nested_model_called_twice_counts_its_weights_once():
    def scenario(k):
        inner_in = k.Input((6,))
        encoder = k.Model(inner_in, k.layers.Dense(4)(k.layers.Dense(8)(inner_in)), name="encoder")
        a, b = k.Input((6,)), k.Input((6,))
        merged = k.layers.concatenate([encoder(a), encoder(b)])
        return summary(k.Model([a, b], k.layers.Dense(1)(merged)))

    real, ours = both(scenario)
    assert ours == real
    session = new_session()
    k = session.keras
    inner_in = k.Input((6,))
    encoder = k.Model(inner_in, k.layers.Dense(4)(k.layers.Dense(8)(inner_in)), name="encoder")
    a, b = k.Input((6,)), k.Input((6,))
    model = k.Model([a, b], k.layers.Dense(1)(k.layers.concatenate([encoder(a), encoder(b)])))
    report = build_report(session.trace(model, None, None, None))
    rows = [(r.name, r.depth, r.shared, r.params) for r in report.layers]
    assert rows == [
        ("encoder", 1, False, 56 + 36), ("dense_1", 2, False, 56), ("dense", 2, False, 36),
        ("encoder", 1, True, 92), ("dense_1", 2, True, 56), ("dense", 2, True, 36),
        ("concatenate", 1, False, 0), ("dense_2", 1, False, 9),
    ]
    assert report.total_params == 92 + 9
    assert report.total_macs == 2 * (6 * 8 + 8 * 4) + 8


def test_dict_inputs_and_a_registered_custom_layer():
    def scenario(k):
        @k.saving.register_keras_serializable(package="nncalc_tests")
        class Scale(k.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

            def call(self, x):
                return x * self.w

        inputs = {"a": k.Input((4,), name="a"), "b": k.Input((3,), name="b")}
        x = Scale()(k.layers.Concatenate()([inputs["a"], inputs["b"]]))
        model = k.Model(inputs=inputs, outputs={"out": k.layers.Dense(2)(x)})
        return [l.name for l in model.layers], model.count_params(), [tuple(t.shape) for t in model.inputs]

    real, ours = both(scenario)
    assert ours == real


def test_subclassed_rows_follow_model_layers_not_the_call_order():
    """Keras lists (and summarises) a subclassed model's layers in the order they were assigned."""

    def define(k):
        class Net(k.Model):
            def __init__(self):
                super().__init__()
                self.conv = k.layers.Conv2D(4, 3)
                self.head = k.layers.Dense(2)
                self.pool = k.layers.GlobalAveragePooling2D()

            def call(self, x):
                return self.head(self.pool(self.conv(x)))

        return Net

    keras.backend.clear_session()
    real = define(keras)()
    real(keras.Input((8, 8, 3)))
    session = new_session()
    model = define(session.keras)()
    model(session.keras.Input((8, 8, 3)))
    report = build_report(session.trace(model, None, None, None))
    assert [row.name for row in report.layers] == [layer.name for layer in real.layers]
    assert [row.name for row in report.layers] == ["conv2d", "dense", "global_average_pooling2d"]
