# nncalc: input-shape 3,9,32,32
"""A small 3D CNN (C3D-like) over short video clips."""
import torch
import torch.nn as nn


class Video3DNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv3d(3, 8, kernel_size=3, padding=1)
        self.pool1 = nn.MaxPool3d(kernel_size=(1, 2, 2))
        self.conv2 = nn.Conv3d(8, 16, kernel_size=(3, 3, 3), stride=(1, 2, 2), padding=(1, 1, 1))
        self.pool2 = nn.AvgPool3d(kernel_size=2, ceil_mode=True)
        self.conv3 = nn.Conv3d(16, 16, kernel_size=3, padding='same', dilation=(1, 2, 2))
        self.pool3 = nn.MaxPool3d(kernel_size=3, stride=2, padding=1)
        self.dropout = nn.Dropout(p=0.3)
        self.fc = nn.Linear(16 * 3 * 2 * 2, 1)

    def forward(self, x):
        x = self.pool1(torch.relu(self.conv1(x)))
        x = self.pool2(torch.relu(self.conv2(x)))
        x = self.pool3(torch.relu(self.conv3(x)))
        x = x.reshape(x.size(0), -1)
        x = self.dropout(x)
        return torch.sigmoid(self.fc(x))
