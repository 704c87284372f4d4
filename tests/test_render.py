"""Renderers: depth limits with subtotals, folding of identical blocks, the shapes and numbers shown."""

from __future__ import annotations

import nncalc
from nncalc.render import visible_rows

BLOCKS = '''
import torch.nn as nn

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)
        self.bn = nn.BatchNorm2d(c)

    def forward(self, x):
        return self.bn(self.conv(x))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3)
        self.stage = nn.Sequential(*[Block(8) for _ in range(3)])
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        x = self.stage(self.stem(x))
        return self.head(x.mean((2, 3)))
'''


def report():
    return nncalc.analyze(BLOCKS, input_shape=(3, 10, 10))


def test_depth_one_shows_subtotals_that_add_up():
    r = report()
    top = visible_rows(r, depth=1)
    assert [item.row.name for item in top] == ["stem", "stage", "head"]
    assert sum(item.row.params for item in top) == r.total_params
    # one Block: (3 × 3 × 8 + 1) × 8 + 2 × 8, computed by hand
    assert top[1].row.params == 3 * ((3 * 3 * 8 + 1) * 8 + 2 * 8)



def test_containers_show_the_macs_of_what_they_call():
    r = report()
    for depth in (1, 2):
        shown = visible_rows(r, depth=depth)
        top = [item for item in shown if item.row.depth == 1]
        assert sum(item.macs for item in top) == r.total_macs
    stage = visible_rows(r, depth=1)[1]
    # three Blocks, each a 3 × 3 convolution 8 → 8 over 8 × 8 positions: 3 × (8 × 8) × (3 × 3 × 8) × 8
    assert stage.macs == 3 * (8 * 8) * (3 * 3 * 8) * 8
    folded = [item for item in visible_rows(r, depth=2, fold=True) if item.count == 3][0]
    assert folded.macs == stage.macs


def test_uncalled_containers_stand_before_their_children():
    source = """
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Linear(4, 2)
        self.body = nn.ModuleDict(dict(a=nn.Linear(4, 4), b=nn.Linear(4, 4)))

    def forward(self, x):
        return self.head(self.body.b(self.body.a(x)))
"""
    names = [row.name for row in nncalc.analyze(source, input_shape=(4,)).layers]
    assert names == ["body", "body.a", "body.b", "head"]


def test_fold_identical_blocks():
    shown = visible_rows(report(), depth=2, fold=True)
    labels = [item.label for item in shown]
    assert "stage.0–stage.2 (Block) × 3" in labels
    folded = shown[labels.index("stage.0–stage.2 (Block) × 3")]
    assert folded.params == f"{3 * 600:,}"
    assert folded.formula == "3 × 600"


def test_without_fold_every_block_is_shown():
    names = [item.row.name for item in visible_rows(report(), depth=2)]
    assert names == ["stem", "stage", "stage.0", "stage.1", "stage.2", "head"]


def test_table_and_markdown_follow_depth():
    from nncalc.render.markdown import render_markdown
    from nncalc.render.table import render_text

    r = report()
    assert "\n   0 (Block)" not in render_text(r, depth=1)
    assert "\n   0 (Block)" in render_text(r, depth=2)  # under stage (…), the indentation shows the path
    assert "× 3" in render_markdown(r, depth=2, fold=True)
