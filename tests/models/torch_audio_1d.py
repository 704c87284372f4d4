# nncalc: input-shape 1,4000
"""A 1D CNN over a raw waveform (M5-style keyword spotter)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class AudioCNN(nn.Module):
    def __init__(self, n_classes=12):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 16, kernel_size=80, stride=4)
        self.bn1 = nn.BatchNorm1d(16)
        self.pool1 = nn.MaxPool1d(4)
        self.conv2 = nn.Conv1d(16, 32, kernel_size=4, padding='same')
        self.bn2 = nn.BatchNorm1d(32)
        self.pool2 = nn.MaxPool1d(3, stride=3, ceil_mode=True)
        self.conv3 = nn.Conv1d(32, 32, kernel_size=3, dilation=2, bias=False)
        self.bn3 = nn.BatchNorm1d(32)
        self.pool3 = nn.AvgPool1d(3, stride=2, padding=1)
        self.conv4 = nn.Conv1d(32, 64, kernel_size=3, stride=2, padding=1, groups=4)
        self.gap = nn.AdaptiveAvgPool1d(1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        x = self.pool1(F.relu(self.bn1(self.conv1(x))))
        x = self.pool2(F.relu(self.bn2(self.conv2(x))))
        x = self.pool3(F.relu(self.bn3(self.conv3(x))))
        x = F.relu(self.conv4(x))
        x = self.gap(x)
        x = x.reshape(x.shape[0], -1)
        x = F.dropout(x, p=0.2, training=self.training)
        return self.fc(x)
