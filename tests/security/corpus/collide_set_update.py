M = 2**61 - 1
s = set()
s.update(range(0, M * 20_000, M))
