"""Faces from noise: a GAN trained with `fit()` through an overridden train_step.

Put the aligned face crops under ./faces/ (any sub-folder); images are resized to 64x64.
"""

import os
from zipfile import ZipFile

import gdown
import keras
import matplotlib.pyplot as plt
import tensorflow as tf
from keras import layers, ops

LATENT = 96
IMAGE = 64

os.makedirs("faces", exist_ok=True)
gdown.download("https://drive.google.com/uc?id=FACES_ARCHIVE_ID", "faces/faces.zip", quiet=True)
with ZipFile("faces/faces.zip") as archive:
    archive.extractall("faces")

faces = keras.utils.image_dataset_from_directory("faces", label_mode=None, image_size=(IMAGE, IMAGE), batch_size=32)
faces = faces.map(lambda batch: batch / 255.0)

for batch in faces:
    plt.imshow((batch.numpy()[0] * 255).astype("uint8"))
    plt.axis("off")
    break

discriminator = keras.Sequential(
    [
        keras.Input(shape=(IMAGE, IMAGE, 3)),
        layers.Conv2D(48, 4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(96, 4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(96, 4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Flatten(),
        layers.Dropout(0.25),
        layers.Dense(1, activation="sigmoid"),
    ],
    name="discriminator",
)

generator = keras.Sequential(
    [
        keras.Input(shape=(LATENT,)),
        layers.Dense(8 * 8 * 96),
        layers.Reshape((8, 8, 96)),
        layers.Conv2DTranspose(96, 4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(192, 4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(256, 4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(3, 5, padding="same", activation="sigmoid"),
    ],
    name="generator",
)
generator.summary()
discriminator.summary()


class FaceGAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seeds = keras.random.SeedGenerator(2024)

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer, self.g_optimizer, self.loss_fn = d_optimizer, g_optimizer, loss_fn
        self.d_meter = keras.metrics.Mean(name="d_loss")
        self.g_meter = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_meter, self.g_meter]

    def _noise(self, n):
        return keras.random.normal(shape=(n, self.latent_dim), seed=self.seeds)

    def train_step(self, real):
        n = ops.shape(real)[0]
        fake = self.generator(self._noise(n))
        both = ops.concatenate([fake, real], axis=0)
        labels = ops.concatenate([ops.ones((n, 1)), ops.zeros((n, 1))], axis=0)
        labels = labels + 0.05 * keras.random.uniform(ops.shape(labels), seed=self.seeds)
        with tf.GradientTape() as tape:
            d_loss = self.loss_fn(labels, self.discriminator(both))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        with tf.GradientTape() as tape:
            g_loss = self.loss_fn(ops.zeros((n, 1)), self.discriminator(self.generator(self._noise(n))))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.d_meter.update_state(d_loss)
        self.g_meter.update_state(g_loss)
        return {m.name: m.result() for m in self.metrics}


class SaveSamples(keras.callbacks.Callback):
    def __init__(self, count=4, latent_dim=LATENT):
        super().__init__()
        self.count, self.latent_dim = count, latent_dim

    def on_epoch_end(self, epoch, logs=None):
        noise = keras.random.normal(shape=(self.count, self.latent_dim))
        pictures = ops.convert_to_numpy(self.model.generator(noise)) * 255
        for i, picture in enumerate(pictures):
            keras.utils.array_to_img(picture).save(f"sample_{epoch:03d}_{i}.png")


gan = FaceGAN(discriminator=discriminator, generator=generator, latent_dim=LATENT)
gan.compile(
    d_optimizer=keras.optimizers.Adam(1e-4),
    g_optimizer=keras.optimizers.Adam(1e-4),
    loss_fn=keras.losses.BinaryCrossentropy(),
)
gan.fit(faces, epochs=2, callbacks=[SaveSamples()])
