s = frozenset().union(range(10**18))
