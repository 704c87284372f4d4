import keras
model = keras.Sequential([keras.Input((4, 10**15 + 37)), keras.layers.GroupNormalization(groups=7)])
