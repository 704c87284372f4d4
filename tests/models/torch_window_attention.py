"""Window attention with a relative-position bias table (the index built with torch.meshgrid, as Swin
builds it), grouped-query heads expanded with repeat_interleave, the projections cut with tensor_split and
the scores computed by torch.einsum."""
# nncalc: input-shape 49,64
import torch
import torch.nn as nn


class WindowAttention(nn.Module):
    def __init__(self, dim=64, window=7, heads=8, kv_heads=2):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, dim // heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * kv_heads * self.head_dim)
        self.proj = nn.Linear(dim, dim)
        self.bias_table = nn.Parameter(torch.zeros((2 * window - 1) * (2 * window - 1), heads))
        coords = torch.stack(torch.meshgrid(torch.arange(window), torch.arange(window), indexing="ij"))
        flat = torch.flatten(coords, 1)
        relative = (flat[:, :, None] - flat[:, None, :]).permute(1, 2, 0).contiguous()
        relative[:, :, 0] += window - 1
        relative[:, :, 1] += window - 1
        relative[:, :, 0] *= 2 * window - 1
        self.register_buffer("index", relative.sum(-1).flatten())

    def forward(self, x):
        b, n, c = x.shape
        q = self.q(x).view(b, n, self.heads, self.head_dim).transpose(1, 2)
        k, v = self.kv(x).tensor_split(2, dim=-1)
        k = k.view(b, n, self.kv_heads, self.head_dim).transpose(1, 2).repeat_interleave(self.heads // self.kv_heads, dim=1)
        v = v.view(b, n, self.kv_heads, self.head_dim).transpose(1, 2).repeat_interleave(self.heads // self.kv_heads, dim=1)
        scores = torch.einsum("bhid,bhjd->bhij", q, k) * self.head_dim ** -0.5
        bias = self.bias_table[self.index].view(n, n, -1).permute(2, 0, 1)
        attn = (scores + bias.unsqueeze(0)).softmax(dim=-1)
        out = torch.einsum("bhij,bhjd->bhid", attn, v).transpose(1, 2).reshape(b, n, c)
        return self.proj(out)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = WindowAttention()
        self.norm = nn.LayerNorm(64)
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        x = x + self.attn(self.norm(x))
        return self.head(x.mean(dim=1))
