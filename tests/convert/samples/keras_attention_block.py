"""Self-attention over 16 steps of 32 features: MultiHeadAttention (4 heads × key_dim 8 = 32), a residual,
LayerNormalization, dot-product Attention against the input, then a dense head."""
import keras
from keras import layers

inputs = keras.Input(shape=(16, 32))
a = layers.MultiHeadAttention(num_heads=4, key_dim=8, name="mha")(inputs, inputs)
x = layers.Add(name="residual")([inputs, a])
x = layers.LayerNormalization(name="norm")(x)
x = layers.Attention(name="dot_attention")([x, inputs])
x = layers.Flatten(name="flatten")(x)
outputs = layers.Dense(3, name="head")(x)
model = keras.Model(inputs, outputs)
