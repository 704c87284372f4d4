t = ()
for _ in range(100):
    t = (t, t)
s = {t}
