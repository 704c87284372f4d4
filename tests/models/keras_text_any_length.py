"""A text classifier over token sequences of any length: embedding, a bidirectional LSTM, dot-product self-attention
over its steps, pooling and a softmax (the sequence length is None throughout)."""
import keras
from keras import layers

tokens = keras.Input(shape=(None,), dtype="int64", name="tokens")
x = layers.Embedding(5000, 64)(tokens)
x = layers.Bidirectional(layers.LSTM(32, return_sequences=True))(x)
x = layers.Attention(use_scale=True)([x, x])
x = layers.LayerNormalization()(x)
x = layers.GlobalMaxPooling1D()(x)
outputs = layers.Dense(3, activation="softmax")(x)
model = keras.Model(tokens, outputs)
