"""Fully connected VAE on MNIST; saves reconstructions and samples after every epoch."""

import argparse

import torch
import torch.utils.data
from torch import nn, optim
from torch.nn import functional as F
from torchvision import datasets, transforms
from torchvision.utils import save_image

parser = argparse.ArgumentParser(description="VAE on MNIST")
parser.add_argument("--batch-size", type=int, default=100, metavar="N")
parser.add_argument("--epochs", type=int, default=10, metavar="N")
parser.add_argument("--latent", type=int, default=16, help="latent dimensions")
parser.add_argument("--no-cuda", action="store_true", default=False)
parser.add_argument("--seed", type=int, default=3, metavar="S")
parser.add_argument("--log-interval", type=int, default=20, metavar="N")
args = parser.parse_args()
args.cuda = not args.no_cuda and torch.cuda.is_available()

torch.manual_seed(args.seed)
device = torch.device("cuda" if args.cuda else "cpu")
loader_kwargs = {"num_workers": 1, "pin_memory": True} if args.cuda else {}

train_loader = torch.utils.data.DataLoader(
    datasets.MNIST("../data", train=True, download=True, transform=transforms.ToTensor()),
    batch_size=args.batch_size, shuffle=True, **loader_kwargs)
test_loader = torch.utils.data.DataLoader(
    datasets.MNIST("../data", train=False, transform=transforms.ToTensor()),
    batch_size=args.batch_size, shuffle=False, **loader_kwargs)

PIXELS = 28 * 28


class VAE(nn.Module):
    def __init__(self, latent=args.latent, hidden=512):
        super(VAE, self).__init__()
        self.enc = nn.Linear(PIXELS, hidden)
        self.mu = nn.Linear(hidden, latent)
        self.logvar = nn.Linear(hidden, latent)
        self.dec1 = nn.Linear(latent, hidden)
        self.dec2 = nn.Linear(hidden, PIXELS)

    def encode(self, x):
        h = F.relu(self.enc(x))
        return self.mu(h), self.logvar(h)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        return mu + torch.randn_like(std) * std

    def decode(self, z):
        return torch.sigmoid(self.dec2(F.relu(self.dec1(z))))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, PIXELS))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


model = VAE().to(device)
optimizer = optim.Adam(model.parameters(), lr=1e-3)


def loss_function(recon, x, mu, logvar):
    bce = F.binary_cross_entropy(recon, x.view(-1, PIXELS), reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def train(epoch):
    model.train()
    running = 0.0
    for batch_idx, (x, _) in enumerate(train_loader):
        x = x.to(device)
        optimizer.zero_grad()
        recon, mu, logvar = model(x)
        loss = loss_function(recon, x, mu, logvar)
        loss.backward()
        running += loss.item()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print(f"epoch {epoch} batch {batch_idx}: {loss.item() / len(x):.3f}")
    print(f"==> epoch {epoch} average loss {running / len(train_loader.dataset):.4f}")


def test(epoch):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for i, (x, _) in enumerate(test_loader):
            x = x.to(device)
            recon, mu, logvar = model(x)
            total += loss_function(recon, x, mu, logvar).item()
            if i == 0:
                n = min(x.size(0), 8)
                side_by_side = torch.cat([x[:n], recon.view(args.batch_size, 1, 28, 28)[:n]])
                save_image(side_by_side.cpu(), f"results/reconstruction_{epoch}.png", nrow=n)
    print(f"==> test loss {total / len(test_loader.dataset):.4f}")


if __name__ == "__main__":
    for epoch in range(1, args.epochs + 1):
        train(epoch)
        test(epoch)
        with torch.no_grad():
            sample = model.decode(torch.randn(64, args.latent).to(device)).cpu()
            save_image(sample.view(64, 1, 28, 28), f"results/sample_{epoch}.png")
