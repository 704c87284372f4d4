"""Layer rules, framework-neutral, one module per family.

A rule is a set of pure functions of numbers: the output shape (with a formula per computed axis), the named
weight terms, the parameter formula and the MACs. The framework APIs translate their arguments into a rule's
spec (channels first or last, ``"same"``, int-or-tuple kernels) before any rule runs.

The families moving to one registered :class:`~nncalc.layers.rule.Rule` per op (``linear.DENSE``, ``BILINEAR``)
give their framework classes the weights, formula, output and MACs from that one description. An op of a
library's compiled extension (``torch.ops.torchvision.deform_conv2d``) is a rule file here whose
:class:`~nncalc.layers.rule.Function` binds its arguments: nothing else lists it (it is found by name), and one
row of ``tests/live/test_library_sources.py``'s ``COMPILED_OPS`` checks it against the library.
"""
