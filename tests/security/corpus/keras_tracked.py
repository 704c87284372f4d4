import keras
class Odd(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self._tracked = None
    def call(self, x):
        return x
model = keras.Sequential([keras.Input((4,)), Odd()])
