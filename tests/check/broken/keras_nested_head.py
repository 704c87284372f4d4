# A classifier head built for 128 features, applied to a 64-feature embedding.
# expect: line 14 layer-reuse
# fixed: line 13: x = layers.Dense(128, activation="relu")(x)
import keras
from keras import layers

head = keras.Sequential([keras.Input(shape=(128,)), layers.Dense(10, activation="softmax")], name="head")

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Flatten()(x)
x = layers.Dense(64, activation="relu")(x)
outputs = head(x)
model = keras.Model(inputs, outputs)
