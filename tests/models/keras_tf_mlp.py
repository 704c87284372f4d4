"""An MLP on tabular data via tf.keras, BatchNormalization after Dense."""
import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.layers.Dense(64, activation="relu", input_shape=(20,)),
    tf.keras.layers.BatchNormalization(),
    tf.keras.layers.Dropout(0.2),
    tf.keras.layers.Dense(32, use_bias=False),
    tf.keras.layers.BatchNormalization(center=False),
    tf.keras.layers.Activation("relu"),
    tf.keras.layers.Dense(3, activation="softmax"),
])
