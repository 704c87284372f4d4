M = 2**61 - 1
s = set(range(0, -M * 20_000, -M))
