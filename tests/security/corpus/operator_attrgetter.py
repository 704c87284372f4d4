import operator
get = operator.attrgetter('__globals__')
def f():
    pass
g = get(f)
