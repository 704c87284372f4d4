"""
Title: Patch mixers on CIFAR-100, with a PyTorch stem
Description: Two all-MLP classifiers built by one function; the second wraps a torch convolution as its stem.
"""

"""
## Setup
"""

import keras
import matplotlib.pyplot as plt
import torch
from keras import layers

num_classes = 100
input_shape = (32, 32, 3)

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data()
print(f"x_train shape: {x_train.shape} - y_train shape: {y_train.shape}")

image_size = 32
patch_size = 4
num_patches = (image_size // patch_size) ** 2
embedding_dim = 64
num_blocks = 2

"""
## The classifier

The same body is used for both experiments; only the stem changes.
"""


def mixer_block(x):
    y = layers.LayerNormalization(epsilon=1e-6)(x)
    y = layers.Permute((2, 1))(y)
    y = layers.Dense(num_patches, activation="gelu")(y)
    y = layers.Permute((2, 1))(y)
    x = layers.Add()([x, y])
    y = layers.LayerNormalization(epsilon=1e-6)(x)
    y = layers.Dense(embedding_dim, activation="gelu")(y)
    return layers.Add()([x, y])


def build_classifier(stem):
    inputs = layers.Input(shape=input_shape)
    x = stem(inputs)
    x = layers.Reshape((num_patches, embedding_dim))(x)
    for _ in range(num_blocks):
        x = mixer_block(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(num_classes)(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def run_experiment(model):
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=128, epochs=5, validation_split=0.1)
    _, accuracy = model.evaluate(x_test, y_test)
    print(f"Test accuracy: {round(accuracy * 100, 2)}%")
    return history


"""
## A convolutional stem in Keras
"""

keras_stem = keras.Sequential([layers.Conv2D(embedding_dim, patch_size, strides=patch_size)], name="keras_stem")
mixer_classifier = build_classifier(keras_stem)
history = run_experiment(mixer_classifier)

"""
## The same stem, written in PyTorch

Keras 3 can wrap a `torch.nn.Module` as a layer when it runs on the torch backend.
"""

torch_stem = layers.TorchModuleWrapper(
    torch.nn.Sequential(torch.nn.Conv2d(3, embedding_dim, patch_size, stride=patch_size), torch.nn.Flatten(2))
)
torch_classifier = build_classifier(torch_stem)
history = run_experiment(torch_classifier)

plt.plot(history.history["val_accuracy"])
plt.show()
