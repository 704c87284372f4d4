# Three mistakes in one functional model; nncalc check finds all of them.
# expect: line 15 broadcast
# expect: line 18 concat
# expect: line 21 layer-reuse
# fixed: line 15: x = layers.Add()([branch, layers.Conv2D(32, 1)(stem)])
# fixed: line 17: side = layers.Conv2D(32, 1, strides=2)(x)
# fixed: line 21: b = shared(layers.GlobalMaxPooling2D()(joined))
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
stem = layers.Conv2D(16, 3, padding="same")(inputs)
branch = layers.Conv2D(32, 3, padding="same")(stem)
branch = layers.BatchNormalization()(branch)
x = layers.Add()([branch, stem])
pooled = layers.MaxPooling2D()(x)
side = layers.Conv2D(32, 1)(x)
joined = layers.Concatenate()([pooled, side])
shared = layers.Dense(8)
a = shared(layers.GlobalAveragePooling2D()(joined))
b = shared(layers.GlobalAveragePooling2D()(stem))
outputs = layers.Dense(10)(layers.Concatenate()([a, b]))
model = keras.Model(inputs, outputs)
