def gen():
    yield 1

g = gen()
frame = g.gi_frame
outer = frame.f_back.f_globals
