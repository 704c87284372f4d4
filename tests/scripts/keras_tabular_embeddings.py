"""
Income prediction from census rows: numeric columns plus one embedding per categorical column.

The categorical vocabularies are fixed in VOCABULARY below (they were computed once from the
training CSV); the model gets one input per column, built in a loop.
"""

import pandas as pd
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

CSV_HEADER = [
    "age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation",
    "relationship", "race", "gender", "capital_gain", "capital_loss", "hours_per_week", "native_country",
    "income_bracket",
]
NUMERIC_FEATURE_NAMES = ["age", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
VOCABULARY = {
    "workclass": 9,
    "education": 16,
    "marital_status": 7,
    "occupation": 15,
    "relationship": 6,
    "race": 5,
    "gender": 2,
    "native_country": 42,
}
CATEGORICAL_FEATURE_NAMES = list(VOCABULARY.keys())
TARGET_FEATURE_NAME = "income_bracket"

train_data_url = "https://archive.ics.uci.edu/ml/machine-learning-databases/adult/adult.data"
train_data = pd.read_csv(train_data_url, header=None, names=CSV_HEADER)
print(f"Train dataset shape: {train_data.shape}")
train_data[TARGET_FEATURE_NAME] = train_data[TARGET_FEATURE_NAME].apply(lambda v: 0 if v == " <=50K" else 1)


def embedding_dim(vocabulary_size):
    return int(min(16, round(1.6 * vocabulary_size ** 0.56)))


def create_model_inputs():
    inputs = {}
    for name in NUMERIC_FEATURE_NAMES:
        inputs[name] = keras.Input(shape=(1,), name=name, dtype="float32")
    for name in CATEGORICAL_FEATURE_NAMES:
        inputs[name] = keras.Input(shape=(1,), name=name, dtype="int64")
    return inputs


def encode_inputs(inputs):
    encoded = []
    for name, value in inputs.items():
        if name in VOCABULARY:
            size = VOCABULARY[name] + 1  # one extra id for out-of-vocabulary values
            embedded = layers.Embedding(input_dim=size, output_dim=embedding_dim(size), name=f"{name}_embedding")(value)
            encoded.append(layers.Flatten()(embedded))
        else:
            encoded.append(value)
    return layers.concatenate(encoded)


def create_model(hidden_units=(64, 64), dropout_rate=0.1):
    inputs = create_model_inputs()
    features = encode_inputs(inputs)
    for units in hidden_units:
        features = layers.Dense(units)(features)
        features = layers.BatchNormalization()(features)
        features = layers.ReLU()(features)
        features = layers.Dropout(dropout_rate)(features)
    outputs = layers.Dense(1, activation="sigmoid")(features)
    return keras.Model(inputs=inputs, outputs=outputs)


model = create_model()
keras.utils.plot_model(model, show_shapes=True, rankdir="LR")

model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="binary_crossentropy", metrics=["accuracy"])
features = {name: train_data[name].values for name in NUMERIC_FEATURE_NAMES + CATEGORICAL_FEATURE_NAMES}
model.fit(features, train_data[TARGET_FEATURE_NAME].values, batch_size=256, epochs=10)
