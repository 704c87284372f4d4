chars = ''.join(chr(i) for i in range(256, 300_000))
s = chr(299_999) * 10**6
t = s.lstrip(chars)
t / 0
