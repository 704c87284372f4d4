# -*- coding: utf-8 -*-
"""CIFAR-10 with a VGG-ish stack of 3x3 convolutions (Keras 2 era script, still runs on Keras 3).

The input shape is taken from the training array, as older examples did.
"""
from __future__ import print_function

import os

import keras
from keras.datasets import cifar10
from keras.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from keras.models import Sequential
from keras.preprocessing.image import ImageDataGenerator

batch_size = 64
num_classes = 10
epochs = 60
augment = True
save_dir = os.path.join(os.getcwd(), "checkpoints")
model_file = "cifar10_vggish.h5"

(x_train, y_train), (x_test, y_test) = cifar10.load_data()
print("x_train shape:", x_train.shape)
print(x_train.shape[0], "train samples,", x_test.shape[0], "test samples")

y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = Sequential()
model.add(Conv2D(48, (3, 3), padding="same", input_shape=x_train.shape[1:]))
model.add(Activation("relu"))
model.add(Conv2D(48, (3, 3)))
model.add(Activation("relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.2))

for filters in (96, 192):
    model.add(Conv2D(filters, (3, 3), padding="same"))
    model.add(Activation("relu"))
    model.add(Conv2D(filters, (3, 3)))
    model.add(Activation("relu"))
    model.add(MaxPooling2D(pool_size=(2, 2)))
    model.add(Dropout(0.3))

model.add(Flatten())
model.add(Dense(256))
model.add(Activation("relu"))
model.add(Dropout(0.5))
model.add(Dense(num_classes))
model.add(Activation("softmax"))

optimizer = keras.optimizers.RMSprop(learning_rate=1e-4, decay=1e-6)
model.compile(loss="categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])

x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255

if not augment:
    model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_data=(x_test, y_test))
else:
    generator = ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.1, horizontal_flip=True)
    generator.fit(x_train)
    model.fit_generator(
        generator.flow(x_train, y_train, batch_size=batch_size),
        epochs=epochs,
        validation_data=(x_test, y_test),
        workers=4,
    )

if not os.path.isdir(save_dir):
    os.makedirs(save_dir)
model.save(os.path.join(save_dir, model_file))

scores = model.evaluate(x_test, y_test, verbose=1)
print("Test loss:", scores[0])
print("Test accuracy:", scores[1])
