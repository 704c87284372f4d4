"""Newswire topics (46 classes) from bag-of-words vectors, a plain dense network."""

import numpy as np
import matplotlib.pyplot as plt
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.datasets import reuters
from tensorflow.keras.utils import to_categorical

WORDS = 8000
TOPICS = 46

(train_docs, train_topics), (test_docs, test_topics) = reuters.load_data(num_words=WORDS)
index = reuters.get_word_index()
id_to_word = {i + 3: w for w, i in index.items()}
print(" ".join(id_to_word.get(i, "?") for i in train_docs[0]))


def multi_hot(docs, size=WORDS):
    out = np.zeros((len(docs), size), dtype="float32")
    for row, doc in enumerate(docs):
        out[row, doc] = 1.0
    return out


x_train, x_test = multi_hot(train_docs), multi_hot(test_docs)
y_train, y_test = to_categorical(train_topics, TOPICS), to_categorical(test_topics, TOPICS)

model = keras.Sequential(
    [
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(96, activation="relu"),
        layers.Dense(TOPICS, activation="softmax"),
    ]
)
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])

held = 1000
history = model.fit(
    x_train[held:], y_train[held:], epochs=15, batch_size=256, validation_data=(x_train[:held], y_train[:held])
)
for name in ("loss", "val_loss"):
    plt.plot(history.history[name], label=name)
plt.legend()
plt.show()

print("test:", model.evaluate(x_test, y_test))
top = np.argmax(model.predict(x_test), axis=1)
print("accuracy by hand:", np.mean(top == test_topics))
