v = vars()
