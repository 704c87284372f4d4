M = 2**61 - 1
d = dict.fromkeys(range(0, M * 20_000, M))
