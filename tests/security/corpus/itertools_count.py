import itertools
xs = list(itertools.count())
