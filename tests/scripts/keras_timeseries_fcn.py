"""Sensor-series classification with a fully convolutional network.

Each row of the TSV files is one recording; column 0 is the class, the rest are the samples.
"""

import keras
import matplotlib.pyplot as plt
import numpy as np

DATA_URL = "https://example.org/ucr/Engine/"


def load_split(name):
    table = np.loadtxt(DATA_URL + name, delimiter="\t")
    return table[:, 1:], table[:, 0].astype(int)


x_train, y_train = load_split("Engine_TRAIN.tsv")
x_test, y_test = load_split("Engine_TEST.tsv")

fig, ax = plt.subplots()
for label in np.unique(y_train):
    ax.plot(x_train[y_train == label][0], label=f"class {label}")
ax.legend()
plt.show()

x_train = x_train[..., np.newaxis]
x_test = x_test[..., np.newaxis]
num_classes = len(np.unique(y_train))
y_train = np.where(y_train < 0, 0, y_train)
y_test = np.where(y_test < 0, 0, y_test)

order = np.random.permutation(len(x_train))
x_train, y_train = x_train[order], y_train[order]

input_shape = x_train.shape[1:]


def conv_bn_relu(x, filters, kernel):
    x = keras.layers.Conv1D(filters, kernel, padding="same")(x)
    x = keras.layers.BatchNormalization()(x)
    return keras.layers.ReLU()(x)


def fcn(input_shape):
    series = keras.layers.Input(input_shape)
    x = conv_bn_relu(series, 48, 7)
    x = conv_bn_relu(x, 96, 5)
    x = conv_bn_relu(x, 48, 3)
    x = keras.layers.GlobalAveragePooling1D()(x)
    probabilities = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.models.Model(inputs=series, outputs=probabilities)


model = fcn(input_shape)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
history = model.fit(
    x_train,
    y_train,
    batch_size=32,
    epochs=300,
    validation_split=0.2,
    callbacks=[
        keras.callbacks.ModelCheckpoint("fcn_best.keras", save_best_only=True, monitor="val_loss"),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=15, min_lr=1e-4),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=40),
    ],
)

model = keras.models.load_model("fcn_best.keras")
loss, accuracy = model.evaluate(x_test, y_test)
print(f"test accuracy {accuracy:.3f}, loss {loss:.3f}")

plt.figure()
plt.plot(history.history["sparse_categorical_accuracy"], label="train")
plt.plot(history.history["val_sparse_categorical_accuracy"], label="validation")
plt.legend()
plt.show()
