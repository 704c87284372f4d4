# A Conv2D placed after the Flatten: it receives a flat (None, 6272) tensor.
# expect: line 14 rank
# fixed: line 14:     layers.Dense(64, activation="relu"),
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.5),
    layers.Conv2D(64, 3, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
