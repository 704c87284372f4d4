"""Predict a house's sale price from tabular features (CSV), with a Dataset subclass and an MLP.

The feature columns are listed below; the CSV must contain them and the target column.
"""

import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, random_split
from tqdm import tqdm

DATA = Path("data") / "houses.csv"
FEATURES = ["area", "rooms", "bathrooms", "floors", "age", "garage", "lot_size", "distance_to_center"]
TARGET = "price"
HIDDEN = [128, 64, 32]
EPOCHS = 40
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"torch {torch.__version__} on {device}")


class HousesDataset(Dataset):
    def __init__(self, csv_path, features, target):
        frame = pd.read_csv(csv_path).dropna(subset=features + [target])
        x = frame[features].to_numpy(dtype=np.float32)
        self.mean, self.std = x.mean(axis=0), x.std(axis=0) + 1e-6
        self.x = torch.from_numpy((x - self.mean) / self.std)
        self.y = torch.from_numpy(np.log1p(frame[target].to_numpy(dtype=np.float32))).unsqueeze(1)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return self.x[idx], self.y[idx]


def mlp(sizes, dropout=0.1):
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.BatchNorm1d(n_out), nn.ReLU(), nn.Dropout(dropout)]
    return layers


class PriceRegressor(nn.Module):
    def __init__(self, n_features, hidden):
        super().__init__()
        self.body = nn.Sequential(*mlp([n_features] + hidden))
        self.out = nn.Linear(hidden[-1], 1)

    def forward(self, x):
        return self.out(self.body(x))


model = PriceRegressor(len(FEATURES), HIDDEN)
model.to(device)
print(model)
print(sum(p.numel() for p in model.parameters() if p.requires_grad), "trainable parameters")

if DATA.exists():
    dataset = HousesDataset(DATA, FEATURES, TARGET)
else:
    raise FileNotFoundError(f"put the CSV at {DATA}")
n_val = int(0.2 * len(dataset))
train_set, val_set = random_split(dataset, [len(dataset) - n_val, n_val], generator=torch.Generator().manual_seed(0))
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)

loss_fn = nn.MSELoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)

history = {"train": [], "val": []}
for epoch in range(EPOCHS):
    model.train()
    total = 0.0
    for x, y in tqdm(train_loader, desc=f"epoch {epoch + 1}/{EPOCHS}", leave=False):
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(x)
    scheduler.step()
    history["train"].append(total / len(train_set))

    model.eval()
    with torch.no_grad():
        val = sum(loss_fn(model(x.to(device)), y.to(device)).item() * len(x) for x, y in val_loader)
    history["val"].append(val / len(val_set))
    print(f"epoch {epoch + 1}: train {history['train'][-1]:.4f} val {history['val'][-1]:.4f}")

os.makedirs("checkpoints", exist_ok=True)
torch.save(
    {"model": model.state_dict(), "mean": dataset.mean, "std": dataset.std, "features": FEATURES},
    "checkpoints/price_regressor.pt",
)

plt.plot(history["train"], label="train")
plt.plot(history["val"], label="validation")
plt.yscale("log")
plt.legend()
plt.savefig("loss.png")
