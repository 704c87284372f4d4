import itertools
xs = list(itertools.product(range(10**4), range(10**4)))
