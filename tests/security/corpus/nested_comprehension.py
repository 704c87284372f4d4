xs = [[[[(i, j, k, l) for i in range(1000)] for j in range(1000)] for k in range(1000)] for l in range(1000)]
