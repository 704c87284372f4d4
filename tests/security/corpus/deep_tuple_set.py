t = ()
for _ in range(100_000):
    t = (t, 1)
s = {t}
