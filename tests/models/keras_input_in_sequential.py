"""Sequential([keras.Input(...), ...]) with strides, groups and global max pooling."""
import keras
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(32, 32, 3)),
        layers.Conv2D(24, kernel_size=3, strides=2, padding="same", activation="relu"),
        layers.MaxPooling2D(pool_size=2, padding="valid"),
        layers.Conv2D(24, kernel_size=3, padding="same", groups=24, use_bias=False),
        layers.Conv2D(48, kernel_size=1, groups=3),
        layers.Activation("relu"),
        layers.MaxPooling2D(pool_size=(3, 3), strides=(2, 2)),
        layers.Conv2D(64, kernel_size=3, dilation_rate=(1, 2), padding="same", activation="relu"),
        layers.GlobalMaxPooling2D(),
        layers.Dense(5),
    ]
)
