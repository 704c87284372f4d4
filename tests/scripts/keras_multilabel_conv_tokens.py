"""
Title: Multi-label classification with convolutional tokens
Description: A convolutional tokenizer that learns its sequence length from a random batch, one sigmoid head per
label folder.
"""

"""
## Setup
"""

import os

import keras
from keras import layers
import tensorflow as tf

data_dir = "data/labels"
image_size = 32

"""
## Data augmentation

The augmentation block is a model of its own, applied to the images inside the classifier.
"""

data_augmentation = keras.Sequential(
    [
        layers.Rescaling(scale=1.0 / 255),
        layers.RandomCrop(image_size, image_size),
        layers.RandomFlip("horizontal"),
    ],
    name="data_augmentation",
)

"""
## The tokenizer
"""


class ConvTokenizer(layers.Layer):
    def __init__(self, num_output_channels=(64, 128), **kwargs):
        super().__init__(**kwargs)
        self.conv_model = keras.Sequential()
        for channels in num_output_channels:
            self.conv_model.add(layers.Conv2D(channels, 3, padding="same", activation="relu"))
            self.conv_model.add(layers.MaxPool2D(3, 2, "same"))

    def call(self, images):
        outputs = self.conv_model(images)
        return keras.ops.reshape(outputs, (-1, outputs.shape[1] * outputs.shape[2], outputs.shape[-1]))

    def sequence_length(self, size):
        dummy_inputs = tf.random.normal((1, size, size, 3))
        return self.call(dummy_inputs).shape[1]


"""
## The classifier
"""


def create_model():
    inputs = layers.Input((image_size, image_size, 3))
    augmented = data_augmentation(inputs)
    tokenizer = ConvTokenizer()
    tokens = tokenizer(augmented)
    x = layers.GlobalAveragePooling1D()(tokens)
    x = layers.Dense(tokenizer.sequence_length(image_size), activation="relu")(x)
    label_names = sorted(os.listdir(data_dir))
    outputs = [layers.Dense(1, activation="sigmoid", name=name)(x) for name in label_names]
    return keras.Model(inputs, outputs)


model = create_model()
model.compile(optimizer="adam", loss="binary_crossentropy")
