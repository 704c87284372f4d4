a = [tuple(range(9_000_000)) for _ in range(50)]
