a = set(range(10 ** 7))
b = set(range(10 ** 7, 2 * 10 ** 7))
c = set(range(2 * 10 ** 7, 3 * 10 ** 7))
