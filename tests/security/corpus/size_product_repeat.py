import itertools
xs = itertools.product([0], repeat=2 * 10**8)
