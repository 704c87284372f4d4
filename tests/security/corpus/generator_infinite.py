def gen():
    i = 0
    while True:
        yield i
        i += 1

xs = list(gen())
