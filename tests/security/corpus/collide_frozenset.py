M = 2**61 - 1
s = frozenset([i * M for i in range(20_000)])
