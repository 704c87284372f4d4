"""A small U-Net (Ronneberger et al., 2015) for 128×128 RGB segmentation into 3 classes: an encoder of
double-conv blocks with max pooling, a bottleneck, and a decoder that up-samples with Conv2DTranspose and
concatenates the encoder's feature map of the same size (the skip connections).
"""
import keras
from keras import layers


def double_conv(x, filters, name):
    x = layers.Conv2D(filters, 3, padding="same", kernel_initializer="he_normal", name=f"{name}_conv1")(x)
    x = layers.BatchNormalization(name=f"{name}_bn1")(x)
    x = layers.Activation("relu", name=f"{name}_relu1")(x)
    x = layers.Conv2D(filters, 3, padding="same", kernel_initializer="he_normal", name=f"{name}_conv2")(x)
    x = layers.BatchNormalization(name=f"{name}_bn2")(x)
    return layers.Activation("relu", name=f"{name}_relu2")(x)


def encoder_block(x, filters, name):
    skip = double_conv(x, filters, name)
    down = layers.MaxPooling2D(2, name=f"{name}_pool")(skip)
    return skip, down


def decoder_block(x, skip, filters, name):
    x = layers.Conv2DTranspose(filters, 2, strides=2, padding="same", name=f"{name}_up")(x)
    x = layers.Concatenate(name=f"{name}_concat")([x, skip])
    return double_conv(x, filters, name)


def build_unet(input_shape=(128, 128, 3), num_classes=3, base_filters=16, depth=4):
    inputs = keras.Input(shape=input_shape, name="image")
    skips = []
    x = inputs
    for level in range(depth):
        skip, x = encoder_block(x, base_filters * 2**level, name=f"enc{level + 1}")
        skips.append(skip)

    x = double_conv(x, base_filters * 2**depth, name="bottleneck")
    x = layers.Dropout(0.3, name="bottleneck_dropout")(x)

    for level in reversed(range(depth)):
        x = decoder_block(x, skips[level], base_filters * 2**level, name=f"dec{level + 1}")

    outputs = layers.Conv2D(num_classes, 1, activation="softmax", name="mask")(x)
    return keras.Model(inputs, outputs, name="unet")


model = build_unet()
