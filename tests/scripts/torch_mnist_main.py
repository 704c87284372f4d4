"""MNIST digits with a small convnet; command-line options, a train/eval loop and a checkpoint."""

import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import ExponentialLR
from torchvision import datasets, transforms


class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel_size=3)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class Net(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.block1 = ConvBlock(1, 24)
        self.block2 = ConvBlock(24, 48)
        self.drop_features = nn.Dropout2d(0.2)
        self.fc1 = nn.Linear(48 * 12 * 12, 96)
        self.drop_hidden = nn.Dropout(0.4)
        self.fc2 = nn.Linear(96, classes)

    def forward(self, x):
        x = self.block2(self.block1(x))
        x = self.drop_features(F.max_pool2d(x, 2))
        x = torch.flatten(x, 1)
        x = self.drop_hidden(F.relu(self.fc1(x)))
        return F.log_softmax(self.fc2(x), dim=1)


def run_epoch(model, loader, optimizer, device, epoch, log_every, dry_run):
    model.train()
    for step, (images, targets) in enumerate(loader):
        images, targets = images.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = F.nll_loss(model(images), targets)
        loss.backward()
        optimizer.step()
        if step % log_every == 0:
            seen = step * len(images)
            print(f"epoch {epoch} [{seen}/{len(loader.dataset)}] loss {loss.item():.4f}")
            if dry_run:
                return


@torch.no_grad()
def evaluate(model, loader, device):
    model.eval()
    total_loss, hits = 0.0, 0
    for images, targets in loader:
        images, targets = images.to(device), targets.to(device)
        log_probs = model(images)
        total_loss += F.nll_loss(log_probs, targets, reduction="sum").item()
        hits += (log_probs.argmax(dim=1) == targets).sum().item()
    n = len(loader.dataset)
    print(f"test: mean loss {total_loss / n:.4f}, accuracy {hits}/{n} ({100.0 * hits / n:.1f}%)")
    return hits / n


def main():
    parser = argparse.ArgumentParser(description="convnet on MNIST")
    parser.add_argument("--batch-size", type=int, default=128, metavar="N")
    parser.add_argument("--test-batch-size", type=int, default=512, metavar="N")
    parser.add_argument("--epochs", type=int, default=10, metavar="N")
    parser.add_argument("--lr", type=float, default=0.5, metavar="LR")
    parser.add_argument("--gamma", type=float, default=0.8, metavar="G", help="lr decay per epoch")
    parser.add_argument("--no-cuda", action="store_true", default=False, help="train on the CPU")
    parser.add_argument("--dry-run", action="store_true", default=False)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--log-every", type=int, default=50)
    parser.add_argument("--save-model", action="store_true", default=False)
    args = parser.parse_args()

    use_cuda = not args.no_cuda and torch.cuda.is_available()
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if use_cuda else "cpu")
    loader_options = {"num_workers": 2, "pin_memory": True} if use_cuda else {}

    to_tensor = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train_set = datasets.MNIST("data", train=True, download=True, transform=to_tensor)
    test_set = datasets.MNIST("data", train=False, transform=to_tensor)
    train_loader = torch.utils.data.DataLoader(train_set, batch_size=args.batch_size, shuffle=True, **loader_options)
    test_loader = torch.utils.data.DataLoader(test_set, batch_size=args.test_batch_size, **loader_options)

    model = Net().to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)
    scheduler = ExponentialLR(optimizer, gamma=args.gamma)
    best = 0.0
    for epoch in range(1, args.epochs + 1):
        run_epoch(model, train_loader, optimizer, device, epoch, args.log_every, args.dry_run)
        best = max(best, evaluate(model, test_loader, device))
        scheduler.step()
    print(f"best accuracy {best:.2%}")

    if args.save_model:
        torch.save(model.state_dict(), "mnist_convnet.pt")


if __name__ == "__main__":
    main()
