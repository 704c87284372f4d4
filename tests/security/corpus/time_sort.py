xs = [(-i) % 9973 for i in range(10)] * 1_000_000
for _ in range(100):
    ys = sorted(xs)
    xs.sort()
