"""Variational autoencoder for MNIST digits with a 2-D latent space.

`encoder` maps an image to (mean, log-variance, sample); `decoder` maps a latent point back to an
image; `VAE` ties them together and trains with reconstruction + KL loss.
"""

import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

LATENT = 2


class Reparameterize(layers.Layer):
    """z = mean + sigma * eps, eps ~ N(0, 1)."""

    def __init__(self, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.seeds = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, log_var = inputs
        eps = keras.random.normal(shape=ops.shape(mean), seed=self.seeds)
        return mean + ops.exp(0.5 * log_var) * eps


image = keras.Input(shape=(28, 28, 1), name="image")
h = layers.Conv2D(24, 3, strides=2, padding="same", activation="relu")(image)
h = layers.Conv2D(48, 3, strides=2, padding="same", activation="relu")(h)
h = layers.Flatten()(h)
h = layers.Dense(32, activation="relu")(h)
z_mean = layers.Dense(LATENT, name="z_mean")(h)
z_log_var = layers.Dense(LATENT, name="z_log_var")(h)
z = Reparameterize(name="z")([z_mean, z_log_var])
encoder = keras.Model(image, [z_mean, z_log_var, z], name="encoder")
encoder.summary()

point = keras.Input(shape=(LATENT,), name="point")
h = layers.Dense(7 * 7 * 48, activation="relu")(point)
h = layers.Reshape((7, 7, 48))(h)
h = layers.Conv2DTranspose(48, 3, strides=2, padding="same", activation="relu")(h)
h = layers.Conv2DTranspose(24, 3, strides=2, padding="same", activation="relu")(h)
reconstruction = layers.Conv2DTranspose(1, 3, padding="same", activation="sigmoid")(h)
decoder = keras.Model(point, reconstruction, name="decoder")
decoder.summary()


class VAE(keras.Model):
    def __init__(self, encoder, decoder, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.beta = beta
        self.loss_meter = keras.metrics.Mean(name="loss")
        self.kl_meter = keras.metrics.Mean(name="kl")

    @property
    def metrics(self):
        return [self.loss_meter, self.kl_meter]

    def call(self, images):
        _, _, sample = self.encoder(images)
        return self.decoder(sample)

    def train_step(self, images):
        with tf.GradientTape() as tape:
            mean, log_var, sample = self.encoder(images)
            rebuilt = self.decoder(sample)
            rec = ops.mean(ops.sum(keras.losses.binary_crossentropy(images, rebuilt), axis=(1, 2)))
            kl = ops.mean(ops.sum(-0.5 * (1 + log_var - ops.square(mean) - ops.exp(log_var)), axis=1))
            loss = rec + self.beta * kl
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.loss_meter.update_state(loss)
        self.kl_meter.update_state(kl)
        return {"loss": self.loss_meter.result(), "kl": self.kl_meter.result()}


(train_images, _), (test_images, _) = keras.datasets.mnist.load_data()
digits = np.concatenate([train_images, test_images]).astype("float32")[..., None] / 255.0

vae = VAE(encoder, decoder, beta=1.0)
vae.compile(optimizer=keras.optimizers.Adam(1e-3))
vae.fit(digits, epochs=25, batch_size=128)

import matplotlib.pyplot as plt

grid = 20
canvas = np.zeros((28 * grid, 28 * grid))
for row, y in enumerate(np.linspace(1.5, -1.5, grid)):
    for col, x in enumerate(np.linspace(-1.5, 1.5, grid)):
        digit = decoder.predict(np.array([[x, y]]), verbose=0)[0, :, :, 0]
        canvas[row * 28 : (row + 1) * 28, col * 28 : (col + 1) * 28] = digit
plt.figure(figsize=(10, 10))
plt.imshow(canvas, cmap="Greys_r")
plt.axis("off")
plt.show()
