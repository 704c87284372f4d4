xs = sorted([print], key=lambda f: f.__self__.open('ESCAPE_MARKER', 'w'))
