"""A plain GAN with multilayer perceptrons on MNIST digits; samples a 5x5 grid every few hundred steps."""

import argparse
import os

import numpy as np
import torch
import torch.nn as nn
import torchvision.transforms as transforms
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.utils import save_image

os.makedirs("samples", exist_ok=True)

cli = argparse.ArgumentParser(description="MLP GAN")
cli.add_argument("--epochs", type=int, default=100)
cli.add_argument("--batch", type=int, default=128)
cli.add_argument("--lr", type=float, default=2e-4)
cli.add_argument("--betas", type=float, nargs=2, default=[0.5, 0.999])
cli.add_argument("--z_dim", type=int, default=64, help="size of the noise vector")
cli.add_argument("--side", type=int, default=28, help="image height and width")
cli.add_argument("--channels", type=int, default=1)
cli.add_argument("--every", type=int, default=500, help="steps between saved samples")
opt = cli.parse_args()
print(vars(opt))

IMAGE_SHAPE = (opt.channels, opt.side, opt.side)
use_gpu = torch.cuda.is_available()


def dense(n_in, n_out, batchnorm=True):
    parts = [nn.Linear(n_in, n_out)]
    if batchnorm:
        parts.append(nn.BatchNorm1d(n_out, 0.8))  # NB: 0.8 is the eps argument
    parts.append(nn.LeakyReLU(0.2, inplace=True))
    return parts


class Generator(nn.Module):
    def __init__(self, widths=(96, 192, 384)):
        super(Generator, self).__init__()
        body = dense(opt.z_dim, widths[0], batchnorm=False)
        for a, b in zip(widths[:-1], widths[1:]):
            body += dense(a, b)
        self.net = nn.Sequential(*body, nn.Linear(widths[-1], int(np.prod(IMAGE_SHAPE))), nn.Tanh())

    def forward(self, z):
        flat = self.net(z)
        return flat.view(flat.size(0), *IMAGE_SHAPE)


class Discriminator(nn.Module):
    def __init__(self):
        super(Discriminator, self).__init__()
        self.net = nn.Sequential(
            nn.Linear(int(np.prod(IMAGE_SHAPE)), 256),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(256, 128),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(128, 1),
            nn.Sigmoid(),
        )

    def forward(self, img):
        return self.net(img.flatten(1))


bce = nn.BCELoss()
generator = Generator()
discriminator = Discriminator()
if use_gpu:
    generator.cuda()
    discriminator.cuda()

pipeline = transforms.Compose([transforms.Resize(opt.side), transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])
loader = DataLoader(datasets.MNIST("data/mnist", train=True, download=True, transform=pipeline),
                    batch_size=opt.batch, shuffle=True)
opt_g = torch.optim.Adam(generator.parameters(), lr=opt.lr, betas=tuple(opt.betas))
opt_d = torch.optim.Adam(discriminator.parameters(), lr=opt.lr, betas=tuple(opt.betas))
FloatTensor = torch.cuda.FloatTensor if use_gpu else torch.FloatTensor

step = 0
for epoch in range(opt.epochs):
    for real, _ in loader:
        real = real.type(FloatTensor)
        ones = torch.ones(real.size(0), 1)
        zeros = torch.zeros(real.size(0), 1)

        opt_g.zero_grad()
        fake = generator(torch.randn(real.size(0), opt.z_dim))
        g_loss = bce(discriminator(fake), ones)
        g_loss.backward()
        opt_g.step()

        opt_d.zero_grad()
        d_loss = 0.5 * (bce(discriminator(real), ones) + bce(discriminator(fake.detach()), zeros))
        d_loss.backward()
        opt_d.step()

        if step % opt.every == 0:
            print(f"epoch {epoch} step {step}: D {d_loss.item():.3f} G {g_loss.item():.3f}")
            save_image(fake.data[:25], f"samples/{step:06d}.png", nrow=5, normalize=True)
        step += 1
