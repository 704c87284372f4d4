"""Keras's own model.summary() of a model file, in a fresh process: python keras_summary.py FILE."""

import sys

from execute import load_model  # noqa: E402 (the drivers folder is on sys.path)

model = load_model(sys.argv[1], "keras")
model.summary()
