"""The subclassing API: a residual block written as a keras.layers.Layer and a model written as a
keras.Model, both with __init__ and call. Keras builds such a model when it is first called on a tensor."""
import keras
from keras import layers


class ResidualBlock(layers.Layer):
    """Two 3×3 convolutions with batch norm, added to the block's input."""

    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.bn1 = layers.BatchNormalization()
        self.conv2 = layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.bn2 = layers.BatchNormalization()
        self.add = layers.Add()
        self.relu = layers.ReLU()

    def call(self, inputs, training=None):
        x = self.relu(self.bn1(self.conv1(inputs), training=training))
        x = self.bn2(self.conv2(x), training=training)
        return self.relu(self.add([inputs, x]))


class SmallResNet(keras.Model):
    def __init__(self, num_classes=10, width=32, **kwargs):
        super().__init__(**kwargs)
        self.stem = layers.Conv2D(width, 3, padding="same", activation="relu")
        self.block1 = ResidualBlock(width)
        self.pool = layers.MaxPooling2D()
        self.block2 = ResidualBlock(width)
        self.gap = layers.GlobalAveragePooling2D()
        self.classifier = layers.Dense(num_classes)

    def call(self, inputs, training=None):
        x = self.stem(inputs)
        x = self.block1(x, training=training)
        x = self.pool(x)
        x = self.block2(x, training=training)
        return self.classifier(self.gap(x))


model = SmallResNet()
outputs = model(keras.Input(shape=(32, 32, 3)))
