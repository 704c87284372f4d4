"""Single-image super-resolution with sub-pixel convolution (ESPCN-style), on BSDS300 crops.

    python torch_super_resolution.py --upscale_factor 3 --epochs 30 --cuda
"""

import argparse
import os
import tarfile
import urllib.request
from math import log10
from os.path import basename, exists, join

import torch
import torch.nn as nn
import torch.nn.init as init
import torch.optim as optim
import torch.utils.data as data
from PIL import Image
from torch.utils.data import DataLoader
from torchvision.transforms import CenterCrop, Compose, Resize, ToTensor

parser = argparse.ArgumentParser(description="sub-pixel super-resolution")
parser.add_argument("--upscale_factor", type=int, required=True, help="how much larger the output is")
parser.add_argument("--batch_size", type=int, default=32)
parser.add_argument("--test_batch_size", type=int, default=16)
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--lr", type=float, default=1e-3)
parser.add_argument("--cuda", action="store_true", help="use the GPU")
parser.add_argument("--threads", type=int, default=4)
parser.add_argument("--seed", type=int, default=42)
opt = parser.parse_args()
print(opt)

if opt.cuda and not torch.cuda.is_available():
    raise SystemExit("no GPU found; run without --cuda")
torch.manual_seed(opt.seed)
device = torch.device("cuda" if opt.cuda else "cpu")


# ---- data ------------------------------------------------------------------------------
def fetch_bsds300(dest="dataset"):
    root = join(dest, "BSDS300", "images")
    if not exists(root):
        os.makedirs(dest)
        url = "http://www2.eecs.berkeley.edu/Research/Projects/CS/vision/bsds/BSDS300-images.tgz"
        archive = join(dest, basename(url))
        urllib.request.urlretrieve(url, archive)
        with tarfile.open(archive) as tar:
            tar.extractall(dest)
        os.remove(archive)
    return root


def is_image(name):
    return name.lower().endswith((".png", ".jpg", ".jpeg"))


class ImageFolderPairs(data.Dataset):
    """(low-resolution Y channel, high-resolution Y channel) pairs from a folder of pictures."""

    def __init__(self, folder, crop, factor):
        super().__init__()
        self.files = [join(folder, f) for f in sorted(os.listdir(folder)) if is_image(f)]
        valid = crop - crop % factor
        self.small = Compose([CenterCrop(valid), Resize(valid // factor), ToTensor()])
        self.large = Compose([CenterCrop(valid), ToTensor()])

    def __getitem__(self, index):
        y, _, _ = Image.open(self.files[index]).convert("YCbCr").split()
        return self.small(y), self.large(y)

    def __len__(self):
        return len(self.files)


root = fetch_bsds300()
train_set = ImageFolderPairs(join(root, "train"), 256, opt.upscale_factor)
test_set = ImageFolderPairs(join(root, "test"), 256, opt.upscale_factor)
train_loader = DataLoader(train_set, batch_size=opt.batch_size, shuffle=True, num_workers=opt.threads)
test_loader = DataLoader(test_set, batch_size=opt.test_batch_size, num_workers=opt.threads)


# ---- model -----------------------------------------------------------------------------
class Net(nn.Module):
    def __init__(self, upscale_factor):
        super(Net, self).__init__()
        self.act = nn.ReLU()
        self.conv1 = nn.Conv2d(1, 48, (5, 5), (1, 1), (2, 2))
        self.conv2 = nn.Conv2d(48, 48, (3, 3), (1, 1), (1, 1))
        self.conv3 = nn.Conv2d(48, 24, (3, 3), (1, 1), (1, 1))
        self.conv4 = nn.Conv2d(24, upscale_factor ** 2, (3, 3), (1, 1), (1, 1))
        self.shuffle = nn.PixelShuffle(upscale_factor)
        self._init_weights()

    def forward(self, x):
        x = self.act(self.conv1(x))
        x = self.act(self.conv2(x))
        x = self.act(self.conv3(x))
        return self.shuffle(self.conv4(x))

    def _init_weights(self):
        for conv in (self.conv1, self.conv2, self.conv3):
            init.orthogonal_(conv.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv4.weight)


model = Net(upscale_factor=opt.upscale_factor).to(device)
criterion = nn.MSELoss()
optimizer = optim.Adam(model.parameters(), lr=opt.lr)


def train(epoch):
    total = 0.0
    for step, (low, high) in enumerate(train_loader, 1):
        low, high = low.to(device), high.to(device)
        optimizer.zero_grad()
        loss = criterion(model(low), high)
        total += loss.item()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: mean loss {total / len(train_loader):.5f}")


def test():
    psnr = 0.0
    with torch.no_grad():
        for low, high in test_loader:
            mse = criterion(model(low.to(device)), high.to(device))
            psnr += 10 * log10(1 / mse.item())
    print(f"mean PSNR {psnr / len(test_loader):.2f} dB")


for epoch in range(1, opt.epochs + 1):
    train(epoch)
    test()
    torch.save(model, f"espcn_x{opt.upscale_factor}_epoch{epoch}.pth")
