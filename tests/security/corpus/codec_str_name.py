s = str('x'.encode(), 'rot13')
