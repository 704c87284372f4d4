class N:
    def __index__(self):
        return 10**9
s = 'a'.ljust(N())
