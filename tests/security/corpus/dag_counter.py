import collections
t = ()
for _ in range(100):
    t = (t, t)
c = collections.Counter([t])
