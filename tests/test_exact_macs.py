"""Exact MACs where today's tools disagree, worked out by hand and checked against torch's own FlopCounterMode
(which counts 2 FLOPs per multiply-accumulate, bias excluded). Keras models get the same MACs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import nncalc
from oracle import MODELS_DIR

sys.path.insert(0, str(Path(__file__).resolve().parent / "frameworks"))  # torch_helpers, torch_real

# Conv2d(3, 8, 3) on 1×3×32×32: output 30×30; each of the 8 × 30 × 30 outputs takes 3 × 3 × 3 products:
#   8 × 900 × 27 = 194,400
CONV = 194_400
# ConvTranspose2d(8, 4, 3, stride=2) on 1×8×16×16: every input value (8 × 16 × 16 = 2,048) is spread over a
# 3 × 3 window of each of the 4 output channels: 2,048 × 9 × 4 = 73,728 (output 33×33, but positions a kernel
# tap never reaches cost nothing; counting output × kernel, 4 × 33 × 33 × 8 × 9 = 313,632, is the overcount
# some tools make)
CONV_TRANSPOSE = 73_728
# The seed (seed/seed.md): conv1 as above; conv2 Conv2d(8, 16, 3) on 8×30×30 → 16 × 28 × 28 × (3 × 3 × 8)
# = 903,168; the 2×2 pool costs none; fc1 Linear(3136, 128): 3,136 × 128 = 401,408; fc2 Linear(128, 10): 1,280.
SEED = {"conv1": 194_400, "conv2": 903_168, "fc1": 401_408, "fc2": 1_280}
SEED_TOTAL = 1_500_256

# keras.ops.dot_product_attention on (1, 5, 2, 4) queries, keys and values: for each of the 2 heads, 5 × 5 scores
# of 4 products and 5 outputs of 4 values weighted by 5 scores: 2 × 5 × 5 × (4 + 4) = 400
DOT_PRODUCT_ATTENTION = 400
_KERNEL_LAYER = ("import keras\nfrom keras import layers\nclass Op(layers.Layer):\n"
                 "    def build(self, input_shape):\n        self.w = self.add_weight(shape={})\n"
                 "    def call(self, x):\n        return keras.ops.{}\n")

TORCH_SNIPPETS = {
    "conv": ("import torch.nn as nn\nmodel = nn.Sequential(nn.Conv2d(3, 8, 3))", (3, 32, 32), CONV),
    "conv_transpose": ("import torch.nn as nn\nmodel = nn.Sequential(nn.ConvTranspose2d(8, 4, 3, stride=2))",
                       (8, 16, 16), CONV_TRANSPOSE),
}
KERAS_SNIPPETS = {
    "conv": ("import keras\nfrom keras import layers\n"
             "model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3)])", CONV),
    "conv_transpose": ("import keras\nfrom keras import layers\n"
                       "model = keras.Sequential([keras.Input((16, 16, 8)), layers.Conv2DTranspose(4, 3, strides=2)])",
                       CONV_TRANSPOSE),
    "keras.ops.conv": (_KERNEL_LAYER.format("(3, 3, 3, 8)", "conv(x, self.w)") + "model = keras.Sequential("
                       "[keras.Input((32, 32, 3)), Op()])", CONV),
    "keras.ops.conv_transpose": (_KERNEL_LAYER.format("(3, 3, 4, 8)", "conv_transpose(x, self.w, strides=2)")
                                 + "model = keras.Sequential([keras.Input((16, 16, 8)), Op()])", CONV_TRANSPOSE),
    "keras.ops.dot_product_attention": (_KERNEL_LAYER.format("(1,)", "dot_product_attention(x, x, x)")
                                        + "model = keras.Sequential([keras.Input((5, 2, 4)), Op()])",
                                        DOT_PRODUCT_ATTENTION),
}


@pytest.mark.parametrize("name", TORCH_SNIPPETS)
def test_torch_layer_macs(name):
    source, shape, expected = TORCH_SNIPPETS[name]
    report = nncalc.analyze(source, input_shape=shape, batch=1)
    assert report.total_macs == expected
    assert report.total_flops == 2 * expected


@pytest.mark.parametrize("name", TORCH_SNIPPETS)
def test_torch_flop_counter_agrees(name):
    torch = pytest.importorskip("torch")
    from torch.utils.flop_counter import FlopCounterMode

    layer = {"conv": lambda: torch.nn.Conv2d(3, 8, 3),
             "conv_transpose": lambda: torch.nn.ConvTranspose2d(8, 4, 3, stride=2)}[name]()
    _, shape, expected = TORCH_SNIPPETS[name]
    with FlopCounterMode(display=False) as counter:
        layer(torch.zeros(1, *shape))
    assert counter.get_total_flops() == 2 * expected


@pytest.mark.parametrize("name", KERAS_SNIPPETS)
def test_keras_layer_macs(name):
    source, expected = KERAS_SNIPPETS[name]
    assert nncalc.analyze(source, batch=1).total_macs == expected


@pytest.mark.parametrize("file", ["seed_torch.py", "seed_keras.py"])
def test_seed_macs_per_layer(file):
    report = nncalc.analyze(str(MODELS_DIR / file), batch=1)
    macs = {row.type: [] for row in report.layers}
    for row in report.layers:
        macs[row.type].append(row.macs)
    convs = macs.get("Conv2d") or macs.get("Conv2D")
    dense = macs.get("Linear") or macs.get("Dense")
    assert convs == [SEED["conv1"], SEED["conv2"]]
    assert dense == [SEED["fc1"], SEED["fc2"]]
    assert sum(row.macs for row in report.layers if row.is_leaf) == report.total_macs == SEED_TOTAL
    assert all(not row.macs for row in report.layers if row.type not in ("Conv2d", "Conv2D", "Linear", "Dense"))


# ----- the memory numbers of docs/conventions.md ---------------------------------------------------------------
def test_seed_activations_are_the_sum_of_layer_outputs():
    """Batch 1, fp32: every layer's output, as the real torch produces it (forward hooks on the leaf modules)."""
    torch = pytest.importorskip("torch")
    from torch_helpers import real_namespace
    from torch_real import choose_model

    source = (MODELS_DIR / "seed_torch.py").read_text()
    model = choose_model(real_namespace(source), torch.nn.Module, source).eval()
    sizes = []
    for module in model.modules():
        if not list(module.children()):
            module.register_forward_hook(lambda _m, _i, out: sizes.append(out.numel()))
    with torch.no_grad():
        model(torch.zeros(1, 3, 32, 32))
    assert sum(sizes) == 7_200 + 12_544 + 3_136 + 128 + 10 == 23_018
    report = nncalc.analyze(str(MODELS_DIR / "seed_torch.py"), batch=1)
    assert report.memory.activations == 4 * sum(sizes) == 92_072
    assert report.memory.parameters == 4 * 404_218


def test_gpt2_small_training_memory_with_adamw():
    """fp32 AdamW: 4 bytes of weight, 4 of gradient, 8 of optimizer state (two moments) per parameter."""
    path = MODELS_DIR / "torch_gpt2_nanogpt.py"
    report = nncalc.analyze(str(path), input_shape=(1024,), optimizer="adamw")
    params = report.total_params
    assert params == report.trainable_params == 124_439_808
    memory = report.memory
    assert (memory.parameters, memory.gradients, memory.optimizer_state) == (4 * params, 4 * params, 8 * params)
    assert memory.training == 16 * params + memory.activations == 1_991_036_928 + memory.activations
