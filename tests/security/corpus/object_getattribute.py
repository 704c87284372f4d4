def f():
    pass
g = object.__getattribute__(f, '__globals__')
