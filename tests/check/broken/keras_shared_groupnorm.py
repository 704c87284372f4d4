# One GroupNormalization(groups=4) shared by branches of 32 and 6 channels: reported once, as a reuse.
# expect: line 12 layer-reuse
# fixed: line 9: b = layers.Conv2D(32, 3, padding="same")(inputs)
import keras
from keras import layers

inputs = keras.Input(shape=(16, 16, 3))
a = layers.Conv2D(32, 3, padding="same")(inputs)
b = layers.Conv2D(6, 3, padding="same")(inputs)
norm = layers.GroupNormalization(groups=4)
a = norm(a)
b = norm(b)
x = layers.Concatenate()([a, b])
outputs = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, outputs)
