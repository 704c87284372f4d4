"""A 1D CNN over a sequence of 100 feature vectors (text-classifier shaped)."""
import keras
from keras import layers

inputs = keras.Input(shape=(100, 32))
x = layers.Conv1D(64, 5, strides=2, padding="same", activation="relu")(inputs)
x = layers.MaxPooling1D(2)(x)
x = layers.Conv1D(64, 3, dilation_rate=2, padding="valid", use_bias=False)(x)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
x = layers.AveragePooling1D(pool_size=3, strides=2, padding="same")(x)
x = layers.Conv1D(32, 4, padding="same", groups=4, activation="relu")(x)
x = layers.GlobalAveragePooling1D()(x)
x = layers.Dropout(0.5)(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
