"""Clean up noisy clothing pictures with a convolutional autoencoder (Fashion-MNIST)."""

import numpy as np
import matplotlib.pyplot as plt

from keras import layers
from keras.datasets import fashion_mnist
from keras.models import Model

NOISE = 0.35


def to_unit(batch):
    return np.reshape(batch.astype("float32") / 255.0, (-1, 28, 28, 1))


def corrupt(batch, rng=np.random.default_rng(3)):
    return np.clip(batch + NOISE * rng.standard_normal(batch.shape), 0.0, 1.0)


def show_pairs(top, bottom, count=8):
    picks = np.random.choice(len(top), count, replace=False)
    fig, axes = plt.subplots(2, count, figsize=(2 * count, 4))
    for column, index in enumerate(picks):
        for row, source in enumerate((top, bottom)):
            axes[row, column].imshow(source[index].squeeze(), cmap="gray")
            axes[row, column].axis("off")
    plt.show()


(clean_train, _), (clean_test, _) = fashion_mnist.load_data()
clean_train, clean_test = to_unit(clean_train), to_unit(clean_test)
noisy_train, noisy_test = corrupt(clean_train), corrupt(clean_test)
show_pairs(clean_train, noisy_train)

input = layers.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, 3, activation="relu", padding="same")(input)
x = layers.MaxPooling2D(2, padding="same")(x)
x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
x = layers.MaxPooling2D(2, padding="same")(x)
x = layers.Conv2DTranspose(16, 3, strides=2, activation="relu", padding="same")(x)
x = layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(x)
x = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x)

autoencoder = Model(input, x, name="denoiser")
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.summary()

autoencoder.fit(noisy_train, clean_train, epochs=40, batch_size=128, shuffle=True,
                validation_data=(noisy_test, clean_test))
restored = autoencoder.predict(noisy_test)
show_pairs(noisy_test, restored)
