d = {1: 2}
k = d.keys() - range(10**18)
