x = 1
print("{0.__class__.__base__.__subclasses__}".format(x))
s = "{0.__class__}".format(x)
