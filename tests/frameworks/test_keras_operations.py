"""Operations on Keras tensors against REAL Keras 3 (torch backend): operators, indexing and ``keras.ops`` in
functional code (graph nodes such as ``Add`` and ``GetItem``), and ``tf.*`` ops inside a layer's call.

Each row is a function ``build(k, tf) -> (inputs, outputs)`` run twice: with real Keras (``tf`` the test
stand-in of ``tests/scripts/script_standins.py``, which maps the ``tf`` ops onto ``keras.ops`` since TensorFlow
is not installed) and with nncalc's symbolic Keras. The output shapes and dtypes, the parameters, the layers
and the graph's nodes (type and name) must agree.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402  (the oracle: tests only)
import pytest  # noqa: E402

from nncalc.frameworks.keras import new_session  # noqa: E402

_STANDINS = Path(__file__).resolve().parents[1] / "scripts" / "script_standins.py"


def _real_tf():
    spec = importlib.util.spec_from_file_location("script_standins", _STANDINS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.tensorflow_stand_in()


def _residual(k, tf):
    i = k.Input((10, 8))
    x = k.layers.Dense(8)(i)
    x += i
    return i, x


def _indexing(k, tf):
    i = k.Input((10, 8))
    return i, [i[:, 0], i[:, -1], i[:, 1:7:2], i[..., None, :3], i[:, None], i[:, ::-1]]


def _unknown_length(k, tf):
    i = k.Input((None, 6))
    return i, [i[:, :5], i[:, 1:], i[:, 0], i[:, ::2, 2:]]


def _arithmetic(k, tf):
    a, b, c = k.Input((4, 3)), k.Input((3,)), k.Input((3, 5))
    return [a, b, c], [a * b - 1.0, 2.0 / (a + 1.0), -a, a ** 2, abs(a), a @ c, a > b, a // 2, a % 3]


def _keras_ops(k, tf):
    i = k.Input((6, 4))
    y = k.ops.mean(i, axis=1)
    z = k.ops.concatenate([i, k.ops.expand_dims(k.ops.sum(i, axis=-1), -1)], axis=-1)
    w = k.ops.reshape(k.ops.transpose(i, (0, 2, 1)), (-1, 24))
    s = k.ops.stack([i, i], axis=1)
    e = k.ops.einsum("bij,bkj->bik", i, i)
    return i, [y, z, w, s, e, k.activations.relu(i), k.ops.softmax(i), k.ops.argmax(i, axis=-1)]


def _keras_ops_more(k, tf):
    i = k.Input((6, 4))
    first, second = k.ops.split(i, 2, axis=1)
    return i, [k.ops.cumsum(i), k.ops.cumsum(i, axis=1), k.ops.glu(i),
               first, second, k.ops.tile(i, (1, 2, 1)), k.ops.take(i, [0, 2], axis=1), k.ops.squeeze(i[:, :1], 1),
               k.ops.where(i > 0, i, k.ops.zeros_like(i)), k.ops.repeat(i, 2, axis=2)]


def _sampling(k, tf):
    class Sampling(k.layers.Layer):
        def call(self, inputs):
            mean, log_var = inputs
            batch = tf.shape(mean)[0]
            dim = tf.shape(mean)[1]
            epsilon = tf.random.normal(shape=(batch, dim))
            return mean + tf.exp(0.5 * log_var) * epsilon

    i = k.Input((8,))
    mean, log_var = k.layers.Dense(2)(i), k.layers.Dense(2)(i)
    return i, Sampling()([mean, log_var])


def _position_embedding(k, tf):
    class PositionEmbedding(k.layers.Layer):
        def __init__(self, maxlen, vocab, dim):
            super().__init__()
            self.token = k.layers.Embedding(vocab, dim)
            self.position = k.layers.Embedding(maxlen, dim)

        def call(self, x):
            positions = tf.range(start=0, limit=tf.shape(x)[-1], delta=1)
            return self.token(x) + self.position(positions)

    i = k.Input((12,), dtype="int32")
    return i, PositionEmbedding(12, 100, 16)(i)


def _tf_in_layers(k, tf):
    class Mix(k.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 6), name="w")

        def call(self, x):
            h = tf.matmul(x, self.w)
            heads = tf.transpose(tf.reshape(h, (tf.shape(x)[0], -1, 2, 3)), perm=(0, 2, 1, 3))
            scores = tf.nn.softmax(tf.matmul(heads, heads, transpose_b=True), axis=-1)
            merged = tf.reshape(tf.transpose(tf.matmul(scores, heads), (0, 2, 1, 3)), (-1, 5, 6))
            pooled = tf.reduce_mean(merged, axis=1, keepdims=True)
            first, rest = tf.split(merged, [1, 4], axis=1)
            return tf.concat([pooled, first, tf.math.sqrt(tf.square(rest))], axis=1)

    i = k.Input((5, 4))
    return i, Mix()(i)


def _tf_shapes(k, tf):
    class Shapes(k.layers.Layer):
        def call(self, x):
            stacked = tf.stack([x, tf.zeros_like(x)], axis=1)
            tiled = tf.tile(tf.expand_dims(tf.reduce_sum(x, axis=-1), -1), [1, 1, 3])
            picked = tf.gather(x, [0, 2], axis=1)
            mixed = tf.einsum("bij,bkj->bik", x, x)
            return [tf.squeeze(stacked[:, :1], axis=1), tiled, picked, mixed, tf.cast(tf.argmax(x, axis=-1), "int32"),
                    tf.one_hot(tf.cast(x[:, :, 0], "int32"), 7)]

    i = k.Input((4, 3))
    return i, Shapes()(i)


def _wrapper(k, tf):
    class Doubled(k.layers.Wrapper):
        def call(self, x):
            return self.layer(x) * 2.0

    i = k.Input((6,))
    return i, Doubled(k.layers.Dense(3))(i)


def _nested(k, tf):
    i = k.Input((10, 8))
    x = k.layers.Dense(8)(i)
    x += i
    block = k.Model(i, x[:, 1:] * 2.0, name="block")
    outer = k.Input((10, 8))
    return outer, k.layers.Dense(3)(block(outer))


def _logical_operators(k, tf):
    a, b = k.Input((4, 3)), k.Input((3,))
    positive = a > 0
    return [a, b], [positive & (b > 0), (b < 1) | positive, positive ^ True, True & positive, False | positive,
                    True ^ positive, ~positive, a != b, round(a), a.reshape((-1, 12)), a[:, :1].squeeze(1),
                    k.activations.glu(a, axis=1)]


def _keras_nn_ops(k, tf):
    image, first, seq = k.Input((8, 6, 4)), k.Input((4, 8, 6)), k.Input((12, 4))
    ops = k.ops
    return [image, first, seq], [
        ops.max_pool(image, 2), ops.average_pool(image, 3, strides=2, padding="same"),
        ops.max_pool(first, (2, 3), data_format="channels_first"), ops.average_pool(seq, 4, 2),
        ops.layer_normalization(seq), ops.rms_normalization(seq, axis=1), *ops.moments(image, [1, 2], keepdims=True),
        *ops.moments(seq, 1), ops.depth_to_space(image, 2), ops.space_to_depth(image, 2),
        ops.depth_to_space(first, 2, data_format="channels_first"), ops.unfold(first, 3, stride=2, padding=1),
        ops.fold(ops.unfold(first, 2, stride=2), (8, 6), 2, stride=2), ops.sparsemax(seq), ops.sparse_sigmoid(seq),
        ops.threshold(seq, 0.5, 0.0), ops.saturate_cast(seq, "uint8"), ops.psnr(seq, seq, 1.0),
    ]


def _keras_core_ops(k, tf):
    seq, ints = k.Input((12, 4)), k.Input((12, 4), dtype="int32")
    ops = k.ops
    real, imag = ops.stft(seq[:, :, 0], 5, 3, 8, center=False)
    return [seq, ints], [
        ops.extract_sequences(seq, 4, 2), *ops.stft(seq, 4, 2, 8), real, imag,
        ops.istft((real, imag), 5, 3, 8, center=False), ops.istft(ops.stft(seq, 8, 4, 8), 8, 4, 8),
        ops.istft(ops.stft(seq, 8, 4, 8), 8, 4, 8, length=10), ops.view(seq, "int16"), ops.view(ints, "float32"),
        ops.take_along_axis(seq, ints[:, :5], axis=1), ops.select([seq > 0, seq < -1], [seq, -seq], 1.0),
    ]


class _Kernels:
    """A layer holding convolution kernels, calling the ``keras.ops`` convolutions on them."""

    @staticmethod
    def layer(k):
        class Convolutions(k.layers.Layer):
            def build(self, input_shape):
                self.k2 = self.add_weight(shape=(3, 3, 4, 5), name="k2")
                self.grouped = self.add_weight(shape=(3, 3, 2, 6), name="grouped")
                self.k1 = self.add_weight(shape=(3, 4, 7), name="k1")
                self.up = self.add_weight(shape=(3, 3, 5, 4), name="up")
                self.depth = self.add_weight(shape=(3, 3, 4, 2), name="depth")
                self.point = self.add_weight(shape=(1, 1, 8, 3), name="point")

            def call(self, x):
                ops = k.ops
                first = ops.transpose(x, (0, 3, 1, 2))
                return [
                    ops.conv(x, self.k2), ops.conv(x, self.k2, strides=2, padding="same"),
                    ops.conv(x, self.grouped, dilation_rate=2), ops.conv(x[:, 0], self.k1, padding="same"),
                    ops.conv(first, self.k2, data_format="channels_first"),
                    ops.conv_transpose(x, self.up, strides=2), ops.conv_transpose(x, self.up, 2, "same"),
                    ops.conv_transpose(x, self.up, 2, output_padding=1),
                    ops.depthwise_conv(x, self.depth, strides=(1, 2)), ops.separable_conv(x, self.depth, self.point),
                    ops.dot_product_attention(x, x, ops.concatenate([x, x], axis=-1)),
                ]

        return Convolutions()


def _keras_conv_ops(k, tf):
    i = k.Input((9, 8, 4))
    return i, _Kernels.layer(k)(i)


def _keras_segment_ops(k, tf):
    class Segments(k.layers.Layer):
        def call(self, x):
            ids = k.ops.zeros((6,), dtype="int32")
            values = k.ops.ones((6, 3))
            return [k.ops.segment_sum(values, ids, num_segments=4), k.ops.segment_max(values, ids, 2),
                    k.ops.scatter(k.ops.zeros((2, 2), dtype="int32"), k.ops.ones((2,)), (4, 5)) + x[0],
                    k.ops.slice(x, (0, 1, 0), (1, 2, 5)), k.ops.in_top_k(k.ops.zeros((6,), dtype="int32"), values, 1),
                    k.ops.multi_hot(k.ops.cast(x, "int32"), 5), k.ops.multi_hot(k.ops.cast(x, "int32"), 3, axis=1),
                    k.ops.multi_hot(ids, 3), k.ops.rearrange(x, "b (t2 t) c -> (b t2) c t", t2=2),
                    k.ops.rearrange(x, "b t c -> b (c t)"), *k.ops.top_k(x, 3),
                    k.ops.scatter_update(x, k.ops.zeros((2, 3), dtype="int32"), k.ops.ones((2,))),
                    k.ops.slice_update(x, (0, 2, 1), k.ops.ones((1, 2, 2))),
                    k.ops.adaptive_average_pool(x[..., None], (2, 3)),
                    k.ops.adaptive_max_pool(x[:, None], 2, data_format="channels_first")]

    i = k.Input((4, 5))
    return i, Segments()(i)


ROWS = [
    pytest.param(_logical_operators, id="&, |, ^, ~, !=, round(), reshape() and squeeze() on Keras tensors, glu"),
    pytest.param(_keras_nn_ops, id="keras.ops pooling, normalization, depth_to_space, fold, multi_hot"),
    pytest.param(_keras_core_ops, id="keras.ops extract_sequences, stft, istft, view, take_along_axis, select"),
    pytest.param(_keras_conv_ops, id="keras.ops convolutions and dot_product_attention in a layer"),
    pytest.param(_keras_segment_ops, id="keras.ops segment_*, scatter, slice, in_top_k, multi_hot, rearrange, adaptive pools in a layer"),
    pytest.param(_nested, id="a model with operations called inside another"),
    pytest.param(_wrapper, id="a keras.layers.Wrapper subclass"),
    pytest.param(_residual, id="x += residual"),
    pytest.param(_indexing, id="indexing"),
    pytest.param(_unknown_length, id="indexing an unknown length"),
    pytest.param(_arithmetic, id="operators"),
    pytest.param(_keras_ops, id="keras.ops in functional code"),
    pytest.param(_keras_ops_more, id="more keras.ops in functional code"),
    pytest.param(_sampling, id="tf.shape, tf.random.normal, tf.exp in a layer"),
    pytest.param(_position_embedding, id="tf.range position embedding"),
    pytest.param(_tf_in_layers, id="tf.matmul, tf.reshape, tf.transpose, tf.split, tf.concat in a layer"),
    pytest.param(_tf_shapes, id="tf.stack, tf.tile, tf.gather, tf.einsum, tf.one_hot in a layer"),
]


def _summary(k, tf, build, nodes) -> dict:
    inputs, outputs = build(k, tf)
    model = k.Model(inputs, outputs)
    shapes = model.output_shape
    return {
        "output_shapes": [tuple(s) for s in shapes] if isinstance(shapes, list) else [tuple(shapes)],
        "dtypes": [str(t.dtype) for t in model.outputs],
        "params": model.count_params(),
        "layers": [(type(layer).__name__, layer.name) for layer in model.layers],
        "nodes": nodes(model),
    }


def _real_nodes(model) -> list:
    return sorted((type(op).__name__, op.name) for op in model.operations
                  if not isinstance(op, keras.layers.InputLayer))


@pytest.mark.parametrize("build", ROWS)
def test_operation_matches_real_keras(build):
    keras.backend.clear_session()
    expected = _summary(keras, _real_tf(), build, _real_nodes)
    session = new_session()

    def nodes(model):
        graph = session.trace(model, None, None, None)
        return sorted((call.node.type, call.node.name) for call in graph.calls if call.parent is None)

    got = _summary(session.keras, session.modules["tensorflow"], build, nodes)
    assert got == expected
