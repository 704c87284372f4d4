b = 'x'.encode('zlib_codec')
