def f():
    return 1
code = f.__code__
print(code.co_consts)
