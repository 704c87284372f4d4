# nncalc: input-shape 3,64,64
"""Transfer learning: a small pretrained-style backbone frozen with ``p.requires_grad = False`` in a loop, a
partly frozen neck (``requires_grad_(False)`` on one layer), and a fresh trainable classifier. The frozen
weights are non-trainable parameters; batch-norm statistics stay buffers."""
import torch
import torch.nn as nn


def conv_block(in_channels, out_channels, stride=1):
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    )


class Backbone(nn.Module):
    def __init__(self, widths=(32, 64, 128)):
        super().__init__()
        blocks = []
        in_channels = 3
        for width in widths:
            blocks.append(conv_block(in_channels, width, stride=2))
            blocks.append(conv_block(width, width))
            in_channels = width
        self.body = nn.Sequential(*blocks)
        self.out_channels = in_channels

    def forward(self, x):
        return self.body(x)


class FineTuner(nn.Module):
    def __init__(self, num_classes=5, freeze_backbone=True):
        super().__init__()
        self.backbone = Backbone()
        if freeze_backbone:
            for param in self.backbone.parameters():
                param.requires_grad = False
        self.neck = nn.Sequential(
            nn.Conv2d(self.backbone.out_channels, 64, 1),
            nn.ReLU(),
            nn.Conv2d(64, 64, 3, padding=1),
        )
        self.neck[0].requires_grad_(False)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(64, num_classes)

    def forward(self, x):
        features = self.backbone(x)
        features = self.neck(features)
        return self.classifier(torch.flatten(self.pool(features), 1))


model = FineTuner()
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
print(f"trainable {trainable:,}, frozen {frozen:,}")
