t = ()
u = ()
for _ in range(100):
    t = (t, t)
    u = (u, u)
same = t == u
