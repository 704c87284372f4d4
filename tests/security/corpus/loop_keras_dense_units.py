import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(10**400)])
