"""
A multi-layer perceptron on MNIST whose sizes come from the command line.

The options are parsed under `if __name__ == "__main__":` and read by the model as the global `args`.

    python torch_mnist_mlp_options.py --hidden 256 --layers 3 --epochs 5
"""

import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torchvision import datasets, transforms


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(width, width)
        self.norm = nn.BatchNorm1d(width) if args.batch_norm else nn.Identity()
        self.drop = nn.Dropout(args.dropout)

    def forward(self, x):
        return self.drop(F.relu(self.norm(self.fc(x))))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(28 * 28, args.hidden)
        self.blocks = nn.Sequential(*[Block(args.hidden) for _ in range(args.layers)])
        self.head = nn.Linear(args.hidden, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = self.blocks(F.relu(self.stem(x)))
        return F.log_softmax(self.head(x), dim=1)


def train(model, device, loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        loss = F.nll_loss(model(data), target)
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print("epoch {} [{}/{}] loss {:.4f}".format(epoch, batch_idx * len(data), len(loader.dataset), loss.item()))


def test(model, device, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for data, target in loader:
            data, target = data.to(device), target.to(device)
            correct += model(data).argmax(dim=1).eq(target).sum().item()
    print("accuracy {:.2f}%".format(100.0 * correct / len(loader.dataset)))


def main():
    device = torch.device("cuda" if args.cuda else "cpu")
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train_set = datasets.MNIST("../data", train=True, download=True, transform=transform)
    test_set = datasets.MNIST("../data", train=False, transform=transform)
    train_loader = torch.utils.data.DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
    test_loader = torch.utils.data.DataLoader(test_set, batch_size=1000)

    model = MLP().to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
    for epoch in range(1, args.epochs + 1):
        train(model, device, train_loader, optimizer, epoch)
        test(model, device, test_loader)
        scheduler.step()
    if args.save_model:
        torch.save(model.state_dict(), "mnist_mlp.pt")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="PyTorch MNIST MLP")
    parser.add_argument("--batch-size", type=int, default=64, metavar="N")
    parser.add_argument("--epochs", type=int, default=14, metavar="N")
    parser.add_argument("--lr", type=float, default=1.0, metavar="LR")
    parser.add_argument("--hidden", type=int, default=512, help="width of the hidden layers")
    parser.add_argument("--layers", type=int, default=2, help="hidden blocks after the stem")
    parser.add_argument("--dropout", type=float, default=0.25)
    parser.add_argument("--batch-norm", action="store_true", default=False)
    parser.add_argument("--no-cuda", action="store_true", default=False)
    parser.add_argument("--log-interval", type=int, default=10, metavar="N")
    parser.add_argument("--save-model", action="store_true", default=False)
    args = parser.parse_args()
    args.cuda = not args.no_cuda and torch.cuda.is_available()
    torch.manual_seed(1)
    main()
