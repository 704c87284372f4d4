g = globals()
g['__builtins__']
