a = dict.fromkeys(range(10 ** 7))
b = dict.fromkeys(range(10 ** 7, 2 * 10 ** 7))
c = dict.fromkeys(range(2 * 10 ** 7, 3 * 10 ** 7))
