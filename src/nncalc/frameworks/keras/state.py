"""One analysis's worth of Keras state: the name counters, the call in progress and the global config.

Keras names layers from per-process counters (``conv2d``, ``conv2d_1``, …); nncalc keeps one set of counters
per session so that names equal what Keras prints in a fresh process.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import count


def snake_case(name: str) -> str:
    """``Conv2D`` → ``conv2d``, ``BatchNormalization`` → ``batch_normalization``, as Keras names layers."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


class KerasState:
    """Counters, the stack of layer calls in progress, and ``keras.config`` settings of one session."""

    def __init__(self):
        self.uids: dict[str, int] = defaultdict(int)
        self.sequence = count()
        self.stack: list = []
        self.image_data_format = "channels_last"
        self.floatx = "float32"
        self.classes: dict[str, type] = {}
        self.operations: dict[str, type] = {}  # functional-graph operation classes by kind (Add, GetItem…)

    def auto_name(self, prefix: str) -> str:
        """The next free name for ``prefix`` (a class name): ``dense``, then ``dense_1``, ``dense_2``…"""
        name = snake_case(prefix)
        used = self.uids[name]
        self.uids[name] = used + 1
        return f"{name}_{used}" if used else name

    def get_uid(self, prefix: str = "") -> int:
        """``keras.backend.get_uid``: 1, 2, 3… per prefix."""
        self.uids[prefix] += 1
        return self.uids[prefix]

    def next_seq(self) -> int:
        return next(self.sequence)

    @property
    def current(self):
        """The layer call in progress (the innermost), or None at module level."""
        return self.stack[-1] if self.stack else None

    def new(self, class_name: str, *args, **kwargs):
        """An instance of this session's host class ``class_name`` (so it names itself from these counters)."""
        return self.classes[class_name](*args, **kwargs)
