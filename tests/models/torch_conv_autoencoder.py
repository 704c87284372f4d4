# nncalc: input-shape 1,28,28
"""A convolutional autoencoder for 28x28 digits: strided convolutions down to a small code, then
``nn.ConvTranspose2d`` back up (``output_padding`` restores the odd size 7 -> 14 -> 28), and a sigmoid."""
import math

import torch
from torch import nn


class ConvAutoencoder(nn.Module):
    def __init__(self, code_size: int = 16) -> None:
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1),   # 16 x 14 x 14
            nn.ReLU(True),
            nn.Conv2d(16, 32, 3, stride=2, padding=1),  # 32 x 7 x 7
            nn.BatchNorm2d(32),
            nn.ReLU(True),
            nn.Conv2d(32, 64, 7),                       # 64 x 1 x 1
            nn.Flatten(),
            nn.Linear(64, code_size),
        )
        self.decoder_input = nn.Linear(code_size, 64)
        self.decoder = nn.Sequential(
            nn.Unflatten(1, (64, 1, 1)),
            nn.ConvTranspose2d(64, 32, 7),                                      # 32 x 7 x 7
            nn.BatchNorm2d(32),
            nn.ReLU(True),
            nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1),  # 16 x 14 x 14
            nn.ReLU(True),
            nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1, bias=False),  # 8 x 28 x 28
            nn.ConvTranspose2d(8, 1, kernel_size=(3, 3), padding=(1, 1), dilation=1, groups=1),
            nn.Sigmoid(),
        )
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        # the classic in-place initialisation through ``.data``
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
                n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                m.weight.data.normal_(0, math.sqrt(2.0 / n))
                if m.bias is not None:
                    m.bias.data.zero_()
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data.fill_(1)
                m.bias.data.zero_()
            elif isinstance(m, nn.Linear):
                m.weight.data.uniform_(-0.1, 0.1)
                m.bias.data.zero_()

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)

    def decode(self, code: torch.Tensor) -> torch.Tensor:
        return self.decoder(torch.relu(self.decoder_input(code)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


model = ConvAutoencoder()

if __name__ == "__main__":
    batch = torch.rand(8, 1, 28, 28)
    loss = nn.functional.binary_cross_entropy(model(batch), batch)
    print(loss.item())
