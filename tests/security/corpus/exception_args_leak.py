try:
    [].__class__.__getattribute__
except Exception as e:
    pass
raise SystemExit(3)
