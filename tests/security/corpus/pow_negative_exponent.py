m = 2**9000 + 1
for _ in range(100):
    x = pow(2, -(2**9990), m)
