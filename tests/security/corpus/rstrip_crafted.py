s = 'b' * 10**6
t = s.rstrip('a' * 10**6 + 'b')
t / 0
