"""A fast style-transfer network trained on an image folder, its settings parsed in main() (the layout of
pytorch/examples' neural_style): the network is fully convolutional, so only the training transforms say
which images it sees."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class ConvLayer(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride):
        super().__init__()
        self.pad = nn.ReflectionPad2d(kernel_size // 2)
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        return self.conv(self.pad(x))


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = ConvLayer(channels, channels, 3, 1)
        self.in1 = nn.InstanceNorm2d(channels, affine=True)
        self.conv2 = ConvLayer(channels, channels, 3, 1)
        self.in2 = nn.InstanceNorm2d(channels, affine=True)

    def forward(self, x):
        out = torch.relu(self.in1(self.conv1(x)))
        return self.in2(self.conv2(out)) + x


class StyleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Sequential(ConvLayer(3, 16, 9, 1), nn.ReLU(), ConvLayer(16, 32, 3, 2), nn.ReLU())
        self.res = nn.Sequential(ResidualBlock(32), ResidualBlock(32))
        self.up = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), ConvLayer(32, 16, 3, 1), nn.ReLU(),
                                ConvLayer(16, 3, 9, 1))

    def forward(self, x):
        return self.up(self.res(self.down(x)))


def train(args):
    transform = transforms.Compose([
        transforms.Resize(args.image_size),
        transforms.CenterCrop(args.image_size),
        transforms.ToTensor(),
        transforms.Lambda(lambda x: x.mul(255)),
    ])
    train_loader = DataLoader(datasets.ImageFolder(args.dataset, transform), batch_size=args.batch_size)
    model = StyleNet()
    optimizer = torch.optim.Adam(model.parameters(), args.lr)
    for epoch in range(args.epochs):
        for x, _ in train_loader:
            optimizer.zero_grad()
            loss = model(x).mean()
            loss.backward()
            optimizer.step()
    torch.save(model.state_dict(), args.save_model_dir)


def stylize(args):
    model = StyleNet()
    model.load_state_dict(torch.load(args.model))
    with torch.no_grad():
        return model(torch.load(args.content_image) * args.content_scale)


def main():
    parser = argparse.ArgumentParser(description="fast style transfer")
    subparsers = parser.add_subparsers(title="subcommands", dest="subcommand")
    train_parser = subparsers.add_parser("train", help="train a network")
    train_parser.add_argument("--epochs", type=int, default=2)
    train_parser.add_argument("--batch-size", type=int, default=4)
    train_parser.add_argument("--dataset", type=str, required=True)
    train_parser.add_argument("--save-model-dir", type=str, required=True)
    train_parser.add_argument("--image-size", type=int, default=64, help="size of training images")
    train_parser.add_argument("--lr", type=float, default=1e-3)
    eval_parser = subparsers.add_parser("eval", help="stylize an image")
    eval_parser.add_argument("--content-image", type=str, required=True)
    eval_parser.add_argument("--content-scale", type=float, default=None)
    eval_parser.add_argument("--model", type=str, required=True)
    args = parser.parse_args()
    if args.subcommand == "train":
        train(args)
    else:
        stylize(args)


if __name__ == "__main__":
    main()
