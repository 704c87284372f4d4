class A:
    pass
A.__dict__['x']
a = A.__mro__[-1].__subclasses__()
