class N:
    calls = 0
    def __index__(self):
        N.calls += 1
        return 1 if N.calls == 1 else 2 * 10**8
xs = [0] * N()
ys = 'ab'.ljust(N())
zs = [0] * N()
