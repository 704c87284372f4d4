class X:
    pass
s = "%s %r" % (X.__class__.__subclasses__, X)
