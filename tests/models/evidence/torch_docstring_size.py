"""A small all-convolutional classifier for 96x96 RGB crops.

Input: 3x96x96 images, normalised per channel.
Output: logits for 10 classes.
"""
import torch.nn as nn


def conv_bn(c_in, c_out, stride):
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


class CropNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            conv_bn(3, 32, 2),
            conv_bn(32, 64, 2),
            conv_bn(64, 128, 2),
            conv_bn(128, 256, 2),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(256, num_classes)

    def forward(self, x):
        x = self.pool(self.features(x))
        return self.classifier(x.flatten(1))
