import math
n = math.prod(range(1, 10**6))
