copyright()
x = credits
