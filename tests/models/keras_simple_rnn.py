"""SimpleRNN layers (one gate: H·(I + H) + H): a character-level model with a SimpleRNN stack and an encoder
whose final state comes back through return_state."""
import keras
from keras import layers

inputs = keras.Input(shape=(40,), dtype="int64")
x = layers.Embedding(60, 24)(inputs)
x = layers.SimpleRNN(64, return_sequences=True)(x)
x = layers.SimpleRNN(64, return_sequences=True, use_bias=False)(x)
sequence, state = layers.SimpleRNN(32, return_sequences=True, return_state=True)(x)
pooled = layers.GlobalMaxPooling1D()(sequence)
merged = layers.Concatenate()([pooled, state])
outputs = layers.Dense(60, activation="softmax")(merged)
model = keras.Model(inputs, outputs)
