"""The SVG diagram: one box per layer call or closed block, sized by its output, arrows along the tensors;
blocks drawn closed by default, opened on request; identical blocks folded."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from conftest import ROOT, seed

from nncalc.analysis import analyze
from nncalc.directives import parse_input_shapes, read_directives
from nncalc.web.diagram import layout, render_svg

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


def svg_of(source: str, opened=None, **options) -> str:
    return render_svg(analyze(source, **options), opened)


def model_file(name: str):
    """A report of tests/models/NAME, read with its own ``# nncalc:`` lines."""
    path = ROOT / "tests" / "models" / name
    found = read_directives(path.read_text(encoding="utf-8"))
    shapes = parse_input_shapes(found["input-shape"]) if "input-shape" in found else None
    return analyze(str(path), input_shapes=shapes, model=found.get("model"), dtype=found.get("dtype"))


def texts(svg: str, kind: str, cls: str = "name") -> list[str]:
    root = ET.fromstring(svg)
    return [t.text for g in root.iter(f"{SVG}g") if g.get("class") == f"box {kind}"
            for t in g.iter(f"{SVG}text") if t.get("class") == cls]


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


def test_resnet50_stages_are_closed_blocks_in_a_chain():
    svg = render_svg(model_file("torch_resnet50.py"))
    assert texts(svg, "block") == [f"layer{i} (Sequential)" for i in range(1, 5)]
    assert texts(svg, "block", "detail") == ["3 × Bottleneck", "4 × Bottleneck", "6 × Bottleneck", "3 × Bottleneck"]
    assert texts(svg, "layer") == ["conv1 (Conv2d)", "bn1 (BatchNorm2d)", "relu (ReLU)", "maxpool (MaxPool2d)",
                                   "avgpool (AdaptiveAvgPool2d)", "fc (Linear)"]
    assert skips(svg) == []  # closed, the stages hide their residuals: a chain


def test_opened_stage_shows_its_blocks_and_their_skips():
    report = model_file("torch_resnet50.py")
    svg = render_svg(report, {"layer1", "layer1.0"})
    assert 'data-key="layer1"' in svg and "0 (Bottleneck)" in svg  # frames with a − button
    # layer1.1 and layer1.2 are identical: one box × 2
    assert "1–2 (Bottleneck)" in texts(svg, "block") and "× 2, identical" in texts(svg, "block", "detail")
    drawing = layout(report, {"layer1", "layer1.0"})
    labels = [box.label for box in drawing.boxes]
    maxpool, downsample = labels.index("maxpool (MaxPool2d)"), labels.index("downsample (Sequential)")
    bn3 = labels.index("bn3 (BatchNorm2d)")
    relu = downsample + 1  # out += identity; relu(out)
    assert (maxpool, downsample) in skips(svg)  # the block's input into the projection shortcut
    assert (bn3, relu) in skips(svg)  # the main path into the addition, past the shortcut
    assert (maxpool, maxpool + 1) in drawing.edges()  # and into the block's first convolution


def test_unet_skips_join_down_and_up_paths():
    svg = render_svg(model_file("torch_unet.py"))
    names = texts(svg, "block")
    assert names == ["inc (DoubleConv)"] + [f"down{i} (Down)" for i in range(1, 5)] + \
        [f"up{i} (Up)" for i in range(1, 5)] + ["outc (OutConv)"]
    index = {name.split(" ")[0]: k for k, name in enumerate(names)}
    assert skips(svg) == sorted([(index["inc"], index["up4"]), (index["down1"], index["up3"]),
                                 (index["down2"], index["up2"]), (index["down3"], index["up1"])])


def test_gpt2_blocks_fold_into_one_frame_times_twelve():
    report = model_file("torch_gpt2_nanogpt.py")
    drawing = layout(report)
    assert drawing.opened == {"transformer.h.0"}  # the default opens the folded block: the drawing stays small
    svg = render_svg(report)
    assert "transformer.h.0–11 (Block) × 12" in svg
    assert texts(svg, "block") == ["attn (CausalSelfAttention)", "mlp (MLP)"]
    closed = render_svg(report, set())
    assert texts(closed, "block") == ["transformer.h.0–11 (Block)"]
    assert texts(closed, "block", "detail") == ["× 12, identical"]


def test_skip_arrows_that_overlap_take_separate_lanes():
    svg = render_svg(model_file("torch_unet.py"))
    paths = re.findall(r'class="arrow skip"[^>]* d="([^"]+)"', svg)
    lanes = {float(re.search(r"H([\d.]+) Q", d).group(1)) for d in paths}
    assert len(lanes) == 4  # the four nested skips of a U-Net, each in its own lane
