WIDTHS = (16, 32, 64)
ACTIVATION = "silu"
PRESETS = {"small": (16, 32, 64), "base": (32, 64, 128, 256)}
