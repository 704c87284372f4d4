e = [1]
for _ in range(10**6):
    e = filter(None, e)
first = next(e)
