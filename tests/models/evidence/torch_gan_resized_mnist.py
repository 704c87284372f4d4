"""A DCGAN discriminator trained on MNIST resized to --img_size (the PyTorch-GAN implementations' layout): its
input is the resized image, not MNIST's own size, which the discriminator accepts as well (its last map is the
same either way)."""
import argparse

import torch
import torch.nn as nn
from torchvision import datasets, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--n_epochs", type=int, default=200, help="number of epochs of training")
parser.add_argument("--batch_size", type=int, default=64, help="size of the batches")
parser.add_argument("--img_size", type=int, default=32, help="size of each image dimension")
parser.add_argument("--channels", type=int, default=1, help="number of image channels")
opt = parser.parse_args()


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()

        def block(in_filters, out_filters, bn=True):
            layers = [nn.Conv2d(in_filters, out_filters, 3, 2, 1), nn.LeakyReLU(0.2, inplace=True), nn.Dropout2d(0.25)]
            if bn:
                layers.append(nn.BatchNorm2d(out_filters, 0.8))
            return layers

        self.model = nn.Sequential(*block(opt.channels, 16, bn=False), *block(16, 32), *block(32, 64),
                                   *block(64, 128))
        ds_size = opt.img_size // 2 ** 4
        self.adv_layer = nn.Sequential(nn.Linear(128 * ds_size ** 2, 1), nn.Sigmoid())

    def forward(self, img):
        out = self.model(img)
        return self.adv_layer(out.view(out.shape[0], -1))


discriminator = Discriminator()


def train():
    adversarial_loss = torch.nn.BCELoss()
    dataloader = torch.utils.data.DataLoader(
        datasets.MNIST(
            "../../data/mnist",
            train=True,
            download=True,
            transform=transforms.Compose(
                [transforms.Resize(opt.img_size), transforms.ToTensor(), transforms.Normalize([0.5], [0.5])]
            ),
        ),
        batch_size=opt.batch_size,
        shuffle=True,
    )
    optimizer_D = torch.optim.Adam(discriminator.parameters(), lr=0.0002, betas=(0.5, 0.999))
    for epoch in range(opt.n_epochs):
        for i, (imgs, _) in enumerate(dataloader):
            optimizer_D.zero_grad()
            loss = adversarial_loss(discriminator(imgs), torch.ones(imgs.size(0), 1))
            loss.backward()
            optimizer_D.step()


if __name__ == "__main__":
    train()
