"""A registry of activations; importing the layers package from here closes an import cycle."""
import torch.nn as nn

from . import conv  # conv imports this module too: a cycle, resolved as Python resolves it

ACTIVATIONS = {"relu": nn.ReLU, "gelu": nn.GELU, "silu": nn.SiLU}


def make_activation(name):
    return ACTIVATIONS[name]()
