with open('ESCAPE_MARKER', 'w') as fh:
    fh.write('pwned')
