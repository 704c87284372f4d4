a = [b"x" * 9_000_000 for _ in range(200)]
