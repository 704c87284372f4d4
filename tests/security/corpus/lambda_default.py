f = lambda g=print.__self__: g
b = f()
b.__import__('os')
