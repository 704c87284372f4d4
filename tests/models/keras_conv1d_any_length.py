"""A 1D CNN over sequences of any length (`keras.Input(shape=(None, 8))`): strided and "same" convolutions,
pooling, a GRU over what is left, then a classifier; the length stays unknown to the end of the sequence part."""
import keras
from keras import layers

inputs = keras.Input(shape=(None, 8), name="signal")
x = layers.Conv1D(32, 5, strides=2, activation="relu")(inputs)
x = layers.Conv1D(64, 3, padding="same", dilation_rate=2)(x)
x = layers.MaxPooling1D(2)(x)
x = layers.BatchNormalization()(x)
x = layers.GRU(48, return_sequences=True)(x)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(5, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="any_length_cnn")
