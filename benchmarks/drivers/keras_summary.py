"""Keras 3's own model.summary() of a model file, in a fresh process (import included).

    keras_summary.py FILE [MODEL]
"""

import sys

from execute import load_model  # the drivers folder is on sys.path

model = load_model(sys.argv[1], "keras", sys.argv[2] if len(sys.argv) > 2 else None)
model.summary()
