# nncalc: input-shape 2,28,28
"""A Siamese network: ONE encoder applied to both halves of the input (shared weights count once, its work at
every call), a module holding a learned temperature as an ``nn.Parameter`` and fixed class prototypes as a
``register_buffer``, and tensor algebra between the two embeddings (split, stack, subtract, matmul, mean, max)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self, embedding_dim: int = 64) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=5)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=5)
        self.fc = nn.Linear(32 * 4 * 4, embedding_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        return F.normalize(self.fc(x), dim=1)


class PrototypeSimilarity(nn.Module):
    """Scaled cosine similarity to fixed prototypes; only the temperature is learned."""

    def __init__(self, embedding_dim: int, prototypes: int) -> None:
        super().__init__()
        self.temperature = nn.Parameter(torch.ones(1) * 10.0)
        self.register_buffer("prototypes", F.normalize(torch.randn(prototypes, embedding_dim), dim=1))

    def forward(self, a: torch.Tensor) -> torch.Tensor:
        return self.temperature * (a @ self.prototypes.t())  # N, prototypes


class Siamese(nn.Module):
    def __init__(self, embedding_dim: int = 64, prototypes: int = 5) -> None:
        super().__init__()
        self.encoder = Encoder(embedding_dim)
        self.similarity = PrototypeSimilarity(embedding_dim, prototypes)
        self.head = nn.Sequential(nn.Linear(2 * embedding_dim + prototypes, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, pair: torch.Tensor) -> torch.Tensor:
        left, right = torch.split(pair, 1, dim=1)
        a = self.encoder(left)
        b = self.encoder(right)
        both = torch.stack([a, b], dim=1)                       # N, 2, D
        difference = (a - b).abs()
        product = a * b
        similarity = self.similarity(a)
        pooled, _ = both.max(dim=1)
        features = torch.cat([difference + product, pooled.mean(dim=0, keepdim=True).expand_as(a), similarity], 1)
        features = features[:, : 2 * a.shape[1] + self.similarity.prototypes.shape[0]]
        return torch.sigmoid(self.head(features)).squeeze(-1)


model = Siamese()
n_params = sum(p.numel() for p in model.parameters())
assert n_params == 50_402, n_params  # 416 + 12,832 + 32,832 + 1 + 4,288 + 33
assert sum(b.numel() for b in model.buffers()) == 320
