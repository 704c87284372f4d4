def f():
    pass
g = getattr(f, '__globals__')
g['__builtins__']['__import__']('os').system('touch ESCAPE_MARKER')
