"""An LSTM sequence-to-sequence model in the RepeatVector style (the "addition" example): encode the input
sequence to one vector, repeat it for every output step, decode, and classify each step with
TimeDistributed(Dense)."""
import keras
from keras import layers

num_chars = 12
input_len = 7
output_len = 4

model = keras.Sequential()
model.add(keras.Input(shape=(input_len, num_chars)))
model.add(layers.LSTM(128))
model.add(layers.RepeatVector(output_len))
model.add(layers.LSTM(128, return_sequences=True))
model.add(layers.TimeDistributed(layers.Dense(num_chars, activation="softmax")))
