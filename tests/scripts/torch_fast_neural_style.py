"""Fast neural style transfer: a feed-forward TransformerNet trained against VGG-16 feature losses.

    python torch_fast_neural_style.py train --dataset coco/ --style-image mosaic.jpg --save-model-dir models/
    python torch_fast_neural_style.py eval --content-image photo.jpg --model models/mosaic.pth --output-image out.jpg
"""

import argparse
import os
import sys
import time
from collections import namedtuple

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.optim import Adam
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


class ConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride):
        super(ConvLayer, self).__init__()
        self.pad = torch.nn.ReflectionPad2d(kernel_size // 2)
        self.conv = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        return self.conv(self.pad(x))


class ResidualBlock(torch.nn.Module):
    def __init__(self, channels):
        super(ResidualBlock, self).__init__()
        self.conv1 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.conv2 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in2 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        out = self.relu(self.in1(self.conv1(x)))
        return self.in2(self.conv2(out)) + x


class UpsampleConvLayer(torch.nn.Module):
    """Nearest-neighbour upsampling then a convolution (fewer checkerboard artefacts than a transposed conv)."""

    def __init__(self, in_channels, out_channels, kernel_size, stride, upsample=None):
        super(UpsampleConvLayer, self).__init__()
        self.upsample = upsample
        self.pad = torch.nn.ReflectionPad2d(kernel_size // 2)
        self.conv = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        if self.upsample:
            x = F.interpolate(x, mode="nearest", scale_factor=self.upsample)
        return self.conv(self.pad(x))


class TransformerNet(torch.nn.Module):
    def __init__(self, width=32, residual_blocks=5):
        super(TransformerNet, self).__init__()
        self.down = torch.nn.Sequential(
            ConvLayer(3, width, kernel_size=9, stride=1),
            torch.nn.InstanceNorm2d(width, affine=True),
            torch.nn.ReLU(),
            ConvLayer(width, width * 2, kernel_size=3, stride=2),
            torch.nn.InstanceNorm2d(width * 2, affine=True),
            torch.nn.ReLU(),
            ConvLayer(width * 2, width * 4, kernel_size=3, stride=2),
            torch.nn.InstanceNorm2d(width * 4, affine=True),
            torch.nn.ReLU(),
        )
        self.res = torch.nn.Sequential(*[ResidualBlock(width * 4) for _ in range(residual_blocks)])
        self.up = torch.nn.Sequential(
            UpsampleConvLayer(width * 4, width * 2, kernel_size=3, stride=1, upsample=2),
            torch.nn.InstanceNorm2d(width * 2, affine=True),
            torch.nn.ReLU(),
            UpsampleConvLayer(width * 2, width, kernel_size=3, stride=1, upsample=2),
            torch.nn.InstanceNorm2d(width, affine=True),
            torch.nn.ReLU(),
            ConvLayer(width, 3, kernel_size=9, stride=1),
        )

    def forward(self, x):
        return self.up(self.res(self.down(x)))


class Vgg16(torch.nn.Module):
    """Frozen VGG-16 features, cut after relu1_2, relu2_2, relu3_3 and relu4_3."""

    def __init__(self, requires_grad=False):
        super(Vgg16, self).__init__()
        features = models.vgg16(weights=models.VGG16_Weights.IMAGENET1K_V1).features
        self.slice1 = torch.nn.Sequential()
        self.slice2 = torch.nn.Sequential()
        self.slice3 = torch.nn.Sequential()
        self.slice4 = torch.nn.Sequential()
        for x in range(4):
            self.slice1.add_module(str(x), features[x])
        for x in range(4, 9):
            self.slice2.add_module(str(x), features[x])
        for x in range(9, 16):
            self.slice3.add_module(str(x), features[x])
        for x in range(16, 23):
            self.slice4.add_module(str(x), features[x])
        if not requires_grad:
            for param in self.parameters():
                param.requires_grad = False

    def forward(self, x):
        h1 = self.slice1(x)
        h2 = self.slice2(h1)
        h3 = self.slice3(h2)
        h4 = self.slice4(h3)
        return namedtuple("VggOutputs", ["relu1_2", "relu2_2", "relu3_3", "relu4_3"])(h1, h2, h3, h4)


def load_image(filename, size=None):
    img = Image.open(filename).convert("RGB")
    if size is not None:
        img = img.resize((size, size), Image.LANCZOS)
    return img


def gram_matrix(y):
    b, ch, h, w = y.size()
    features = y.view(b, ch, w * h)
    return features.bmm(features.transpose(1, 2)) / (ch * h * w)


def normalize_batch(batch):
    mean = batch.new_tensor([0.485, 0.456, 0.406]).view(-1, 1, 1)
    std = batch.new_tensor([0.229, 0.224, 0.225]).view(-1, 1, 1)
    return (batch / 255.0 - mean) / std


def train(args):
    device = torch.device("cuda" if args.cuda else "cpu")
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    transform = transforms.Compose([
        transforms.Resize(args.image_size), transforms.CenterCrop(args.image_size), transforms.ToTensor(),
        transforms.Lambda(lambda x: x.mul(255)),
    ])
    loader = DataLoader(datasets.ImageFolder(args.dataset, transform), batch_size=args.batch_size)
    transformer = TransformerNet().to(device)
    optimizer = Adam(transformer.parameters(), args.lr)
    vgg = Vgg16(requires_grad=False).to(device)
    style = transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda x: x.mul(255))])(
        load_image(args.style_image, size=args.style_size))
    style = style.repeat(args.batch_size, 1, 1, 1).to(device)
    gram_style = [gram_matrix(y) for y in vgg(normalize_batch(style))]
    for epoch in range(args.epochs):
        started = time.time()
        for batch_id, (x, _) in enumerate(loader):
            optimizer.zero_grad()
            x = x.to(device)
            y = transformer(x)
            features_y = vgg(normalize_batch(y))
            features_x = vgg(normalize_batch(x))
            content_loss = args.content_weight * F.mse_loss(features_y.relu2_2, features_x.relu2_2)
            style_loss = sum(F.mse_loss(gram_matrix(fy), gs[: len(x)]) for fy, gs in zip(features_y, gram_style))
            total = content_loss + args.style_weight * style_loss
            total.backward()
            optimizer.step()
        print(f"epoch {epoch}: {time.time() - started:.0f}s")
    os.makedirs(args.save_model_dir, exist_ok=True)
    path = os.path.join(args.save_model_dir, f"style_{int(time.time())}.pth")
    torch.save(transformer.state_dict(), path)
    print("saved", path)


def stylize(args):
    device = torch.device("cuda" if args.cuda else "cpu")
    content = transforms.ToTensor()(load_image(args.content_image)).mul(255).unsqueeze(0).to(device)
    with torch.no_grad():
        model = TransformerNet()
        model.load_state_dict(torch.load(args.model))
        output = model.to(device)(content).cpu()
    img = output[0].clamp(0, 255).numpy().transpose(1, 2, 0).astype("uint8")
    Image.fromarray(img).save(args.output_image)


def main():
    main_parser = argparse.ArgumentParser(description="fast neural style")
    sub = main_parser.add_subparsers(title="subcommands", dest="subcommand")
    train_parser = sub.add_parser("train")
    train_parser.add_argument("--epochs", type=int, default=2)
    train_parser.add_argument("--batch-size", type=int, default=4)
    train_parser.add_argument("--dataset", type=str, required=True)
    train_parser.add_argument("--style-image", type=str, default="images/style-images/mosaic.jpg")
    train_parser.add_argument("--save-model-dir", type=str, required=True)
    train_parser.add_argument("--image-size", type=int, default=256)
    train_parser.add_argument("--style-size", type=int, default=None)
    train_parser.add_argument("--cuda", type=int, required=True)
    train_parser.add_argument("--seed", type=int, default=42)
    train_parser.add_argument("--content-weight", type=float, default=1e5)
    train_parser.add_argument("--style-weight", type=float, default=1e10)
    train_parser.add_argument("--lr", type=float, default=1e-3)
    eval_parser = sub.add_parser("eval")
    eval_parser.add_argument("--content-image", type=str, required=True)
    eval_parser.add_argument("--output-image", type=str, required=True)
    eval_parser.add_argument("--model", type=str, required=True)
    eval_parser.add_argument("--cuda", type=int, required=True)
    args = main_parser.parse_args()
    if args.subcommand is None:
        print("ERROR: specify either train or eval")
        sys.exit(1)
    if args.cuda and not torch.cuda.is_available():
        print("ERROR: cuda is not available, try running on CPU")
        sys.exit(1)
    if args.subcommand == "train":
        train(args)
    else:
        stylize(args)


if __name__ == "__main__":
    main()
