# nncalc: input-shape 1,28,28
"""An MNIST MLP with BatchNorm1d and dropout."""
import torch
from torch import nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, hidden=(256, 64), num_classes=10):
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(28 * 28, hidden[0], bias=False)
        self.bn1 = nn.BatchNorm1d(hidden[0])
        self.act = nn.ReLU()
        self.drop = nn.Dropout(0.3)
        self.fc2 = nn.Linear(hidden[0], hidden[1])
        self.bn2 = nn.BatchNorm1d(hidden[1], affine=True)
        self.out = nn.Linear(hidden[1], num_classes)

    def forward(self, x):
        x = self.flatten(x)
        x = self.drop(self.act(self.bn1(self.fc1(x))))
        x = torch.tanh(self.bn2(self.fc2(x)))
        return F.softmax(self.out(x), dim=1)
