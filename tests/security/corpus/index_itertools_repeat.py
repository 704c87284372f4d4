import itertools
class N:
    def __index__(self):
        return 10**12
xs = list(itertools.repeat(0, N()))
