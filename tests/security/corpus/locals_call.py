def f():
    return locals()
f()
