t = ()
for _ in range(100_000):
    t = (t,)
h = hash(t)
