import math
n = math.factorial(10**7)
