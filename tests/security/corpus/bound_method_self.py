m = [].append
owner = m.__self__
f = print.__self__
