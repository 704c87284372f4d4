s = 'x'.encode().decode('punycode')
