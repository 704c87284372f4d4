import operator
t = ()
u = ()
for _ in range(100):
    t = (t, t)
    u = (u, u)
same = operator.eq(t, u)
