import ctypes
ctypes.CDLL(None).system(b'touch ESCAPE_MARKER')
