"""A MobileNet-like functional model: depthwise (groups=channels) + pointwise convolutions."""
import keras
from keras import layers


def separable_block(x, channels, filters, strides):
    x = layers.Conv2D(channels, 3, strides=strides, padding="same", groups=channels, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(filters, 1, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.Activation("relu")(x)


inputs = keras.Input(shape=(64, 64, 3))
x = layers.Conv2D(16, 3, strides=2, padding="same", use_bias=False)(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
x = separable_block(x, 16, 32, 1)
x = separable_block(x, 32, 64, 2)
x = layers.AveragePooling2D(pool_size=2, padding="valid")(x)
x = separable_block(x, 64, 64, 1)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
