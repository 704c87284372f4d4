class Base:
    def __init_subclass__(cls, **kw):
        open('ESCAPE_MARKER', 'w')

class Child(Base):
    pass
