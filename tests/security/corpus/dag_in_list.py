t = ()
u = ()
for _ in range(100):
    t = (t, t)
    u = (u, u)
found = t in [u]
