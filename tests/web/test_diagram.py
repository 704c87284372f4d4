"""The SVG diagram: one box per layer call, sized by its output, arrows along the tensors."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from conftest import seed

from nncalc.analysis import trace
from nncalc.report import build_report
from nncalc.web.diagram import render_svg

SVG = "{http://www.w3.org/2000/svg}"
KERAS_RESIDUAL = '''
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 16))
x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
y = layers.Conv2D(16, 3, padding="same")(x)
y = layers.BatchNormalization()(y)
z = layers.Add()([y, x])
w = layers.Conv2D(8, 1)(z)
c = layers.Concatenate()([w, z])
out = layers.GlobalAveragePooling2D()(c)
model = keras.Model(inputs, out)
'''
TORCH_SKIPS = '''
import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.conv3 = nn.Conv2d(8, 8, 3, padding=1)
        self.head = nn.Conv2d(16, 4, 1)

    def forward(self, x):
        a = torch.relu(self.conv1(x))
        b = self.conv3(torch.relu(self.conv2(a))) + a
        return self.head(torch.cat([b, a], dim=1))
'''


def svg_of(source: str, **options) -> str:
    graph = trace(source, **options)
    return render_svg(build_report(graph), graph)


def boxes(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "box layer"]


def skips(svg: str) -> list[tuple[int, int]]:
    """(source, target) box numbers of the dashed arrows, -1 the input."""
    return sorted((int(a), int(b)) for a, b in re.findall(r'class="arrow skip" data-from="(-?\d+)" data-to="(\d+)"', svg))


def test_seed_has_one_box_per_layer_and_a_chain_of_arrows():
    svg = svg_of(seed("torch"))
    found = boxes(svg)
    assert [g.find(f"{SVG}text").text for g in found] == [
        "conv1 (Conv2d)", "conv2 (Conv2d)", "pool (MaxPool2d)", "fc1 (Linear)", "fc2 (Linear)"]
    assert [g.get("data-line") for g in found] == ["6", "7", "10", "13", "14"]
    assert svg.count('class="arrow flow"') == 5  # input → conv1 → … → fc2
    assert skips(svg) == []


def test_boxes_are_sized_by_the_output_tensor():
    found = boxes(svg_of(seed("keras")))
    width = [float(g.find(f"{SVG}rect").get("width")) for g in found]
    height = [float(g.find(f"{SVG}rect").get("height")) for g in found]
    assert width[0] > width[1] > width[2] > width[4]  # 30×30 > 28×28 > 14×14 > a vector
    assert height[1] > height[0]  # 16 channels are taller than 8


def test_keras_add_and_concatenate_get_arrows_from_their_real_inputs():
    svg = svg_of(KERAS_RESIDUAL)
    assert [g.find(f"{SVG}text").text for g in boxes(svg)] == [
        "conv2d (Conv2D)", "conv2d_1 (Conv2D)", "batch_normalization (BatchNormalization)", "add (Add)",
        "conv2d_2 (Conv2D)", "concatenate (Concatenate)", "global_average_pooling2d (GlobalAveragePooling2D)"]
    assert skips(svg) == [(0, 3), (3, 5)]  # x into the add, z into the concatenation


def test_pytorch_functional_add_and_cat_point_at_the_next_layer():
    svg = svg_of(TORCH_SKIPS, input_shape=(3, 16, 16))
    assert len(boxes(svg)) == 4
    assert skips(svg) == [(0, 3)]  # a = relu(conv1(x)) reaches head through `+ a` and torch.cat


def test_names_are_escaped():
    source = 'import keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2, name="<script>&x")])\n'
    svg = svg_of(source)
    assert [g.find(f"{SVG}text").text for g in boxes(svg)] == ["<script>&x (Dense)"]  # parsed back: well-formed
    assert "<script>" not in svg
