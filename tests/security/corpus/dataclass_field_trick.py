from dataclasses import dataclass, field
@dataclass
class C:
    x: int = field(default_factory=lambda: __import__('os').system('touch ESCAPE_MARKER'))
C()
