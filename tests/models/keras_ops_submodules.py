"""A custom layer written with keras.ops' submodules, as Keras 3 code does: keras.ops.nn, keras.ops.numpy
(imported as knp) and keras.ops.linalg."""
import keras
import keras.ops.numpy as knp
from keras import layers


class TokenMixer(layers.Layer):
    """Mixes the tokens of a (batch, tokens, channels) input through a learned (tokens, tokens) matrix."""

    def build(self, input_shape):
        self.mix = self.add_weight(shape=(input_shape[1], input_shape[1]), initializer="glorot_uniform", name="mix")
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")

    def call(self, x):
        mixed = knp.einsum("st,btc->bsc", self.mix, x)
        norm = keras.ops.linalg.norm(mixed, axis=-1, keepdims=True)
        return keras.ops.nn.gelu(mixed / (norm + 1e-6)) * self.scale


inputs = keras.Input(shape=(16, 16, 3))
x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Reshape((64, 8))(x)
x = TokenMixer()(x)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(4)(x)
model = keras.Model(inputs, outputs)
