import itertools
e = [0]
for _ in range(10**6):
    e = itertools.accumulate(e)
first = next(e)
