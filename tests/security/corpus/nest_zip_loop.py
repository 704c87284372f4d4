e = [0]
for _ in range(10**6):
    e = zip(e)
first = next(e)
