import itertools
xs = itertools.permutations(range(3 * 10**6))
