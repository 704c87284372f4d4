d = {}
while True:
    d[len(d)] = "x" * 1000
