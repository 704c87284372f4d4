import functools
base = functools.reduce(getattr, ['__class__', '__base__'], 1)
