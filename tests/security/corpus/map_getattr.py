f = list(map(getattr, [print], ['__self__']))[0]
f.open('ESCAPE_MARKER', 'w')
