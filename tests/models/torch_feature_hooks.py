"""A feature extractor written with forward hooks, as Grad-CAM scripts and embedding extractors write it: a hook
keeps a block's output, the wrapper returns the logits and the kept features; a pre-hook rescales the input and
a hook with kwargs replaces an output. nncalc must run the hooks where torch does."""
import torch
import torch.nn as nn

# nncalc: input-shape 3,32,32


class Backbone(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU())
        self.block = nn.Sequential(nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU())
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(32, classes)

    def forward(self, x):
        x = self.block(self.stem(x))
        return self.head(torch.flatten(self.pool(x), 1))


class FeatureExtractor(nn.Module):
    def __init__(self, model, layer_name="block"):
        super().__init__()
        self.model = model
        self.features = None
        layer = getattr(self.model, layer_name)
        self.handle = layer.register_forward_hook(self._keep)
        self.model.stem.register_forward_pre_hook(lambda module, args: (args[0] * 2.0,))
        self.model.pool.register_forward_hook(self._squeeze, with_kwargs=True)

    def _keep(self, module, inputs, output):
        self.features = output.detach()

    def _squeeze(self, module, args, kwargs, output):
        return output.flatten(2).unsqueeze(-1)

    def forward(self, x):
        logits = self.model(x)
        return logits, self.features.mean(dim=(2, 3))


model = FeatureExtractor(Backbone())
