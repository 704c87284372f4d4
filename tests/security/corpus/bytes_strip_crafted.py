s = 'b'.encode() * 10**6
t = s.strip('a'.encode() * 10**6 + 'b'.encode())
t / 0
