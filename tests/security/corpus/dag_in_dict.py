t = ()
for _ in range(100):
    t = (t, t)
found = t in {1: 2}
