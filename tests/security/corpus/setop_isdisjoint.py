s = {1}.isdisjoint(range(10**18))
