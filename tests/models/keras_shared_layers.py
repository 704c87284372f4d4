"""A siamese network: one encoder (its layers called twice, once per input) compares two images; a shared
Dense projection also runs twice. Weights count once, calls twice."""
import keras
from keras import layers

encoder_conv1 = layers.Conv2D(16, 3, activation="relu", name="enc_conv1")
encoder_pool = layers.MaxPooling2D(name="enc_pool")
encoder_conv2 = layers.Conv2D(32, 3, activation="relu", name="enc_conv2")
encoder_gap = layers.GlobalAveragePooling2D(name="enc_gap")
projection = layers.Dense(64, name="projection")


def encode(image):
    x = encoder_conv1(image)
    x = encoder_pool(x)
    x = encoder_conv2(x)
    return projection(encoder_gap(x))


left = keras.Input(shape=(48, 48, 1), name="left")
right = keras.Input(shape=(48, 48, 1), name="right")
a, b = encode(left), encode(right)

difference = layers.Subtract(name="difference")([a, b])
squared = layers.Multiply(name="squared")([difference, difference])
similarity = layers.Dot(axes=1, normalize=True, name="cosine")([a, b])
features = layers.Concatenate(name="features")([squared, similarity])
outputs = layers.Dense(1, activation="sigmoid", name="same_person")(features)
model = keras.Model(inputs=[left, right], outputs=outputs, name="siamese")
