s = 'b' * 10**6
t = s.strip('a' * 10**6 + 'b')
