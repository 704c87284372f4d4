def f():
    pass
s = "{f.__globals__}".format_map({"f": f})
