"""Handwritten digits, a compact convnet.

Usage: python keras_mnist_convnet.py
Loads MNIST through keras.datasets, trains for a dozen epochs, prints the test loss/accuracy.
"""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

N_CLASSES = 10
IMAGE_SHAPE = (28, 28, 1)
BATCH = 96
EPOCHS = 12

# --- data -------------------------------------------------------------------------
(train_x, train_y), (test_x, test_y) = keras.datasets.mnist.load_data()
train_x = np.expand_dims(train_x.astype("float32") / 255.0, axis=-1)
test_x = np.expand_dims(test_x.astype("float32") / 255.0, axis=-1)
print(f"{train_x.shape[0]} training images of {train_x.shape[1:]}, {test_x.shape[0]} for testing")
train_y = keras.utils.to_categorical(train_y, N_CLASSES)
test_y = keras.utils.to_categorical(test_y, N_CLASSES)

# --- network ----------------------------------------------------------------------
model = keras.Sequential(
    [
        keras.Input(shape=IMAGE_SHAPE),
        layers.Conv2D(24, kernel_size=3, activation="relu"),
        layers.Conv2D(48, kernel_size=3, activation="relu"),
        layers.MaxPooling2D(pool_size=2),
        layers.Conv2D(64, kernel_size=3, activation="relu"),
        layers.MaxPooling2D(pool_size=2),
        layers.Flatten(),
        layers.Dropout(0.4),
        layers.Dense(N_CLASSES, activation="softmax"),
    ],
    name="digits",
)
model.summary()

# --- training ---------------------------------------------------------------------
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(train_x, train_y, batch_size=BATCH, epochs=EPOCHS, validation_split=0.1)

score = model.evaluate(test_x, test_y, verbose=0)
print("test loss    :", score[0])
print("test accuracy:", score[1])
