import itertools
xs = itertools.combinations(range(10**6), 500_000)
