pattern = "\d+"
same = 1 is 1
x = pattern / 0
