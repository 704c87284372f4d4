"""
Title: A small Vision Transformer for CIFAR-100
Description: Patches from keras.ops.image, a class token, and self-attention written by hand.

Everything runs on any backend (keras.ops only).
"""

import numpy as np
import keras
from keras import layers, ops

num_classes = 100
input_shape = (32, 32, 3)

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data()
print(f"x_train shape: {x_train.shape} - y_train shape: {y_train.shape}")

learning_rate = 0.001
batch_size = 256
num_epochs = 10
image_size = 48
patch_size = 6
num_patches = (image_size // patch_size) ** 2
projection_dim = 64
num_heads = 4
transformer_layers = 2
mlp_head_units = [256, 128]

data_augmentation = keras.Sequential(
    [
        layers.Normalization(),
        layers.Resizing(image_size, image_size),
        layers.RandomFlip("horizontal"),
    ],
    name="data_augmentation",
)
data_augmentation.layers[0].adapt(x_train)


class Patches(layers.Layer):
    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, images):
        shape = ops.shape(images)
        batch_size, height, width, channels = shape[0], shape[1], shape[2], shape[3]
        rows = height // self.patch_size
        cols = width // self.patch_size
        patches = ops.image.extract_patches(images, size=self.patch_size)
        return ops.reshape(patches, (batch_size, rows * cols, self.patch_size * self.patch_size * channels))


class PatchEncoder(layers.Layer):
    """Projects the patches, prepends a learned class token, adds positions."""

    def __init__(self, num_patches, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.num_patches = num_patches
        self.projection = layers.Dense(units=projection_dim)
        self.position_embedding = layers.Embedding(input_dim=num_patches + 1, output_dim=projection_dim)

    def build(self, input_shape):
        self.class_token = self.add_weight(shape=(1, 1, self.projection.units), initializer="zeros", name="cls")

    def call(self, patches):
        batch_size = ops.shape(patches)[0]
        tokens = ops.broadcast_to(self.class_token, (batch_size, 1, ops.shape(self.class_token)[-1]))
        encoded = ops.concatenate([tokens, self.projection(patches)], axis=1)
        positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches + 1, step=1), axis=0)
        return encoded + self.position_embedding(positions)


class SelfAttention(layers.Layer):
    """Multi-head self-attention with the heads folded into the batch."""

    def __init__(self, num_heads, key_dim, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.qkv = layers.Dense(3 * num_heads * key_dim, use_bias=False)
        self.out = layers.Dense(num_heads * key_dim)

    def call(self, x):
        batch_size, length = ops.shape(x)[0], ops.shape(x)[1]
        q, k, v = ops.split(self.qkv(x), 3, axis=-1)

        def fold(t):
            t = ops.reshape(t, (batch_size, length, self.num_heads, self.key_dim))
            t = ops.transpose(t, (0, 2, 1, 3))
            return ops.reshape(t, (batch_size * self.num_heads, length, self.key_dim))

        q, k, v = fold(q), fold(k), fold(v)
        scale = ops.sqrt(ops.cast(ops.shape(q)[-1], "float32"))
        weights = ops.softmax(ops.matmul(q, ops.transpose(k, (0, 2, 1))) / scale, axis=-1)
        mixed = ops.reshape(ops.matmul(weights, v), (batch_size, self.num_heads, length, self.key_dim))
        mixed = ops.reshape(ops.transpose(mixed, (0, 2, 1, 3)), (batch_size, length, self.num_heads * self.key_dim))
        return self.out(mixed)


def mlp(x, hidden_units, dropout_rate):
    for units in hidden_units:
        x = layers.Dense(units, activation=keras.activations.gelu)(x)
        x = layers.Dropout(dropout_rate)(x)
    return x


def create_vit_classifier():
    inputs = keras.Input(shape=input_shape)
    augmented = data_augmentation(inputs)
    patches = Patches(patch_size)(augmented)
    encoded_patches = PatchEncoder(num_patches, projection_dim)(patches)
    for _ in range(transformer_layers):
        x1 = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
        attention_output = SelfAttention(num_heads, projection_dim // num_heads)(x1)
        x2 = layers.Add()([attention_output, encoded_patches])
        x3 = layers.LayerNormalization(epsilon=1e-6)(x2)
        x3 = mlp(x3, hidden_units=[projection_dim * 2, projection_dim], dropout_rate=0.1)
        encoded_patches = layers.Add()([x3, x2])
    representation = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
    representation = layers.Lambda(lambda t: t[:, 0])(representation)
    features = mlp(representation, hidden_units=mlp_head_units, dropout_rate=0.5)
    logits = layers.Dense(num_classes)(features)
    return keras.Model(inputs=inputs, outputs=logits)


vit_classifier = create_vit_classifier()
vit_classifier.summary()
head = vit_classifier.layers[-1]
print("head kernel", head.kernel.shape, "bias", head.bias.shape)

vit_classifier.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=0.0001),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
)
history = vit_classifier.fit(x_train, y_train, batch_size=batch_size, epochs=num_epochs, validation_split=0.1)
_, accuracy = vit_classifier.evaluate(x_test, y_test)
print(f"Test accuracy: {round(accuracy * 100, 2)}%")
