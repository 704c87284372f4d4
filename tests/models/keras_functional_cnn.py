"""A functional-API CNN with BatchNorm and 'same' padding on odd sizes."""
import keras
from keras import layers

inputs = keras.Input(shape=(33, 33, 3))
x = layers.Conv2D(16, 3, padding="same", use_bias=False)(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
x = layers.MaxPooling2D(pool_size=2, padding="same")(x)
x = layers.Conv2D(32, kernel_size=(3, 3), strides=2, padding="valid", activation="relu")(x)
x = layers.Conv2D(32, kernel_size=4, strides=(2, 2), padding="same", groups=4)(x)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.4)(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="functional_cnn")
