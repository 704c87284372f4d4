import itertools
e = [0]
for _ in range(10**6):
    e = itertools.islice(e, 5)
first = next(e)
