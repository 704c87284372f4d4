"""
Fine-tuning a small pretrained feature extractor on a new two-class problem.

The backbone was trained earlier (see `pretrain_backbone.py`) and saved as weights; here it is
frozen, a new head is trained, then the top of the backbone is unfrozen for fine-tuning.
"""

import os

import keras
from keras import layers

IMG_SIZE = (160, 160)
IMG_SHAPE = IMG_SIZE + (3,)
BATCH_SIZE = 32
PATH = os.path.join(os.path.expanduser("~"), "datasets", "cats_and_dogs_filtered")

train_dataset = keras.utils.image_dataset_from_directory(
    os.path.join(PATH, "train"), shuffle=True, batch_size=BATCH_SIZE, image_size=IMG_SIZE
)
validation_dataset = keras.utils.image_dataset_from_directory(
    os.path.join(PATH, "validation"), shuffle=True, batch_size=BATCH_SIZE, image_size=IMG_SIZE
)
class_names = train_dataset.class_names


def conv_block(x, filters, name):
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv")(x)
    x = layers.BatchNormalization(name=f"{name}_bn")(x)
    x = layers.ReLU(name=f"{name}_relu")(x)
    return layers.MaxPooling2D(name=f"{name}_pool")(x)


def build_backbone(input_shape):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for i, filters in enumerate([32, 64, 128, 256]):
        x = conv_block(x, filters, name=f"block{i + 1}")
    return keras.Model(inputs, x, name="backbone")


base_model = build_backbone(IMG_SHAPE)
if os.path.exists("backbone.weights.h5"):
    base_model.load_weights("backbone.weights.h5")
base_model.trainable = False
print("Number of layers in the base model: ", len(base_model.layers))

inputs = keras.Input(shape=IMG_SHAPE)
x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
x = base_model(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)

base_learning_rate = 0.0001
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy(threshold=0, name="accuracy")],
)
model.summary()

initial_epochs = 10
loss0, accuracy0 = model.evaluate(validation_dataset)
history = model.fit(train_dataset, epochs=initial_epochs, validation_data=validation_dataset)

# Fine-tuning: unfreeze the last block of the backbone only.
base_model.trainable = True
fine_tune_at = 10
for layer in base_model.layers[:fine_tune_at]:
    layer.trainable = False

model.compile(
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    optimizer=keras.optimizers.RMSprop(learning_rate=base_learning_rate / 10),
    metrics=[keras.metrics.BinaryAccuracy(threshold=0, name="accuracy")],
)
print(len(model.trainable_variables), "trainable variables")

fine_tune_epochs = 10
total_epochs = initial_epochs + fine_tune_epochs
history_fine = model.fit(
    train_dataset, epochs=total_epochs, initial_epoch=len(history.epoch), validation_data=validation_dataset
)
loss, accuracy = model.evaluate(validation_dataset)
print("Test accuracy :", accuracy)
