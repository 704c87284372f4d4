"""Fashion items from noise: a DCGAN trained with an explicit GradientTape loop."""

import glob
import os
import time

import imageio
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

print("TF", tf.__version__)

NOISE_DIM = 64
BATCH = 128
EPOCHS = 40

(images, _), (_, _) = tf.keras.datasets.fashion_mnist.load_data()
images = images.reshape(-1, 28, 28, 1).astype("float32")
images = images / 127.5 - 1.0
dataset = tf.data.Dataset.from_tensor_slices(images).shuffle(len(images)).batch(BATCH)


def build_generator():
    net = tf.keras.Sequential(name="generator")
    net.add(layers.Dense(7 * 7 * 192, use_bias=False, input_shape=(NOISE_DIM,)))
    net.add(layers.BatchNormalization())
    net.add(layers.LeakyReLU())
    net.add(layers.Reshape((7, 7, 192)))
    assert net.output_shape == (None, 7, 7, 192)
    for filters, stride in ((96, 1), (48, 2)):
        net.add(layers.Conv2DTranspose(filters, 4, strides=stride, padding="same", use_bias=False))
        net.add(layers.BatchNormalization())
        net.add(layers.LeakyReLU())
    net.add(layers.Conv2DTranspose(1, 4, strides=2, padding="same", use_bias=False, activation="tanh"))
    assert net.output_shape == (None, 28, 28, 1), net.output_shape
    return net


def build_critic():
    net = tf.keras.Sequential(name="critic")
    net.add(layers.Conv2D(48, 4, strides=2, padding="same", input_shape=[28, 28, 1]))
    net.add(layers.LeakyReLU())
    net.add(layers.Dropout(0.25))
    net.add(layers.Conv2D(96, 4, strides=2, padding="same"))
    net.add(layers.LeakyReLU())
    net.add(layers.Dropout(0.25))
    net.add(layers.Flatten())
    net.add(layers.Dense(1))
    return net


generator = build_generator()
sample = generator(tf.random.normal([1, NOISE_DIM]), training=False)
plt.imshow(sample[0, :, :, 0], cmap="gray")

discriminator = build_critic()
print("critic says", discriminator(sample))

bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
g_opt = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
d_opt = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)

ckpt_dir = "./gan_checkpoints"
ckpt = tf.train.Checkpoint(g_opt=g_opt, d_opt=d_opt, generator=generator, discriminator=discriminator)
fixed_noise = tf.random.normal([16, NOISE_DIM])


@tf.function
def train_step(real):
    noise = tf.random.normal([BATCH, NOISE_DIM])
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        fake = generator(noise, training=True)
        real_logits = discriminator(real, training=True)
        fake_logits = discriminator(fake, training=True)
        g_loss = bce(tf.ones_like(fake_logits), fake_logits)
        d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(tf.zeros_like(fake_logits), fake_logits)
    g_opt.apply_gradients(zip(g_tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables))
    d_opt.apply_gradients(
        zip(d_tape.gradient(d_loss, discriminator.trainable_variables), discriminator.trainable_variables)
    )
    return g_loss, d_loss


def save_grid(epoch):
    fakes = generator(fixed_noise, training=False)
    plt.figure(figsize=(4, 4))
    for i in range(fakes.shape[0]):
        plt.subplot(4, 4, i + 1)
        plt.imshow(fakes[i, :, :, 0] * 127.5 + 127.5, cmap="gray")
        plt.axis("off")
    plt.savefig(f"epoch_{epoch:03d}.png")
    plt.close()


for epoch in range(EPOCHS):
    started = time.time()
    for batch in dataset:
        g_loss, d_loss = train_step(batch)
    save_grid(epoch + 1)
    if (epoch + 1) % 10 == 0:
        ckpt.save(file_prefix=os.path.join(ckpt_dir, "ckpt"))
    print(f"epoch {epoch + 1}: {time.time() - started:.1f}s")

ckpt.restore(tf.train.latest_checkpoint(ckpt_dir))
with imageio.get_writer("training.gif", mode="I") as writer:
    for frame in sorted(glob.glob("epoch_*.png")):
        writer.append_data(imageio.imread(frame))
