"""Custom layers that create their own weights in build() with add_weight(), as the Keras guide shows: a
linear layer, a learned per-channel scale, and a layer with a non-trainable running counter."""
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="nncalc_tests")
class Linear(layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            name="kernel", shape=(input_shape[-1], self.units), initializer="glorot_uniform", trainable=True
        )
        self.b = self.add_weight(name="bias", shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class ChannelScale(layers.Layer):
    """Multiplies every channel by a learned factor (a LayerScale)."""

    def __init__(self, init_value=1e-2, **kwargs):
        super().__init__(**kwargs)
        self.init_value = init_value

    def build(self, input_shape):
        self.gamma = self.add_weight(
            name="gamma", shape=(input_shape[-1],), initializer=keras.initializers.Constant(self.init_value)
        )

    def call(self, inputs):
        return inputs * self.gamma


class RunningMean(layers.Layer):
    """Keeps a running mean of its inputs in non-trainable weights; passes the inputs through."""

    def build(self, input_shape):
        self.total = self.add_weight(name="total", shape=(input_shape[-1],), initializer="zeros", trainable=False)
        self.count = self.add_weight(name="count", shape=(), initializer="zeros", trainable=False)

    def call(self, inputs):
        return inputs


inputs = keras.Input(shape=(20,))
x = Linear(64)(inputs)
x = layers.Activation("relu")(x)
x = ChannelScale()(x)
x = RunningMean()(x)
outputs = Linear(3, name="logits")(x)
model = keras.Model(inputs, outputs)
