"""Stacked GRUs with Keras's default reset_after=True: bias (2, 3·H), 3 × (H·(I + H) + 2·H) — the same count
as PyTorch's nn.GRU."""
import keras
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(50,), dtype="int32"),
        layers.Embedding(5000, 64, mask_zero=True),
        layers.GRU(96, return_sequences=True, dropout=0.1),
        layers.GRU(48),
        layers.Dense(32, activation="relu"),
        layers.Dense(5, activation="softmax"),
    ]
)
