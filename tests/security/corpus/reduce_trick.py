import copy

class Evil:
    def __reduce__(self):
        import os
        return (os.system, ('touch ESCAPE_MARKER',))

copy.deepcopy(Evil())
