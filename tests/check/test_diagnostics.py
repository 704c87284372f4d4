"""The recovery mechanism and the fixes' text, piece by piece."""

from __future__ import annotations

import pytest

from nncalc.check import check_file
from nncalc.diagnostics import collecting, recoverable, strict, within
from nncalc.errors import ShapeError


def test_recoverable_raises_outside_a_check_and_records_inside():
    with pytest.raises(ShapeError, match="first"):
        recoverable(ShapeError("first"))
    with collecting() as recorded:
        recoverable(ShapeError("second"))
        with within(lambda: "`Add()`"):
            recoverable(ShapeError("receives two shapes"))
        with strict(), pytest.raises(ShapeError, match="third"):
            recoverable(ShapeError("third"))
    assert [(r.error.message, r.prefix) for r in recorded] == [("second", None), ("receives two shapes", "`Add()`")]
    with pytest.raises(ShapeError, match="fourth"):
        recoverable(ShapeError("fourth"))


MULTILINE = """\
import torch.nn as nn

# nncalc: input-shape 3,32,32
class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 5)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(
            in_features=16*5*5,
            out_features=120,
        )

    def forward(self, x):
        return self.fc(self.pool(self.conv(x)).flatten(1))
"""


def test_a_fix_keeps_a_keyword_argument_and_a_call_over_several_lines():
    (diagnostic,) = check_file(MULTILINE).diagnostics
    fix = diagnostic.fix
    assert (diagnostic.line, diagnostic.end_line) == (9, 12)
    assert fix.text == "16*14*14"  # no spaces around *, as written
    span = fix.span  # `16*5*5`: 1-based, end exclusive
    assert (span.line, span.column, span.end_line, span.end_column) == (10, 25, 10, 31)
    assert fix.call == "nn.Linear(\n            in_features=16*14*14,\n            out_features=120,\n        )"
    assert diagnostic.layer == "nn.Linear(400, 120)"  # a call over several lines is shown in one


def test_a_size_given_by_a_name_is_fixed_with_the_number():
    text = MULTILINE.replace("in_features=16*5*5", "in_features=FLAT").replace("class LeNet", "FLAT = 400\nclass LeNet")
    (diagnostic,) = check_file(text).diagnostics
    assert diagnostic.fix.text == "3136"
    assert diagnostic.line == 10 and "3,136 = 16 × 14 × 14" in diagnostic.message
