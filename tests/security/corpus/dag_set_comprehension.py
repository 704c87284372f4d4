t = ()
for _ in range(100):
    t = (t, t)
s = {x for x in [t]}
