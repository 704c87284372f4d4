s = set().union(range(10**7), range(10**7, 2 * 10**7), range(2 * 10**7, 3 * 10**7), range(3 * 10**7, 4 * 10**7))
