# One Dense layer shared by two inputs of different widths.
# expect: line 12 layer-reuse
# fixed: line 8: right = keras.Input(shape=(32,), name="right")
import keras
from keras import layers

left = keras.Input(shape=(32,), name="left")
right = keras.Input(shape=(48,), name="right")
encode = layers.Dense(16, activation="relu")

a = encode(left)
b = encode(right)
merged = layers.Concatenate()([a, b])
outputs = layers.Dense(1, activation="sigmoid")(merged)
model = keras.Model([left, right], outputs)
