import builtins
builtins.open('ESCAPE_MARKER', 'w')
