"""A functional model with two inputs and two outputs: an image branch and a tabular branch, merged with
every kind of merge layer, predicting a class and a score (the usual multi-task layout)."""
import keras
from keras import layers

image = keras.Input(shape=(32, 32, 3), name="image")
meta = keras.Input(shape=(12,), name="meta")

x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(image)
x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
image_features = layers.Dense(32, activation="relu", name="image_features")(x)

m = layers.Dense(32, activation="relu")(meta)
meta_features = layers.Dense(32, activation="relu", name="meta_features")(m)

summed = layers.add([image_features, meta_features])
difference = layers.Subtract()([image_features, meta_features])
product = layers.Multiply()([image_features, meta_features])
mean = layers.Average()([image_features, meta_features, summed])
largest = layers.Maximum()([image_features, meta_features])
smallest = layers.minimum([image_features, meta_features])
similarity = layers.Dot(axes=1, normalize=True, name="cosine")([image_features, meta_features])

joined = layers.concatenate([summed, difference, product, mean, largest, smallest, similarity], name="joined")
hidden = layers.Dense(64, activation="relu")(joined)
label = layers.Dense(5, activation="softmax", name="label")(hidden)
score = layers.Dense(1, name="score")(layers.Concatenate()([hidden, similarity]))

model = keras.Model(inputs=[image, meta], outputs=[label, score], name="multi_task")
model.compile(optimizer="adam", loss={"label": "sparse_categorical_crossentropy", "score": "mse"})
