"""``ops.shape(x)`` inside a layer's call with unknown (None) axes, against REAL Keras 3 (torch backend), which
builds a layer by running its call on stand-in sizes: the batch and None lengths may be computed with
(``batch * heads``, ``height // patch``) and given back to reshape, zeros, broadcast_to; image patches
(``keras.ops.image.extract_patches``, ``tf.image.extract_patches``); ``expand_dims`` of unknown axes; a built
layer's ``kernel``. The harness (both frameworks, one build function) is test_keras_operations.py's."""

from __future__ import annotations

import keras
import pytest

from nncalc.errors import NncalcError
from nncalc.frameworks.keras import new_session
from tests.frameworks.test_keras_operations import _real_nodes, _real_tf, _summary
from tests.frameworks.test_keras_operations import test_operation_matches_real_keras as matches_real_keras


def _folded_heads(k, tf):
    ops = k.ops

    class Attend(k.layers.Layer):
        def call(self, x):
            batch, length, dim = ops.shape(x)[0], ops.shape(x)[1], ops.shape(x)[2]
            heads = ops.transpose(ops.reshape(x, (batch, length, 2, dim // 2)), (0, 2, 1, 3))
            heads = ops.reshape(heads, (batch * 2, length, dim // 2))
            scores = ops.softmax(ops.matmul(heads, ops.transpose(heads, (0, 2, 1))) / ops.sqrt(
                ops.cast(dim // 2, "float32")))
            mixed = ops.reshape(ops.matmul(scores, heads), (batch, 2, length, dim // 2))
            count = ops.cast(ops.shape(x)[0], "float32")
            return ops.reshape(ops.transpose(mixed, (0, 2, 1, 3)), (batch, length, dim)) + ops.zeros((batch, 1, dim)) \
                * count

    i = k.Input((None, 8))
    return i, Attend()(i)


def _patches_of_any_size(k, tf):
    ops = k.ops

    class Patches(k.layers.Layer):
        def call(self, images):
            batch, height, width, channels = ops.shape(images)
            patches = ops.image.extract_patches(images, size=4)
            return ops.reshape(patches, (batch, (height // 4) * (width // 4), 4 * 4 * channels))

    i = k.Input((None, None, 3))
    return i, k.layers.Dense(5)(Patches()(i))


def _tf_patches(k, tf):
    class Patches(k.layers.Layer):
        def call(self, images):
            batch = tf.shape(images)[0]
            patches = tf.image.extract_patches(images=images, sizes=[1, 4, 3, 1], strides=[1, 2, 3, 1],
                                               rates=[1, 1, 1, 1], padding="SAME")
            return tf.reshape(patches, [batch, -1, patches.shape[-1]])

    i = k.Input((16, 15, 2))
    return i, Patches()(i)


def _class_token(k, tf):
    ops = k.ops

    class Token(k.layers.Layer):
        def build(self, input_shape):
            self.token = self.add_weight(shape=(1, 1, input_shape[-1]), initializer="zeros", name="token")

        def call(self, x):
            token = ops.broadcast_to(self.token, (ops.shape(x)[0], 1, ops.shape(x)[-1]))
            gate = ops.expand_dims(ops.expand_dims(ops.mean(x, axis=(1, 2)), 1), 1)
            return ops.concatenate([token, x * gate], axis=1)

    i = k.Input((None, 6))
    return i, Token()(i)


ROWS = [
    pytest.param(_folded_heads, id="batch * heads folded into the batch and back, ops.cast of a size"),
    pytest.param(_patches_of_any_size, id="keras.ops.image.extract_patches, height // patch of a None height"),
    pytest.param(_tf_patches, id="tf.image.extract_patches with SAME padding, tf.shape batch"),
    pytest.param(_class_token, id="broadcast_to (batch, 1, d), expand_dims of None axes"),
]


@pytest.mark.parametrize("build", ROWS)
def test_unknown_sizes_match_real_keras(build):
    matches_real_keras(build)


def _wrong_fold(k, tf):
    ops = k.ops

    class Wrong(k.layers.Layer):
        def call(self, x):
            batch = ops.shape(x)[0]
            return ops.reshape(x, (batch * 3, 5, 8))  # 3 rows of 5 × 8 per sample of 4 × 8: no

    i = k.Input((4, 8))
    return i, Wrong()(i)


def test_a_wrong_reshape_of_the_batch_is_an_error_in_both():
    with pytest.raises(Exception):
        _summary(keras, _real_tf(), _wrong_fold, _real_nodes)
    session = new_session()
    with pytest.raises(NncalcError, match=r"cannot reshape \(None, 4, 8\) into \(None, 5, 8\)"):
        _summary(session.keras, session.modules["tensorflow"], _wrong_fold, lambda model: [])


def test_a_size_used_as_a_number_is_refused_with_the_reason():
    session = new_session()
    k = session.keras

    class Loop(k.layers.Layer):
        def call(self, x):
            return [x[:, i] for i in range(k.ops.shape(x)[1])]

    with pytest.raises(NncalcError, match="the size of axis 1 is known only when the model runs"):
        Loop()(k.Input((None, 4)))


def test_a_built_layers_kernel_and_bias():
    session = new_session()
    conv, dense = session.keras.layers.Conv2D(8, 3), session.keras.layers.Dense(4, use_bias=False)
    conv.build((None, 32, 32, 3))
    dense.build((None, 6))
    real_conv, real_dense = keras.layers.Conv2D(8, 3), keras.layers.Dense(4, use_bias=False)
    real_conv.build((None, 32, 32, 3))
    real_dense.build((None, 6))
    assert (tuple(conv.kernel.shape), tuple(conv.bias.shape), tuple(dense.kernel.shape), dense.bias) == (
        tuple(real_conv.kernel.shape), tuple(real_conv.bias.shape), tuple(real_dense.kernel.shape), real_dense.bias)
