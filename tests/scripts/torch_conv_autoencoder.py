"""Squeeze clothing pictures to a 32-number code and back: a small convolutional autoencoder."""

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
from torchvision import datasets, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
EPOCHS = 10
BATCH = 128
CODE = 32

fashion = datasets.FashionMNIST(root="./data", train=True, download=True, transform=transforms.ToTensor())
loader = torch.utils.data.DataLoader(fashion, batch_size=BATCH, shuffle=True)
first_batch, _ = next(iter(loader))
print("pixel range:", first_batch.min().item(), first_batch.max().item())


class Autoencoder(nn.Module):
    def __init__(self, code=CODE):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1),   # 16 x 14 x 14
            nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1),  # 32 x 7 x 7
            nn.ReLU(),
            nn.Conv2d(32, code, 7),                     # code x 1 x 1
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(code, 32, 7),                                   # 32 x 7 x 7
            nn.ReLU(),
            nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1),  # 16 x 14 x 14
            nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1),   # 1 x 28 x 28
            nn.Sigmoid(),
        )

    def forward(self, x):
        return self.decoder(self.encoder(x))


model = Autoencoder().to(device)
mse = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-5)

snapshots = []
for epoch in range(EPOCHS):
    for batch, _ in loader:
        batch = batch.to(device)
        rebuilt = model(batch)
        loss = mse(rebuilt, batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}/{EPOCHS}: reconstruction MSE {loss.item():.4f}")
    snapshots.append((batch.detach().cpu(), rebuilt.detach().cpu()))

for epoch in range(0, EPOCHS, 3):
    originals, rebuilt = snapshots[epoch]
    fig, axes = plt.subplots(2, 8, figsize=(12, 3))
    for column in range(8):
        axes[0, column].imshow(originals[column, 0], cmap="gray")
        axes[1, column].imshow(rebuilt[column, 0], cmap="gray")
    fig.suptitle(f"epoch {epoch + 1}")
plt.show()
