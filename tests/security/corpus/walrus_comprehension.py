[(leak := c) for c in [().__class__]]
subs = leak.__base__.__subclasses__()
