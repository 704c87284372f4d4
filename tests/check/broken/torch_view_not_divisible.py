# view() with the flattened size of a 30×30 input: 3136 elements do not divide into rows of 2704.
# nncalc: input-shape 3,32,32
# expect: line 22 reshape
# fixed: line 16:         self.fc1 = nn.Linear(16 * 14 * 14, 128)
# fixed: line 22:         x = x.view(-1, 16 * 14 * 14)
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3)
        self.conv2 = nn.Conv2d(8, 16, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(16 * 13 * 13, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 13 * 13)
        x = F.relu(self.fc1(x))
        return self.fc2(x)
