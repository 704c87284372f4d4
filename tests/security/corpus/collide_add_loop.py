M = 2**61 - 1
s = set()
for i in range(20_000):
    s.add(i * M)
