# A skip connection concatenated at the wrong resolution: 16×16 with 8×8.
# expect: line 13 concat
# fixed: line 13: m1 = layers.Concatenate()([layers.UpSampling2D()(u1), c1])
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
p1 = layers.MaxPooling2D()(c1)
c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
p2 = layers.MaxPooling2D()(c2)
u1 = layers.UpSampling2D()(p2)
m1 = layers.Concatenate()([u1, c1])
outputs = layers.Conv2D(1, 1, activation="sigmoid")(m1)
model = keras.Model(inputs, outputs, name="unet_step")
