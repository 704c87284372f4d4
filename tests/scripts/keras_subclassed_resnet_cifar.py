"""A small residual network for CIFAR-10, written with model subclassing."""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

print("TensorFlow version:", tf.__version__)
print("GPUs:", tf.config.list_physical_devices("GPU"))

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
mean = np.mean(x_train, axis=(0, 1, 2))
std = np.std(x_train, axis=(0, 1, 2))
x_train = (x_train - mean) / (std + 1e-7)
x_test = (x_test - mean) / (std + 1e-7)

class_names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


class ResidualBlock(tf.keras.layers.Layer):
    def __init__(self, filters, strides=1, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.strides = strides
        self.conv1 = tf.keras.layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=False)
        self.bn1 = tf.keras.layers.BatchNormalization()
        self.conv2 = tf.keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.bn2 = tf.keras.layers.BatchNormalization()
        self.shortcut = None
        if strides != 1:
            self.shortcut = tf.keras.Sequential(
                [
                    tf.keras.layers.Conv2D(filters, 1, strides=strides, use_bias=False),
                    tf.keras.layers.BatchNormalization(),
                ]
            )

    def call(self, inputs, training=False):
        x = self.conv1(inputs)
        x = self.bn1(x, training=training)
        x = tf.keras.activations.relu(x)
        x = self.conv2(x)
        x = self.bn2(x, training=training)
        shortcut = inputs if self.shortcut is None else self.shortcut(inputs, training=training)
        return tf.keras.activations.relu(x + shortcut)

    def get_config(self):
        config = super().get_config()
        config.update({"filters": self.filters, "strides": self.strides})
        return config


class SmallResNet(tf.keras.Model):
    def __init__(self, num_classes=10, widths=(32, 64, 128)):
        super().__init__()
        self.stem = tf.keras.layers.Conv2D(widths[0], 3, padding="same", use_bias=False)
        self.stem_bn = tf.keras.layers.BatchNormalization()
        self.blocks = []
        for i, width in enumerate(widths):
            self.blocks.append(ResidualBlock(width, strides=1 if i == 0 else 2))
            self.blocks.append(ResidualBlock(width))
        self.pool = tf.keras.layers.GlobalAveragePooling2D()
        self.classifier = tf.keras.layers.Dense(num_classes)

    def call(self, x, training=False):
        x = tf.keras.activations.relu(self.stem_bn(self.stem(x), training=training))
        for block in self.blocks:
            x = block(x, training=training)
        return self.classifier(self.pool(x))


model = SmallResNet(num_classes=len(class_names))
model.build(input_shape=(None, 32, 32, 3))
model.summary()
print(f"{model.__class__.__name__}: {model.count_params():,} parameters")

model.compile(
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
lr_schedule = tf.keras.callbacks.LearningRateScheduler(lambda epoch: 0.1 * (0.1 ** (epoch // 30)))
history = model.fit(
    x_train, y_train, batch_size=128, epochs=90, validation_data=(x_test, y_test), callbacks=[lr_schedule]
)

plt.plot(history.history["accuracy"], label="accuracy")
plt.plot(history.history["val_accuracy"], label="val_accuracy")
plt.xlabel("Epoch")
plt.ylabel("Accuracy")
plt.legend(loc="lower right")
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=2)
print(test_acc)
