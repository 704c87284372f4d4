b = 'x'.encode('idna')
