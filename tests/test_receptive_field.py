"""Receptive field, jump and start per layer (nncalc.receptive), against tables worked out by hand.

The recurrence, per spatial axis, for a layer with kernel k, stride s, dilation d, padding p before:
    r_out = r_in + (k − 1)·d·j_in,   j_out = j_in·s,   start_out = start_in + ((k − 1)/2·d − p)·j_in
from r = 1, j = 1, start = 0 at the input. Where branches meet, the largest field of the inputs is kept.
"""

from __future__ import annotations

import json

import pytest

import nncalc
from oracle import MODELS_DIR

# ----- VGG-16 (tests/models/torch_vgg16.py), 3×224×224 ------------------------------------------------------
# Every conv is 3×3, stride 1, padding 1: r += 2·j, j and start unchanged ((3 − 1)/2 − 1 = 0).
# Every pool is 2×2, stride 2, padding 0: r += 1·j, j doubles, start += 0.5·j.
#   block 1 (j = 1):  conv 3, conv 5;            pool1: r 6,   j 2,  start 0.5
#   block 2 (j = 2):  conv 10, 14;               pool2: r 16,  j 4,  start 0.5 + 0.5·2 = 1.5
#   block 3 (j = 4):  conv 24, 32, 40;           pool3: r 44,  j 8,  start 1.5 + 0.5·4 = 3.5
#   block 4 (j = 8):  conv 60, 76, 92;           pool4: r 100, j 16, start 3.5 + 0.5·8 = 7.5
#   block 5 (j = 16): conv 132, 164, 196;        pool5: r 212, j 32, start 7.5 + 0.5·16 = 15.5
# (the published values: conv5_3 196, pool5 212). AdaptiveAvgPool2d(7) on 7×7 is a 1×1 window: unchanged.
VGG16 = {
    "features.0": (3, 1, 0), "features.2": (5, 1, 0), "features.4": (6, 2, 0.5),
    "features.5": (10, 2, 0.5), "features.7": (14, 2, 0.5), "features.9": (16, 4, 1.5),
    "features.10": (24, 4, 1.5), "features.12": (32, 4, 1.5), "features.14": (40, 4, 1.5),
    "features.16": (44, 8, 3.5),
    "features.17": (60, 8, 3.5), "features.19": (76, 8, 3.5), "features.21": (92, 8, 3.5),
    "features.23": (100, 16, 7.5),
    "features.24": (132, 16, 7.5), "features.26": (164, 16, 7.5), "features.28": (196, 16, 7.5),
    "features.29": (196, 16, 7.5),  # the ReLU after conv5_3 passes the field on
    "features.30": (212, 32, 15.5), "avgpool": (212, 32, 15.5),
}

# ----- ResNet-50 v1.5 (tests/models/torch_resnet50.py, torchvision's layout), 3×224×224 ----------------------
# conv1 7×7 s2 p3: r 7, j 2, start (3 − 3)·1 = 0.   maxpool 3×3 s2 p1: r 7 + 2·2 = 11, j 4, start 0.
# Bottleneck: 1×1 (no change), 3×3 p1 carrying the stage's stride (r += 2·j_in), 1×1. Every padding is
# (k − 1)/2, so the start stays 0. The shortcut (input, or a 1×1 stride-2 projection) is never larger than
# the main path, so the maximum over the two branches is the main path's.
#   layer1 (j 4):  3 blocks × (+8)                           → 11 + 24 = 35
#   layer2:        block 0's 3×3 s2 at j 4: +8 → 43, j 8;  3 blocks × (+16)  → 43 + 48 = 91
#   layer3:        block 0's 3×3 s2 at j 8: +16 → 107, j 16; 5 blocks × (+32) → 107 + 160 = 267
#   layer4:        block 0's 3×3 s2 at j 16: +32 → 299, j 32; 2 blocks × (+64) → 299 + 128 = 427
#   avgpool (7×7 → 1×1, a 7-wide window): 427 + 6·32 = 619, j 224, start 0 + 3·32 = 96
RESNET50_TORCH = {
    "conv1": (7, 2, 0), "maxpool": (11, 4, 0),
    "layer1.0.conv2": (19, 4, 0), "layer1.0.downsample.0": (11, 4, 0), "layer1.2.conv3": (35, 4, 0),
    "layer2.0.conv1": (35, 4, 0), "layer2.0.conv2": (43, 8, 0), "layer2.0.downsample.0": (35, 8, 0),
    "layer2.3.conv2": (91, 8, 0),
    "layer3.0.conv2": (107, 16, 0), "layer3.5.conv3": (267, 16, 0),
    "layer4.0.conv2": (299, 32, 0), "layer4.1.conv2": (363, 32, 0), "layer4.2.conv2": (427, 32, 0),
    "layer4.2.conv3": (427, 32, 0), "avgpool": (619, 224, 96),
}

# ----- ResNet-50 v1 (tests/models/keras_resnet50.py, keras.applications' layout), 224×224×3 -----------------
# Keras puts a stage's stride in the block's FIRST 1×1 convolution, so the 3×3 after it already works at the
# doubled jump; the stem pads explicitly with ZeroPadding2D (a 1-wide window with padding: start −= p·j).
#   conv1_pad (3): start −3;  conv1 7×7 s2 valid: r 7, j 2, start −3 + 3 = 0
#   pool1_pad (1): start −2;  pool1 3×3 s2 valid: r 11, j 4, start −2 + 1·2 = 0
#   conv2 (j 4): 3 blocks × (+8)                                   → 35
#   conv3: block1's 1×1 s2 → j 8; 4 blocks × (+16)                 → 35 + 64 = 99
#   conv4: 1×1 s2 → j 16; 6 blocks × (+32)                          → 99 + 192 = 291
#   conv5: 1×1 s2 → j 32; 3 blocks × (+64)                          → 291 + 192 = 483
# 483 is the published value for ResNet-50 v1 (Araujo et al., Distill 2019); torchvision's v1.5 gets 427.
RESNET50_KERAS = {
    "conv1_pad": (1, 1, -3), "conv1_conv": (7, 2, 0), "pool1_pad": (7, 2, -2), "pool1_pool": (11, 4, 0),
    "conv2_block1_2_conv": (19, 4, 0), "conv2_block3_add": (35, 4, 0),
    "conv3_block1_1_conv": (35, 8, 0), "conv3_block1_2_conv": (51, 8, 0), "conv3_block4_out": (99, 8, 0),
    "conv4_block1_2_conv": (131, 16, 0), "conv4_block6_out": (291, 16, 0),
    "conv5_block1_2_conv": (355, 32, 0), "conv5_block3_2_conv": (483, 32, 0), "conv5_block3_out": (483, 32, 0),
    "avg_pool": (675, 224, 96),
}


def _fields(report) -> dict[str, tuple]:
    """name → (size, jump, start) of each leaf row whose field is known; every axis must agree."""
    out = {}
    for row in report.layers:
        if row.is_leaf and row.receptive_field:
            values = {(f.size, f.jump, f.start) for f in row.receptive_field}
            assert len(values) == 1, (row.name, row.receptive_field)
            out[row.name] = values.pop()
    return out


@pytest.mark.parametrize(
    ("file", "options", "table"),
    [
        ("torch_vgg16.py", {"input_shape": (3, 224, 224)}, VGG16),
        ("torch_resnet50.py", {"input_shape": (3, 224, 224), "model": "resnet50"}, RESNET50_TORCH),
        ("keras_resnet50.py", {}, RESNET50_KERAS),
    ],
    ids=["vgg16", "resnet50-torch", "resnet50-keras"],
)
def test_receptive_fields_match_the_hand_table(file, options, table):
    fields = _fields(nncalc.analyze(str(MODELS_DIR / file), **options))
    assert {name: fields.get(name) for name in table} == table


def test_vgg16_field_ends_at_the_classifier():
    """Flattening ends the chain: the Linear layers have no field rather than a guessed one."""
    report = nncalc.analyze(str(MODELS_DIR / "torch_vgg16.py"), input_shape=(3, 224, 224))
    classifier = [row for row in report.layers if row.name.startswith("classifier.")]
    assert classifier and all(row.receptive_field is None for row in classifier)


def test_seed_fields_in_both_frameworks():
    """Valid 3×3 convolutions shift the start by 1 each; the 2×2 pool by 0.5."""
    expected = {"conv1": (3, 1, 1), "conv2": (5, 1, 2), "pool": (6, 2, 2.5)}
    assert {k: v for k, v in _fields(nncalc.analyze(str(MODELS_DIR / "seed_torch.py"))).items()} == expected
    keras_fields = _fields(nncalc.analyze(str(MODELS_DIR / "seed_keras.py")))
    assert sorted(keras_fields.values()) == sorted(expected.values())


SNIPPET_TORCH = """
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 3, padding=2, dilation=2)    # r 1 + 2·2 = 5, start 2 − 2 = 0
        self.b = nn.Conv2d(4, 4, (5, 1), stride=(2, 1))      # H: r 5 + 4 = 9, j 2, start 2; W: unchanged
        self.up = nn.ConvTranspose2d(4, 4, 2, stride=2)

    def forward(self, x):
        return self.up(self.b(self.a(x)))
"""


def test_dilation_and_anisotropic_windows_transposed_ends_the_chain():
    rows = {row.name: row.receptive_field for row in nncalc.analyze(SNIPPET_TORCH, input_shape=(3, 32, 32)).layers}
    assert [(f.axis, f.size, f.jump, f.start) for f in rows["a"]] == [("H", 5, 1, 0), ("W", 5, 1, 0)]
    assert [(f.axis, f.size, f.jump, f.start) for f in rows["b"]] == [("H", 9, 2, 2), ("W", 5, 1, 0)]
    assert rows["up"] is None


def test_concatenated_branches_take_the_larger_field():
    source = """
import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.wide = nn.Conv2d(3, 4, 7, padding=3)
        self.narrow = nn.Conv2d(3, 4, 3, padding=1)
        self.mix = nn.Conv2d(8, 8, 1)

    def forward(self, x):
        return self.mix(torch.relu(torch.cat([self.narrow(x), self.wide(x)], dim=1)))
"""
    rows = {row.name: row.receptive_field for row in nncalc.analyze(source, input_shape=(3, 16, 16)).layers}
    assert rows["mix"][0].size == 7 and rows["narrow"][0].size == 3


def test_functional_pooling_is_not_skipped_silently():
    """``F.max_pool2d`` in ``forward`` is not a layer call: the field after it is unknown, never too small."""
    report = nncalc.analyze(str(MODELS_DIR / "torch_lenet5.py"))
    fields = [row.receptive_field for row in report.layers if row.is_leaf]
    assert fields[0] is not None and fields[0][0].size == 5
    assert all(field is None for field in fields[1:])


def test_same_padding_in_keras_puts_the_odd_pixel_after():
    source = """
import keras
from keras import layers
model = keras.Sequential([keras.Input((9, 9, 1)), layers.Conv2D(2, 4, padding="same"),
                          layers.MaxPooling2D(2, padding="same")])
"""
    rows = [row for row in nncalc.analyze(source).layers if row.is_leaf]
    # 'same' for k 4, s 1: 3 pixels of padding, 1 before and 2 after → start (4 − 1)/2 − 1 = 0.5
    # pool 2, s 2 on 9: out 5, total (5 − 1)·2 + 2 − 9 = 1 → 0 before → start 0.5 + 0.5 = 1
    assert [(f.size, f.jump, f.start) for f in rows[0].receptive_field] == [(4, 1, 0.5)] * 2
    assert [(f.size, f.jump, f.start) for f in rows[1].receptive_field] == [(5, 2, 1.0)] * 2


def test_real_torch_gradients_agree():
    """The field of a unit is where its gradient with respect to the input is non-zero (all-ones weights, no
    ReLU, average pooling): checked with real torch on a strided, dilated chain, size and centre."""
    torch = pytest.importorskip("torch")
    source = """
import torch.nn as nn
model = nn.Sequential(nn.Conv2d(1, 1, 3, padding=1, bias=False), nn.AvgPool2d(2),
                      nn.Conv2d(1, 1, 3, dilation=2, bias=False), nn.Conv2d(1, 1, 4, stride=3, bias=False))
"""
    field = [row for row in nncalc.analyze(source, input_shape=(1, 64, 64)).layers][-1].receptive_field[0]
    real = torch.nn.Sequential(torch.nn.Conv2d(1, 1, 3, padding=1, bias=False), torch.nn.AvgPool2d(2),
                               torch.nn.Conv2d(1, 1, 3, dilation=2, bias=False),
                               torch.nn.Conv2d(1, 1, 4, stride=3, bias=False))
    for p in real.parameters():
        torch.nn.init.ones_(p)
    x = torch.zeros(1, 1, 64, 64, requires_grad=True)
    out = real(x)
    unit = 2
    out[0, 0, unit, unit].backward()
    rows = torch.nonzero(x.grad[0, 0].sum(dim=1)).flatten().tolist()
    assert rows[-1] - rows[0] + 1 == field.size
    assert (rows[0] + rows[-1]) / 2 == field.start + unit * field.jump


def test_json_lists_the_field_per_axis():
    data = json.loads(nncalc.analyze(str(MODELS_DIR / "seed_torch.py")).to_json())
    rows = {row["name"]: row["receptive_field"] for row in data["layers"]}
    assert rows["pool"] == [{"axis": "H", "size": 6, "jump": 2, "start": 2.5},
                            {"axis": "W", "size": 6, "jump": 2, "start": 2.5}]
    assert rows["fc1"] is None


def test_a_layer_doing_more_than_its_window_has_no_field():
    """A Conv2d subclass whose forward also pools: its window alone would give too small a field."""
    source = """
import torch.nn as nn
import torch.nn.functional as F

class ConvPool(nn.Conv2d):
    def forward(self, x):
        return F.max_pool2d(super().forward(x), 2)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 3)
        self.b = ConvPool(4, 4, 3)

    def forward(self, x):
        return self.b(self.a(x))
"""
    rows = {row.name: row.receptive_field for row in nncalc.analyze(source, input_shape=(3, 16, 16)).layers}
    assert rows["a"][0].size == 3
    assert rows["b"] is None
