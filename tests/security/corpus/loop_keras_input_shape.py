import keras
model = keras.Sequential([keras.Input((10**30,)), keras.layers.Dense(10**30)])
