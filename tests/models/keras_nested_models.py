"""Models used as layers: a Sequential feature extractor and a small functional head, both nested inside a
functional model. Keras lists each nested model as ONE layer of the outer model."""
import keras
from keras import layers

feature_extractor = keras.Sequential(
    [
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.BatchNormalization(),
        layers.GlobalAveragePooling2D(),
    ],
    name="feature_extractor",
)

head_input = keras.Input(shape=(32,))
h = layers.Dense(64, activation="relu")(head_input)
h = layers.Dropout(0.2)(h)
head = keras.Model(head_input, layers.Dense(10, activation="softmax")(h), name="head")

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Rescaling(1.0 / 255)(inputs)
features = feature_extractor(x)
outputs = head(features)
model = keras.Model(inputs, outputs, name="nested")
