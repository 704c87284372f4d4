"""Layer rules, framework-neutral, one module per family.

A rule is a set of pure functions of numbers: the output shape (with a formula per computed axis), the named
weight terms, the parameter formula and the MACs. The framework APIs translate their arguments into a rule's
spec (channels first or last, ``"same"``, int-or-tuple kernels) before any rule runs.
"""
