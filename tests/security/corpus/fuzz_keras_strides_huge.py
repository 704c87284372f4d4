# found by tests/fuzz/fuzz_job.py (minimised by hand): strides of 10**400 overflowed a float (internal error)
import keras
model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(32, 3, strides=10**400)])
