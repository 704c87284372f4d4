"""RepeatVector has no PyTorch layer: the converter reports it."""
import keras
from keras import layers

inputs = keras.Input(shape=(16,))
x = layers.Dense(8, activation="relu", name="encode")(inputs)
x = layers.RepeatVector(4, name="repeat")(x)
outputs = layers.Dense(2, name="decode")(x)
model = keras.Model(inputs, outputs)
