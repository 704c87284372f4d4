"""
Title: WGAN-GP on Fashion-MNIST
Description: A Wasserstein GAN with gradient penalty, trained with `fit()` through a wrapper model.
"""

"""
## Setup
"""

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import layers

IMG_SHAPE = (28, 28, 1)
BATCH_SIZE = 256
noise_dim = 96

"""
## Prepare the data
"""

(train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()
print(f"Number of examples: {len(train_images)}")
print(f"Shape of the images in the dataset: {train_images.shape[1:]}")

train_images = train_images.reshape(train_images.shape[0], *IMG_SHAPE).astype("float32")
train_images = (train_images - 127.5) / 127.5

"""
## The critic

The images are padded to 32x32 so that four stride-2 convolutions divide them evenly.
"""


def conv_block(x, filters, use_bn=False, use_dropout=False, drop_value=0.5):
    x = layers.Conv2D(filters, (5, 5), strides=(2, 2), padding="same", use_bias=not use_bn)(x)
    if use_bn:
        x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    if use_dropout:
        x = layers.Dropout(drop_value)(x)
    return x


def get_discriminator_model():
    img_input = layers.Input(shape=IMG_SHAPE)
    x = layers.ZeroPadding2D((2, 2))(img_input)
    x = conv_block(x, 48)
    x = conv_block(x, 96, use_dropout=True, drop_value=0.3)
    x = conv_block(x, 192, use_dropout=True, drop_value=0.3)
    x = conv_block(x, 384)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(1)(x)
    return keras.models.Model(img_input, x, name="discriminator")


d_model = get_discriminator_model()
d_model.summary()

"""
## The generator
"""


def upsample_block(x, filters, use_bn=True, use_dropout=False):
    x = layers.UpSampling2D((2, 2))(x)
    x = layers.Conv2D(filters, (3, 3), padding="same", use_bias=False)(x)
    if use_bn:
        x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    if use_dropout:
        x = layers.Dropout(0.3)(x)
    return x


def get_generator_model():
    noise = layers.Input(shape=(noise_dim,))
    x = layers.Dense(4 * 4 * 192, use_bias=False)(noise)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Reshape((4, 4, 192))(x)
    x = upsample_block(x, 96)
    x = upsample_block(x, 48)
    x = layers.UpSampling2D((2, 2))(x)
    x = layers.Conv2D(1, (3, 3), padding="same", activation="tanh")(x)
    x = layers.Cropping2D((2, 2))(x)
    return keras.models.Model(noise, x, name="generator")


g_model = get_generator_model()
g_model.summary()

"""
## The WGAN-GP model

It overrides `train_step` (several critic steps per generator step, and the gradient penalty); it has no
`call()`: the models to look at are the two above.
"""


class WGAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim, discriminator_extra_steps=3, gp_weight=10.0):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_steps = discriminator_extra_steps
        self.gp_weight = gp_weight

    def compile(self, d_optimizer, g_optimizer, d_loss_fn, g_loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.d_loss_fn = d_loss_fn
        self.g_loss_fn = g_loss_fn

    def gradient_penalty(self, batch_size, real_images, fake_images):
        alpha = tf.random.uniform([batch_size, 1, 1, 1], 0.0, 1.0)
        interpolated = real_images + alpha * (fake_images - real_images)
        with tf.GradientTape() as gp_tape:
            gp_tape.watch(interpolated)
            pred = self.discriminator(interpolated, training=True)
        grads = gp_tape.gradient(pred, [interpolated])[0]
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]))
        return tf.reduce_mean((norm - 1.0) ** 2)

    def train_step(self, real_images):
        batch_size = tf.shape(real_images)[0]
        for _ in range(self.d_steps):
            random_latent_vectors = tf.random.normal(shape=(batch_size, self.latent_dim))
            with tf.GradientTape() as tape:
                fake_images = self.generator(random_latent_vectors, training=True)
                fake_logits = self.discriminator(fake_images, training=True)
                real_logits = self.discriminator(real_images, training=True)
                d_cost = self.d_loss_fn(real_img=real_logits, fake_img=fake_logits)
                d_loss = d_cost + self.gradient_penalty(batch_size, real_images, fake_images) * self.gp_weight
            d_gradient = tape.gradient(d_loss, self.discriminator.trainable_variables)
            self.d_optimizer.apply_gradients(zip(d_gradient, self.discriminator.trainable_variables))

        random_latent_vectors = tf.random.normal(shape=(batch_size, self.latent_dim))
        with tf.GradientTape() as tape:
            generated_images = self.generator(random_latent_vectors, training=True)
            gen_img_logits = self.discriminator(generated_images, training=True)
            g_loss = self.g_loss_fn(gen_img_logits)
        gen_gradient = tape.gradient(g_loss, self.generator.trainable_variables)
        self.g_optimizer.apply_gradients(zip(gen_gradient, self.generator.trainable_variables))
        return {"d_loss": d_loss, "g_loss": g_loss}


"""
## Train
"""


class GANMonitor(keras.callbacks.Callback):
    def __init__(self, num_img=6, latent_dim=128):
        self.num_img = num_img
        self.latent_dim = latent_dim

    def on_epoch_end(self, epoch, logs=None):
        random_latent_vectors = tf.random.normal(shape=(self.num_img, self.latent_dim))
        generated_images = self.model.generator(random_latent_vectors)
        generated_images = (generated_images * 127.5) + 127.5
        for i in range(self.num_img):
            img = keras.utils.array_to_img(generated_images[i].numpy())
            img.save("generated_img_{i}_{epoch}.png".format(i=i, epoch=epoch))


generator_optimizer = keras.optimizers.Adam(learning_rate=0.0002, beta_1=0.5, beta_2=0.9)
discriminator_optimizer = keras.optimizers.Adam(learning_rate=0.0002, beta_1=0.5, beta_2=0.9)


def discriminator_loss(real_img, fake_img):
    return tf.reduce_mean(fake_img) - tf.reduce_mean(real_img)


def generator_loss(fake_img):
    return -tf.reduce_mean(fake_img)


epochs = 20
cbk = GANMonitor(num_img=3, latent_dim=noise_dim)

wgan = WGAN(discriminator=d_model, generator=g_model, latent_dim=noise_dim, discriminator_extra_steps=3)
wgan.compile(
    d_optimizer=discriminator_optimizer,
    g_optimizer=generator_optimizer,
    g_loss_fn=generator_loss,
    d_loss_fn=discriminator_loss,
)
wgan.fit(train_images, batch_size=BATCH_SIZE, epochs=epochs, callbacks=[cbk])

"""
## Look at the generated images
"""

plt.figure(figsize=(6, 2))
for i in range(3):
    plt.subplot(1, 3, i + 1)
    plt.imshow(plt.imread(f"generated_img_{i}_19.png"))
    plt.axis("off")
plt.show()
