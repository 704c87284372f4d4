"""The entry flow of Xception (Chollet, 2017): separable convolutions in residual modules whose shortcut is a
strided 1×1 convolution, plus a depthwise-separable head written with DepthwiseConv2D and a pointwise Conv2D."""
import keras
from keras import layers


def entry_module(x, filters, name):
    residual = layers.Conv2D(filters, 1, strides=2, padding="same", use_bias=False, name=f"{name}_shortcut")(x)
    residual = layers.BatchNormalization(name=f"{name}_shortcut_bn")(residual)

    x = layers.Activation("relu", name=f"{name}_act1")(x)
    x = layers.SeparableConv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_sepconv1")(x)
    x = layers.BatchNormalization(name=f"{name}_sepconv1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_act2")(x)
    x = layers.SeparableConv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_sepconv2")(x)
    x = layers.BatchNormalization(name=f"{name}_sepconv2_bn")(x)
    x = layers.MaxPooling2D(3, strides=2, padding="same", name=f"{name}_pool")(x)
    return layers.add([x, residual], name=f"{name}_add")


inputs = keras.Input(shape=(96, 96, 3))
x = layers.Conv2D(32, 3, strides=2, use_bias=False, name="block1_conv1")(inputs)
x = layers.BatchNormalization(name="block1_conv1_bn")(x)
x = layers.Activation("relu", name="block1_conv1_act")(x)
x = layers.Conv2D(64, 3, use_bias=False, name="block1_conv2")(x)
x = layers.BatchNormalization(name="block1_conv2_bn")(x)
x = layers.Activation("relu", name="block1_conv2_act")(x)

for index, filters in enumerate([128, 256, 728]):
    x = entry_module(x, filters, name=f"block{index + 2}")

x = layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2, name="head_depthwise")(x)
x = layers.Conv2D(256, 1, name="head_pointwise")(x)
x = layers.SeparableConv2D(128, 3, strides=2, depth_multiplier=2, activation="relu", name="head_sepconv")(x)
x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
model = keras.Model(inputs, outputs, name="xception_entry")
