a = 3 ** 6000
m = 7 ** 3500 + 2
while True:
    x = pow(a, a, m)
