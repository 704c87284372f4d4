# A residual block whose shortcut keeps 32 channels while the branch makes 64: x + identity fails.
# nncalc: input-shape 32,16,16
# expect: line 18 broadcast
# fixed: line 9:     def __init__(self, cin=32, cout=32):
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, cin=32, cout=64):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.relu = nn.ReLU()

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.conv2(out) + x
        return self.relu(out)
