class Meta(type):
    def __new__(mcls, name, bases, ns):
        return super().__new__(mcls, name, bases, ns)

class Evil(metaclass=Meta):
    pass
