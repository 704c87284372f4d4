import operator
class N:
    def __index__(self):
        return 10**10
xs = operator.mul([0], N())
