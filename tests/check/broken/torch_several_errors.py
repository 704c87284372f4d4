# Three independent mistakes in one model: nncalc check reports all three in one run.
# nncalc: input-shape 3,32,32
# expect: line 14 conv-in-channels 32
# expect: line 15 norm-num-features 64
# expect: line 17 linear-in-features 64 * 8 * 8
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(64, 64, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(128)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(64 * 7 * 7, 256)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        x = self.pool(self.bn1(self.conv1(x)).relu())
        x = self.pool(self.bn2(self.conv2(x)).relu())
        x = x.flatten(1)
        return self.fc2(self.fc1(x).relu())
