import itertools
e = [0]
for _ in range(10**6):
    e = itertools.chain(e)
first = next(e)
