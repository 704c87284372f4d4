import math
xs = [0] * math.perm(3 * 10**6)
