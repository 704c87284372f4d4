t = ()
for _ in range(100):
    t = (t, t)
d = {}
d[t] = 1
