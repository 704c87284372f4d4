parts = []
for i in range(200):
    parts.append(str(i) * 5_000_000)
