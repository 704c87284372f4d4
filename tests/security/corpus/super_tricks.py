class A:
    def go(self):
        return super().__getattribute__('__class__').__subclasses__()

A().go()
