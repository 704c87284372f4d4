class N:
    def __index__(self):
        return 2 * 10**8
xs = [0] * N()
