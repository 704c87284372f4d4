import math
n = math.lcm(*range(1, 10**6))
