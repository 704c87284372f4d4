code = compile("open('ESCAPE_MARKER', 'w')", "<x>", "exec")
