import functools
p = functools.partial(getattr, print)
m = p('__self__')
