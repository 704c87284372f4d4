"""Keras padding='same' where torch has no direct equivalent: a stride-2 convolution on an even size (Keras pads
the extra row and column at the bottom/right), pooling on an odd size, and a stride-2 transposed convolution."""
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu", name="down")(inputs)
x = layers.Conv2D(8, 2, padding="valid", name="shrink")(x)
x = layers.MaxPooling2D(2, padding="same", name="pool")(x)
x = layers.Conv2DTranspose(4, 3, strides=2, padding="same", name="up")(x)
outputs = layers.Conv2D(2, 1, name="head")(x)
model = keras.Model(inputs, outputs)
