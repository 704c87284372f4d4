class A:
    pass
A.__class__.__call__(type, 'X', (), {})
