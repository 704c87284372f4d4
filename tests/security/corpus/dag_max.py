t = ()
u = ()
for _ in range(100):
    t = (t, t)
    u = (u, u)
big = max(t, u)
