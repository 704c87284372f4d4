a = []
b = []
for _ in range(100):
    a = [a, a]
    b = [b, b]
same = a == b
