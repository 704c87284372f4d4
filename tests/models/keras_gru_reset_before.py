"""GRUs with reset_after=False (the Keras 2 / TF1 layout): one bias (3·H), 3 × (H·(I + H) + H); one of them
bidirectional with merge_mode='sum', over real-valued sensor sequences."""
import keras
from keras import layers

inputs = keras.Input(shape=(120, 9))
x = layers.GRU(32, reset_after=False, return_sequences=True)(inputs)
x = layers.Bidirectional(layers.GRU(16, reset_after=False), merge_mode="sum")(x)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(6, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="har_gru")
