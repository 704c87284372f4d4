# nncalc: input-shape 3,28,28
# nncalc: model WideNet
"""Two independent models in one file; the directive picks WideNet."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class NarrowNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.fc = nn.Linear(4 * 26 * 26, 10)

    def forward(self, x):
        return self.fc(torch.flatten(F.relu(self.conv(x)), 1))


class WideNet(nn.Module):
    def __init__(self, width=32, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(width, width * 2, kernel_size=3, stride=2, groups=4)
        self.fc1 = nn.Linear(width * 2 * 3 * 3, 128)
        self.fc2 = nn.Linear(128, num_classes)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(x, kernel_size=3, stride=2, padding=1)
        x = F.relu(self.conv2(x))
        x = F.avg_pool2d(x, 2)
        x = x.view(-1, 64 * 3 * 3)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, 0.5, self.training)
        return torch.sigmoid(self.fc2(x))
