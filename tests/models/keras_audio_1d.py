"""A 1D CNN over a flat waveform that is reshaped to (steps, channels)."""
from keras.models import Sequential
from keras.layers import Conv1D, Dense
from keras import layers

model = Sequential([
    layers.Reshape((1000, 2), input_shape=(2000,)),
    Conv1D(16, kernel_size=9, strides=3, activation="relu"),
    layers.MaxPooling1D(pool_size=4, strides=3, padding="same"),
    Conv1D(32, kernel_size=5, padding="same", use_bias=False),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.AveragePooling1D(pool_size=2, padding="valid"),
    Conv1D(32, kernel_size=3, strides=2),
    layers.GlobalMaxPooling1D(),
    Dense(8, activation="softmax"),
])
