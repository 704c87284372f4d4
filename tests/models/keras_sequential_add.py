"""A Sequential model built with model.add(), input_shape on the first layer."""
from keras.models import Sequential
from keras.layers import Conv2D, Dense
from keras.layers import Activation, AveragePooling2D, BatchNormalization, Dropout, Flatten

model = Sequential()
model.add(Conv2D(8, (5, 5), strides=(2, 2), activation="relu", input_shape=(28, 28, 1)))
model.add(Conv2D(16, (3, 3), dilation_rate=2, padding="same", activation="relu"))
model.add(AveragePooling2D(pool_size=3, strides=2, padding="same"))
model.add(Flatten())
model.add(Dense(64, use_bias=False))
model.add(BatchNormalization())
model.add(Activation("relu"))
model.add(Dropout(0.5))
model.add(Dense(10, activation="softmax"))
