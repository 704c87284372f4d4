"""Siamese network: are two MNIST digits the same digit?

Both images go through the same feature extractor; the two feature vectors are concatenated and
scored by a small head. Pairs are drawn on the fly by a Dataset subclass.
"""

import argparse
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets


class FeatureExtractor(nn.Module):
    def __init__(self, channels=(1, 32, 64, 96)):
        super().__init__()
        stages = []
        for cin, cout in zip(channels[:-1], channels[1:]):
            stages += [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
        self.stages = nn.Sequential(*stages)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.out_features = channels[-1]

    def forward(self, x):
        return torch.flatten(self.pool(self.stages(x)), 1)


class SiameseNetwork(nn.Module):
    def __init__(self):
        super(SiameseNetwork, self).__init__()
        self.features = FeatureExtractor()
        self.head = nn.Sequential(
            nn.Linear(self.features.out_features * 2, 128),
            nn.ReLU(inplace=True),
            nn.Linear(128, 1),
        )
        self.sigmoid = nn.Sigmoid()
        self.head.apply(self.init_weights)

    @staticmethod
    def init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            m.bias.data.fill_(0.01)

    def forward_once(self, x):
        return self.features(x)

    def forward(self, input1, input2):
        both = torch.cat((self.forward_once(input1), self.forward_once(input2)), 1)
        return self.sigmoid(self.head(both))


class DigitPairs(Dataset):
    """Even indices give a pair of the same digit (target 1), odd indices two different digits (0)."""

    def __init__(self, root, train, download=False):
        super(DigitPairs, self).__init__()
        self.source = datasets.MNIST(root, train=train, download=download)
        self.images = self.source.data.unsqueeze(1).float() / 255.0
        labels = np.array(self.source.targets)
        self.by_digit = {d: np.flatnonzero(labels == d) for d in range(10)}

    def __len__(self):
        return self.images.shape[0]

    def __getitem__(self, index):
        first = random.randint(0, 9)
        second = first if index % 2 == 0 else random.choice([d for d in range(10) if d != first])
        a = self.images[random.choice(self.by_digit[first])]
        b = self.images[random.choice(self.by_digit[second])]
        return a, b, torch.tensor(float(first == second))


def train(args, model, device, loader, optimizer, epoch):
    model.train()
    bce = nn.BCELoss()
    for step, (a, b, same) in enumerate(loader):
        a, b, same = a.to(device), b.to(device), same.to(device)
        optimizer.zero_grad()
        loss = bce(model(a, b).squeeze(), same)
        loss.backward()
        optimizer.step()
        if step % args.log_interval == 0:
            print(f"epoch {epoch} step {step}: loss {loss.item():.4f}")
            if args.dry_run:
                break


def test(model, device, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for a, b, same in loader:
            score = model(a.to(device), b.to(device)).squeeze()
            correct += (torch.where(score > 0.5, 1, 0) == same.to(device)).sum().item()
    print(f"pair accuracy {correct}/{len(loader.dataset)}")


def main():
    parser = argparse.ArgumentParser(description="Siamese network on MNIST pairs")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--test-batch-size", type=int, default=500)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1.0)
    parser.add_argument("--gamma", type=float, default=0.7)
    parser.add_argument("--no-cuda", action="store_true", default=False)
    parser.add_argument("--dry-run", action="store_true", default=False)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log-interval", type=int, default=20)
    parser.add_argument("--save-model", action="store_true", default=False)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    device = torch.device("cuda" if not args.no_cuda and torch.cuda.is_available() else "cpu")
    train_loader = DataLoader(DigitPairs("../data", train=True, download=True), batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(DigitPairs("../data", train=False), batch_size=args.test_batch_size)

    model = SiameseNetwork().to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)
    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        test(model, device, test_loader)
        scheduler.step()
    if args.save_model:
        torch.save(model.state_dict(), "siamese.pt")


if __name__ == "__main__":
    main()
