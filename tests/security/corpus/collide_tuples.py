M = 2**61 - 1
s = set((i * M, 0) for i in range(20_000))
