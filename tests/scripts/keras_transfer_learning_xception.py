"""
Title: Cats vs. dogs with a pretrained Xception
Description: freeze an ImageNet backbone, train a new head, then fine-tune the top of the backbone.

The usual transfer-learning recipe:
1. instantiate a base model and load pretrained weights into it;
2. freeze all its layers (`trainable = False`);
3. build a new model on top of the base model's output and train it on the new data;
4. unfreeze part of the base model and train again with a very low learning rate.
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import tensorflow_datasets as tfds

import keras
from keras import layers

"""
## The data: 150x150 RGB photos of cats and dogs
"""

tfds.disable_progress_bar()
(train_ds, validation_ds, test_ds), info = tfds.load(
    "cats_vs_dogs",
    split=["train[:40%]", "train[40%:50%]", "train[50%:60%]"],
    as_supervised=True,
    with_info=True,
)
print("Number of training samples:", train_ds.cardinality())
print("Number of validation samples:", validation_ds.cardinality())

plt.figure(figsize=(8, 8))
for i, (image, label) in enumerate(train_ds.take(9)):
    plt.subplot(3, 3, i + 1)
    plt.imshow(image)
    plt.title(info.features["label"].int2str(int(label)))
    plt.axis("off")

IMAGE_SIZE = (150, 150)
BATCH_SIZE = 64

resize = layers.Resizing(*IMAGE_SIZE)


def prepare(ds, shuffle=False):
    ds = ds.map(lambda x, y: (resize(x), y), num_parallel_calls=tf.data.AUTOTUNE)
    if shuffle:
        ds = ds.shuffle(1000)
    return ds.batch(BATCH_SIZE).cache().prefetch(tf.data.AUTOTUNE)


train_ds = prepare(train_ds, shuffle=True)
validation_ds = prepare(validation_ds)
test_ds = prepare(test_ds)

"""
## Random flips and small rotations, as part of the model
"""

data_augmentation = keras.Sequential(
    [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)],
    name="augmentation",
)

"""
## The base model, frozen, and a new head

Xception expects inputs in [-1, 1]; the photos are in [0, 255], so a Rescaling layer comes first.
The base model is called with `training=False`: its BatchNormalization layers keep their moving
statistics even when we fine-tune later.
"""

base_model = keras.applications.Xception(
    weights="imagenet",
    input_shape=IMAGE_SIZE + (3,),
    include_top=False,
)
base_model.trainable = False

inputs = keras.Input(shape=IMAGE_SIZE + (3,))
x = data_augmentation(inputs)
x = layers.Rescaling(scale=1 / 127.5, offset=-1)(x)
x = base_model(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)

model.summary(show_trainable=True)

model.compile(
    optimizer=keras.optimizers.Adam(),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy()],
)
history = model.fit(train_ds, epochs=2, validation_data=validation_ds)

"""
## Fine-tuning the exit flow

Unfreeze the base model, then freeze again everything before the exit flow (the layers of
blocks 13 and 14 stay trainable). Recompile so that the change takes effect, with a small learning rate.
"""

base_model.trainable = True
exit_flow = [i for i, layer in enumerate(base_model.layers) if layer.name.startswith("block13")][0]
for layer in base_model.layers[:exit_flow]:
    layer.trainable = False
print("Trainable layers of the base model:", sum(layer.trainable for layer in base_model.layers))

model.summary(show_trainable=True)

model.compile(
    optimizer=keras.optimizers.Adam(1e-5),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy()],
)
model.fit(train_ds, epochs=1, validation_data=validation_ds)

print("Test dataset evaluation")
loss, accuracy = model.evaluate(test_ds)
print(f"accuracy: {accuracy:.3f}")

predictions = model.predict(test_ds.take(1))
print(np.round(keras.ops.sigmoid(predictions[:5]), 2))
