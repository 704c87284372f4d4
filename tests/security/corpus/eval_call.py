eval("__import__('os').system('touch ESCAPE_MARKER')")
