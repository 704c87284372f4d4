"""Flower species from photos; one folder per species, the species list comes from the folders."""

import os
import pathlib

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.models import Sequential

print("tensorflow", tf.__version__, "keras", keras.__version__)

ARCHIVE_URL = "https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz"
archive = keras.utils.get_file("flower_photos.tgz", origin=ARCHIVE_URL, extract=True)
data_dir = pathlib.Path(archive).with_suffix("")

n_images = len(list(data_dir.glob("*/*.jpg")))
print("found", n_images, "photos")

species = sorted(entry for entry in os.listdir(data_dir) if (data_dir / entry).is_dir())
num_classes = len(os.listdir(data_dir))
print("species:", species)

height, width = 150, 150
batch_size = 24

train_ds = keras.utils.image_dataset_from_directory(
    data_dir, validation_split=0.2, subset="training", seed=42, image_size=(height, width), batch_size=batch_size
)
val_ds = keras.utils.image_dataset_from_directory(
    data_dir, validation_split=0.2, subset="validation", seed=42, image_size=(height, width), batch_size=batch_size
)

train_ds = train_ds.cache().shuffle(500).prefetch(buffer_size=tf.data.AUTOTUNE)
val_ds = val_ds.cache().prefetch(buffer_size=tf.data.AUTOTUNE)

images, labels = next(iter(train_ds))
print("pixel range", np.min(images[0]), np.max(images[0]))

model = Sequential(
    [
        layers.Rescaling(1.0 / 255, input_shape=(height, width, 3)),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(48, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Dropout(0.25),
        layers.Flatten(),
        layers.Dense(96, activation="relu"),
        layers.Dense(num_classes, name="logits"),
    ]
)
model.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.summary()

history = model.fit(train_ds, validation_data=val_ds, epochs=12)
for key in ("accuracy", "val_accuracy", "loss", "val_loss"):
    print(key, history.history[key][-1])

probe = keras.utils.get_file("probe.jpg", origin="https://example.org/flowers/probe.jpg")
probe = keras.utils.img_to_array(keras.utils.load_img(probe, target_size=(height, width)))
scores = tf.nn.softmax(model.predict(tf.expand_dims(probe, 0))[0])
print("most likely", species[int(np.argmax(scores))], f"({100 * np.max(scores):.1f} %)")
