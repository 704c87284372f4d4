b = 'x'.encode('ascii', 'namereplace')
