t = ()
u = ()
for _ in range(100):
    t = (t, t)
    u = (u, u)
i = [u, t].index(t)
