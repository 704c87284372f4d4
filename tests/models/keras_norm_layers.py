"""A ConvNeXt-flavoured image model and a token mixer on top: GroupNormalization after convolutions,
LayerNormalization over channels and over tokens, PReLU with shared axes, and a depthwise 7×7 convolution."""
import keras
from keras import layers


def convnext_block(x, channels, name):
    shortcut = x
    x = layers.DepthwiseConv2D(7, padding="same", name=f"{name}_dwconv")(x)
    x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_ln")(x)
    x = layers.Dense(4 * channels, name=f"{name}_pw1")(x)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(channels, name=f"{name}_pw2")(x)
    return layers.Add(name=f"{name}_add")([shortcut, x])


inputs = keras.Input(shape=(64, 64, 3))
x = layers.Conv2D(32, 4, strides=4, name="stem")(inputs)
x = layers.GroupNormalization(groups=8, name="stem_gn")(x)
x = convnext_block(x, 32, "stage1_block1")
x = convnext_block(x, 32, "stage1_block2")
x = layers.GroupNormalization(groups=-1, name="downsample_gn")(x)
x = layers.Conv2D(64, 2, strides=2, name="downsample")(x)
x = layers.PReLU(shared_axes=[1, 2], name="prelu")(x)
x = convnext_block(x, 64, "stage2_block1")

tokens = layers.Reshape((64, 64), name="to_tokens")(x)
tokens = layers.LayerNormalization(axis=[1, 2], name="token_ln")(tokens)
tokens = layers.Dense(64, name="token_mix")(layers.Permute((2, 1), name="transpose")(tokens))
x = layers.GlobalAveragePooling1D(name="pool")(tokens)
x = layers.LayerNormalization(center=False, name="head_ln")(x)
outputs = layers.Dense(100, name="logits")(x)
model = keras.Model(inputs, outputs)
