"""Transfer learning: a pretrained-style backbone frozen with `trainable = False` (its batch norms too), one
frozen layer in the head, and a trainable classifier. Frozen weights count as non-trainable."""
import keras
from keras import layers

backbone = keras.Sequential(
    [
        keras.Input(shape=(64, 64, 3)),
        layers.Conv2D(32, 3, strides=2, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.ReLU(),
        layers.SeparableConv2D(64, 3, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.ReLU(),
        layers.MaxPooling2D(),
        layers.Conv2D(128, 3, padding="same"),
    ],
    name="backbone",
)
backbone.trainable = False

inputs = keras.Input(shape=(64, 64, 3))
x = backbone(inputs, training=False)
x = layers.GlobalAveragePooling2D()(x)
bottleneck = layers.Dense(64, activation="relu", name="bottleneck")
bottleneck.trainable = False
x = bottleneck(x)
x = layers.BatchNormalization(name="head_bn")(x)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(5, activation="softmax", name="classifier")(x)
model = keras.Model(inputs, outputs, name="fine_tune")
model.get_layer("head_bn").trainable = False
