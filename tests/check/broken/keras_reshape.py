# A decoder that reshapes 1,000 units into a 7×7×32 map (1,568 values).
# expect: line 10 reshape
# fixed: line 9:     layers.Dense(7 * 7 * 32, activation="relu"),
import keras
from keras import layers

decoder = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(1000, activation="relu"),
    layers.Reshape((7, 7, 32)),
    layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu"),
    layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid"),
], name="decoder")
