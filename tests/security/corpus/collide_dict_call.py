M = 2**61 - 1
d = dict((i * M, i) for i in range(20_000))
