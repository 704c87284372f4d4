import os
os.system('touch ESCAPE_MARKER')
