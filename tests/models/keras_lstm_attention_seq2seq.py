"""An encoder-decoder with Luong-style attention: the encoder LSTM returns its states to initialise the decoder,
dot-product Attention over the encoder outputs, then a per-step softmax (two inputs, token indices)."""
import keras
from keras import layers

src_vocab, tgt_vocab, units = 3000, 2500, 96

encoder_inputs = keras.Input(shape=(None,), dtype="int32", name="source")
decoder_inputs = keras.Input(shape=(None,), dtype="int32", name="target")
enc = layers.Embedding(src_vocab, 64)(encoder_inputs)
enc_seq, state_h, state_c = layers.LSTM(units, return_sequences=True, return_state=True)(enc)
dec = layers.Embedding(tgt_vocab, 64)(decoder_inputs)
dec_seq = layers.LSTM(units, return_sequences=True)(dec, initial_state=[state_h, state_c])
context = layers.Attention(use_scale=True)([dec_seq, enc_seq])
joined = layers.Concatenate()([dec_seq, context])
outputs = layers.TimeDistributed(layers.Dense(tgt_vocab, activation="softmax"))(joined)
model = keras.Model([encoder_inputs, decoder_inputs], outputs)
