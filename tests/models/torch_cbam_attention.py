# nncalc: input-shape 3,48,48
"""A small CNN with CBAM attention (Woo et al. 2018): channel attention from average- and max-pooled
descriptors through one shared MLP (called twice), then spatial attention from the channel-wise mean and max
(``torch.max(x, dim=1, keepdim=True)`` gives values and indices) concatenated into a 7x7 convolution. Also
uses ``chunk``, ``stack``, ``einsum``-free batched ``@`` and indexing."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ChannelGate(nn.Module):
    def __init__(self, channels: int, reduction: int = 8) -> None:
        super().__init__()
        self.mlp = nn.Sequential(
            nn.Flatten(),
            nn.Linear(channels, channels // reduction),
            nn.ReLU(),
            nn.Linear(channels // reduction, channels),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        avg = F.avg_pool2d(x, (x.size(2), x.size(3)), stride=(x.size(2), x.size(3)))
        mx = F.max_pool2d(x, (x.size(2), x.size(3)), stride=(x.size(2), x.size(3)))
        attention = self.mlp(avg) + self.mlp(mx)
        scale = torch.sigmoid(attention).unsqueeze(2).unsqueeze(3).expand_as(x)
        return x * scale


class SpatialGate(nn.Module):
    def __init__(self, kernel_size: int = 7) -> None:
        super().__init__()
        self.spatial = nn.Sequential(
            nn.Conv2d(2, 1, kernel_size, padding=(kernel_size - 1) // 2, bias=False),
            nn.BatchNorm2d(1, eps=1e-5, momentum=0.01, affine=True),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        max_values, _indices = torch.max(x, dim=1, keepdim=True)
        compressed = torch.cat((max_values, torch.mean(x, 1).unsqueeze(1)), dim=1)
        return x * torch.sigmoid(self.spatial(compressed))


class CBAM(nn.Module):
    def __init__(self, channels: int, reduction: int = 8) -> None:
        super().__init__()
        self.channel_gate = ChannelGate(channels, reduction)
        self.spatial_gate = SpatialGate()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.spatial_gate(self.channel_gate(x))


class AttentionNet(nn.Module):
    def __init__(self, num_classes: int = 7) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.cbam1 = CBAM(32)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1, stride=2)
        self.cbam2 = CBAM(64)
        self.fc = nn.Linear(2 * 32 + 64, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.cbam1(F.relu(self.conv1(x)))
        x = F.max_pool2d(x, 2)
        left, right = x.chunk(2, dim=1)
        pair = torch.stack([left, right], dim=1)                  # N, 2, 16, 24, 24
        gram = pair.flatten(3) @ pair.flatten(3).transpose(-1, -2)  # N, 2, 16, 16
        y = self.cbam2(F.relu(self.conv2(x)))                     # N, 64, 12, 12
        pooled = y.mean(dim=(2, 3))
        summary = torch.cat([gram.flatten(1)[:, :64], pooled], dim=1)
        return self.fc(summary)
