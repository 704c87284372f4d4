t = ()
for _ in range(100):
    t = (t, t)
d = {}
v = d.get(t)
