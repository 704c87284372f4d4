"""What the symbolic torch and Keras share: the host-module :class:`~nncalc.frameworks.common.namespaces.Namespace`,
the error classes, the unknown-layer error with its typo suggester and the opaque unknown value
(:mod:`nncalc.frameworks.common.errors`).

The shape arithmetic both frameworks use (broadcasting, ``matmul``, int-or-tuple arguments) is framework-neutral
and lives with the rules in :mod:`nncalc.layers`, which the frameworks import and the rules use themselves.
"""
