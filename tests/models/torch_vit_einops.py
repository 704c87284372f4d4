"""A small vision transformer written with einops: patches cut by a Rearrange layer, heads split and merged
with rearrange, attention scores by einops.einsum, the class token repeated over the batch, a mixer block
using EinMix over the tokens, and mean pooling by a Reduce layer."""
# nncalc: input-shape 3,64,64
import torch
import torch.nn as nn
from einops import einsum, rearrange, repeat
from einops.layers.torch import EinMix, Rearrange, Reduce


class SelfAttention(nn.Module):
    def __init__(self, width, heads=4, head_width=16):
        super().__init__()
        self.heads = heads
        inner = heads * head_width
        self.norm = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * inner, bias=False)
        self.proj = nn.Linear(inner, width)
        self.scale = head_width ** -0.5

    def forward(self, tokens):
        q, k, v = self.qkv(self.norm(tokens)).chunk(3, dim=-1)
        q, k, v = (rearrange(t, "b n (h d) -> b h n d", h=self.heads) for t in (q, k, v))
        scores = einsum(q, k, "b h i d, b h j d -> b h i j") * self.scale
        mixed = einsum(scores.softmax(dim=-1), v, "b h i j, b h j d -> b h i d")
        return self.proj(rearrange(mixed, "b h n d -> b n (h d)"))


class TokenMixer(nn.Module):
    """An MLP-mixer step across the tokens: one EinMix weight over (tokens, tokens)."""

    def __init__(self, width, tokens):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.mix = EinMix("b n c -> b m c", weight_shape="n m", bias_shape="m", n=tokens, m=tokens)

    def forward(self, tokens):
        return self.mix(self.norm(tokens))


class Block(nn.Module):
    def __init__(self, width, tokens):
        super().__init__()
        self.attention = SelfAttention(width)
        self.mixer = TokenMixer(width, tokens)
        self.mlp = nn.Sequential(nn.LayerNorm(width), nn.Linear(width, 2 * width), nn.GELU(), nn.Linear(2 * width, width))

    def forward(self, tokens):
        tokens = tokens + self.attention(tokens)
        tokens = tokens + self.mixer(tokens)
        return tokens + self.mlp(tokens)


class EinopsViT(nn.Module):
    def __init__(self, image=64, patch=8, channels=3, width=96, depth=3, classes=10):
        super().__init__()
        patches = (image // patch) ** 2
        self.embed = nn.Sequential(
            Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=patch, p2=patch),
            nn.Linear(patch * patch * channels, width),
        )
        self.cls = nn.Parameter(torch.zeros(1, 1, width))
        self.position = nn.Parameter(torch.zeros(1, patches + 1, width))
        self.blocks = nn.Sequential(*[Block(width, patches + 1) for _ in range(depth)])
        self.pool = Reduce("b n c -> b c", "mean")
        self.head = nn.Linear(width, classes)

    def forward(self, images):
        tokens = self.embed(images)
        cls = repeat(self.cls, "1 1 c -> b 1 c", b=tokens.shape[0])
        tokens = torch.cat([cls, tokens], dim=1) + self.position
        return self.head(self.pool(self.blocks(tokens)))


model = EinopsViT()
