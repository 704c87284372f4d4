# Poolings of size 3 shrink a 32×32 image below one pixel: the third one receives a 2×2 map.
# expect: line 16 window-too-small
# fixed: line 16:     layers.GlobalMaxPooling2D(),
# fixed: line 17:     layers.Dropout(0.2),
# fixed: line 18:     layers.Dropout(0.2),
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(3),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(3),
    layers.Conv2D(64, 1, activation="relu"),
    layers.MaxPooling2D(3),
    layers.MaxPooling2D(3),
    layers.Flatten(),
    layers.Dense(10),
])
