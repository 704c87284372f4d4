"""Preprocessing and resolution changes inside the model: Rescaling, Normalization, Resizing, ZeroPadding2D,
Cropping2D, UpSampling2D (nearest and bilinear), a Lambda and an Identity: a tiny super-resolution network."""
import keras
from keras import layers

inputs = keras.Input(shape=(60, 60, 3), name="low_res")
x = layers.Rescaling(1.0 / 255, name="to_unit")(inputs)
x = layers.Normalization(name="standardize")(x)
x = layers.Resizing(64, 64, name="resize")(x)
x = layers.ZeroPadding2D(padding=2, name="pad")(x)
x = layers.Conv2D(32, 5, activation="relu", name="features")(x)
skip = x
x = layers.ZeroPadding2D(padding=((1, 0), (1, 0)), name="pad_odd")(x)
x = layers.Conv2D(32, 3, strides=2, activation="relu", name="down")(x)
x = layers.UpSampling2D(size=2, interpolation="bilinear", name="up")(x)
x = layers.Cropping2D(cropping=((0, 0), (0, 0)), name="align")(x)
x = layers.Concatenate(name="merge")([x, skip])
x = layers.Identity(name="tap")(x)
x = layers.UpSampling2D(size=(2, 2), name="upscale")(x)
x = layers.Cropping2D(cropping=4, name="crop_border")(x)
x = layers.Conv2D(3, 3, padding="same", name="to_rgb")(x)
outputs = layers.Lambda(lambda t: t * 0.5 + 0.5, name="to_range")(x)
model = keras.Model(inputs, outputs, name="tiny_sr")
