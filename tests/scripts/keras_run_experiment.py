"""
Title: Image classification with a small convnet, trained by run_experiment()
Description: The model is built, trained and evaluated inside one function that returns it (the keras-io layout).
"""

"""
## Setup
"""

import keras
from keras import layers

num_classes = 10
input_shape = (32, 32, 3)
learning_rate = 0.001
batch_size = 256
num_epochs = 2

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
print(f"x_train shape: {x_train.shape} - y_train shape: {y_train.shape}")

"""
## Build the model
"""


def create_classifier():
    inputs = keras.Input(shape=input_shape)
    x = layers.Rescaling(1.0 / 255)(inputs)
    for filters in (32, 64):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.BatchNormalization()(x)
        x = layers.MaxPooling2D()(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


"""
## Train and evaluate
"""


def run_experiment():
    model = create_classifier()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
    )
    model.fit(x_train, y_train, batch_size=batch_size, epochs=num_epochs, validation_split=0.1)
    _, accuracy = model.evaluate(x_test, y_test)
    print(f"Test accuracy: {round(accuracy * 100, 2)}%")
    return model


classifier = run_experiment()
