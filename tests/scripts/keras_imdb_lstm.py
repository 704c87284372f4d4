"""Stacked bidirectional LSTM over the tokenised IMDB reviews bundled with Keras."""

import numpy as np
import keras
from keras import layers

VOCAB_SIZE = 15000
MAX_LEN = 160

(train_seqs, train_labels), (val_seqs, val_labels) = keras.datasets.imdb.load_data(num_words=VOCAB_SIZE)
lengths = [len(seq) for seq in train_seqs]
print(f"{len(train_seqs)} reviews, median length {np.median(lengths):.0f} tokens")
train_seqs = keras.utils.pad_sequences(train_seqs, maxlen=MAX_LEN)
val_seqs = keras.utils.pad_sequences(val_seqs, maxlen=MAX_LEN)

tokens = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(VOCAB_SIZE, 100)(tokens)
x = layers.Bidirectional(layers.LSTM(48, return_sequences=True))(x)
x = layers.Bidirectional(layers.LSTM(48))(x)
x = layers.Dropout(0.3)(x)
verdict = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(tokens, verdict)
model.summary()

model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(train_seqs, train_labels, batch_size=64, epochs=3, validation_data=(val_seqs, val_labels))
best = max(history.history["val_accuracy"])
print("best validation accuracy", best)
