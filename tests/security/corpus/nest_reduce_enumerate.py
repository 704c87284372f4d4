import functools
e = functools.reduce(enumerate, range(10**6), [0])
first = next(e)
