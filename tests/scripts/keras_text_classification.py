"""Review sentiment from raw text files.

Reads reviews/{train,test}/{pos,neg}/*.txt. A TextVectorization layer, adapted on the training
text, turns strings into token ids inside the tf.data pipeline; the classifier reads token ids.
At the end the vectorizer and the classifier are joined into a model that takes raw strings.
"""

import re
import string

import tensorflow as tf
import keras
from keras import layers

VOCAB = 15000
EMBED = 96
SEQ_LEN = 400
BATCH = 64

train_text = keras.utils.text_dataset_from_directory(
    "reviews/train", batch_size=BATCH, validation_split=0.15, subset="training", seed=11
)
val_text = keras.utils.text_dataset_from_directory(
    "reviews/train", batch_size=BATCH, validation_split=0.15, subset="validation", seed=11
)
test_text = keras.utils.text_dataset_from_directory("reviews/test", batch_size=BATCH)
print("training batches:", train_text.cardinality())

for reviews, stars in train_text.take(1):
    for review, star in zip(reviews[:3], stars[:3]):
        print(int(star), review.numpy()[:80])


def clean(text):
    text = tf.strings.lower(text)
    text = tf.strings.regex_replace(text, "<[^>]+>", " ")
    return tf.strings.regex_replace(text, "[%s]" % re.escape(string.punctuation), "")


vectorizer = layers.TextVectorization(
    max_tokens=VOCAB, standardize=clean, output_mode="int", output_sequence_length=SEQ_LEN
)
vectorizer.adapt(train_text.map(lambda text, label: text))


def to_ids(text, label):
    return vectorizer(tf.expand_dims(text, -1)), label


train_ds = train_text.map(to_ids).cache().prefetch(8)
val_ds = val_text.map(to_ids).cache().prefetch(8)
test_ds = test_text.map(to_ids).cache().prefetch(8)

token_ids = keras.Input(shape=(None,), dtype="int64", name="token_ids")
h = layers.Embedding(VOCAB, EMBED)(token_ids)
h = layers.Dropout(0.4)(h)
h = layers.Conv1D(96, 5, strides=2, activation="relu")(h)
h = layers.Conv1D(96, 5, strides=2, activation="relu")(h)
h = layers.GlobalMaxPooling1D()(h)
h = layers.Dense(64, activation="relu")(h)
h = layers.Dropout(0.4)(h)
positive = layers.Dense(1, activation="sigmoid", name="positive")(h)
model = keras.Model(token_ids, positive, name="sentiment")

model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(train_ds, validation_data=val_ds, epochs=4)
print("test:", model.evaluate(test_ds))

raw = keras.Input(shape=(1,), dtype="string", name="raw_review")
end_to_end_model = keras.Model(raw, model(vectorizer(raw)), name="sentiment_from_text")
end_to_end_model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
print("end to end:", end_to_end_model.evaluate(test_text))
