b = __builtins__
b.__import__('os').system('touch ESCAPE_MARKER')
