s = {1}.difference(range(10**18))
