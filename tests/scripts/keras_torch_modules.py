"""
Title: MNIST with PyTorch layers inside Keras 3
Description: On the torch backend a Keras model can hold torch.nn modules: wrapped explicitly with
TorchModuleWrapper, or simply assigned to a layer's attribute (Keras wraps them itself).
"""

import os

os.environ["KERAS_BACKEND"] = "torch"

import keras
import numpy as np
import torch
import torch.nn as nn
from keras import layers, ops
from keras.layers import TorchModuleWrapper

num_classes = 10
input_shape = (1, 28, 28)  # torch layers are channels-first

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = np.expand_dims(x_train.astype("float32") / 255, 1)
x_test = np.expand_dims(x_test.astype("float32") / 255, 1)


class Classifier(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = TorchModuleWrapper(nn.Conv2d(in_channels=1, out_channels=32, kernel_size=(3, 3)))
        self.conv2 = TorchModuleWrapper(nn.Conv2d(in_channels=32, out_channels=64, kernel_size=(3, 3)))
        self.pool = nn.MaxPool2d(kernel_size=(2, 2))
        self.norm = nn.BatchNorm2d(64)
        self.flatten = nn.Flatten()
        self.dropout = nn.Dropout(p=0.5)
        self.fc = layers.Dense(num_classes, activation="softmax")

    def call(self, inputs):
        x = ops.relu(self.conv1(inputs))
        x = self.pool(x)
        x = ops.relu(self.conv2(x))
        x = self.pool(self.norm(x))
        x = self.flatten(x)
        x = self.dropout(x)
        return self.fc(x)


model = Classifier()
print("Output shape:", model(torch.ones(1, *input_shape)).shape)
model.summary()

model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=3, validation_split=0.1)

"""
## A functional model with a torch stem

Called on `keras.Input`, a wrapped module needs its output shape: Keras cannot infer it.
"""

inputs = keras.Input(shape=input_shape)
stem = TorchModuleWrapper(
    nn.Sequential(nn.Conv2d(1, 16, 4, stride=4), nn.GELU(), nn.Flatten()),
    output_shape=(None, 16 * 7 * 7),
)
x = stem(inputs)
x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(num_classes, activation="softmax")(x)
functional = keras.Model(inputs, outputs, name="torch_stem_classifier")
functional.summary()
functional.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
functional.fit(x_train, y_train, batch_size=128, epochs=3, validation_split=0.1)
