"""A subclassed tf.keras model written the TensorFlow-tutorial way: blocks kept in a list, a class attribute,
an old-style super() call, a property, a projection shortcut that only some blocks have."""
from tensorflow import keras
from tensorflow.keras import layers, Model
from tensorflow.keras.layers import Conv2D, Add, Input


class Block(layers.Layer):
    expansion = 2

    def __init__(self, filters, stride=1, **kwargs):
        super(Block, self).__init__(**kwargs)
        self.filters = filters
        self.conv_a = Conv2D(filters, 1, strides=stride, use_bias=False)
        self.conv_b = Conv2D(filters * self.expansion, 3, padding="same")
        self.proj = Conv2D(filters * self.expansion, 1, strides=stride) if stride != 1 else None
        self.add = Add()

    @property
    def out_channels(self):
        return self.filters * self.expansion

    def call(self, x):
        shortcut = self.proj(x) if self.proj is not None else x
        y = keras.activations.relu(self.conv_a(x))
        y = self.conv_b(y)
        return self.add([shortcut, y])


class Net(Model):
    def __init__(self, widths=(8, 16, 32), classes=10):
        super().__init__(name="probe_net")
        self.stem = getattr(layers, "Conv2D")(16, 3, padding="same")
        self.blocks = [Block(w, stride=1 if i == 0 else 2, name=f"block{i}") for i, w in enumerate(widths)]
        self.pool = layers.GlobalMaxPooling2D()
        self.head = layers.Dense(classes)

    def call(self, inputs, training=False):
        x = self.stem(inputs)
        for block in self.blocks:
            x = block(x)
        x = self.pool(x)
        return self.head(x)


net = Net()
_ = net(Input(shape=(32, 32, 3)))
