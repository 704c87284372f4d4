"""A small 3D CNN over video clips (frames, height, width, channels)."""
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Conv3D(8, kernel_size=3, padding="same", activation="relu", input_shape=(9, 30, 30, 3)),
    keras.layers.MaxPooling3D(pool_size=(1, 2, 2), padding="valid"),
    keras.layers.Conv3D(16, kernel_size=(3, 3, 3), strides=(1, 2, 2), padding="valid", activation="relu"),
    keras.layers.MaxPooling3D(pool_size=2, padding="same"),
    keras.layers.Conv3D(16, kernel_size=3, padding="same", dilation_rate=(1, 2, 2), use_bias=False),
    keras.layers.AveragePooling3D(pool_size=(2, 2, 2), strides=1, padding="valid"),
    keras.layers.AveragePooling3D(pool_size=2, padding="same"),
    keras.layers.Flatten(),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(1, activation="sigmoid"),
])
