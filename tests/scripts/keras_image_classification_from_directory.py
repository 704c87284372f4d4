"""Pets from photos: train an image classifier from a folder of JPEG files.

Layout expected on disk:  pets/<class name>/*.jpg  (two classes here: cat, dog).
Broken files are deleted before training. Augmentation runs in the tf.data pipeline.
"""

import os

import keras
import tensorflow as tf
from keras import layers
import matplotlib.pyplot as plt

DATA_ROOT = "pets"
SIZE = (192, 192)
BATCH = 48
EPOCHS = 20


def looks_like_jpeg(path):
    with open(path, "rb") as handle:
        return handle.read(3) == b"\xff\xd8\xff"


removed = 0
for label in sorted(os.listdir(DATA_ROOT)):
    label_dir = os.path.join(DATA_ROOT, label)
    for name in os.listdir(label_dir):
        full = os.path.join(label_dir, name)
        if not looks_like_jpeg(full):
            os.remove(full)
            removed += 1
print("removed", removed, "broken files")

train_ds, val_ds = keras.utils.image_dataset_from_directory(
    DATA_ROOT, validation_split=0.25, subset="both", seed=7, image_size=SIZE, batch_size=BATCH
)

fig, axes = plt.subplots(3, 3, figsize=(8, 8))
for images, labels in train_ds.take(1):
    for ax, image, label in zip(axes.flat, images, labels):
        ax.imshow(image.numpy().astype("uint8"))
        ax.set_title(int(label))
        ax.axis("off")

augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.08)], name="augment")
train_ds = train_ds.map(lambda x, y: (augment(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)
train_ds = train_ds.prefetch(tf.data.AUTOTUNE)
val_ds = val_ds.prefetch(tf.data.AUTOTUNE)


def separable_stage(x, width):
    residual = x
    for _ in range(2):
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(width, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    residual = layers.Conv2D(width, 1, strides=2, padding="same")(residual)
    return layers.add([x, residual])


def build_classifier(input_shape, classes):
    inputs = keras.Input(shape=input_shape)
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(48, 3, strides=2, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    for width in (96, 192, 384):
        x = separable_stage(x, width)
    x = layers.SeparableConv2D(512, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.3)(x)
    if classes == 2:
        return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(x))
    return keras.Model(inputs, layers.Dense(classes, activation="softmax")(x))


model = build_classifier(SIZE + (3,), classes=2)
keras.utils.plot_model(model, to_file="model.png", show_shapes=True)

model.compile(optimizer=keras.optimizers.Adam(5e-4), loss="binary_crossentropy", metrics=["accuracy"])
model.fit(
    train_ds,
    epochs=EPOCHS,
    validation_data=val_ds,
    callbacks=[keras.callbacks.ModelCheckpoint("pets_{epoch:02d}.keras")],
)

picture = keras.utils.load_img(os.path.join(DATA_ROOT, "cat", "0001.jpg"), target_size=SIZE)
batch = keras.ops.expand_dims(keras.utils.img_to_array(picture), 0)
probability = float(model.predict(batch)[0][0])
print(f"cat: {1 - probability:.1%}  dog: {probability:.1%}")
