"""Digits with a subclassed model, trained by a hand-written loop (no fit())."""

import tensorflow as tf
from tensorflow.keras.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from tensorflow.keras import Model

print("TensorFlow", tf.__version__)

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_train = (x_train / 255.0)[..., tf.newaxis].astype("float32")
x_test = (x_test / 255.0)[..., tf.newaxis].astype("float32")
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(10_000).batch(64)
test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(64)


class DigitNet(Model):
    def __init__(self, classes=10):
        super().__init__()
        self.features = [Conv2D(16, 3, activation="relu"), MaxPooling2D(), Conv2D(32, 3, activation="relu")]
        self.flat = Flatten()
        self.hidden = Dense(96, activation="relu")
        self.drop = Dropout(0.2)
        self.out = Dense(classes)

    def call(self, x, training=False):
        for layer in self.features:
            x = layer(x)
        x = self.hidden(self.flat(x))
        return self.out(self.drop(x, training=training))


model = DigitNet()
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(1e-3)
meters = {
    name: tf.keras.metrics.Mean(name=name) for name in ("train_loss", "test_loss")
}
accuracy = {
    name: tf.keras.metrics.SparseCategoricalAccuracy(name=name) for name in ("train_acc", "test_acc")
}


@tf.function
def train_step(images, labels):
    with tf.GradientTape() as tape:
        logits = model(images, training=True)
        loss = loss_fn(labels, logits)
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    meters["train_loss"](loss)
    accuracy["train_acc"](labels, logits)


@tf.function
def test_step(images, labels):
    logits = model(images, training=False)
    meters["test_loss"](loss_fn(labels, logits))
    accuracy["test_acc"](labels, logits)


for epoch in range(1, 6):
    for meter in list(meters.values()) + list(accuracy.values()):
        meter.reset_state()
    for images, labels in train_ds:
        train_step(images, labels)
    for images, labels in test_ds:
        test_step(images, labels)
    print(
        f"epoch {epoch}: loss {meters['train_loss'].result():.3f} acc {accuracy['train_acc'].result():.3%} | "
        f"test loss {meters['test_loss'].result():.3f} acc {accuracy['test_acc'].result():.3%}"
    )
