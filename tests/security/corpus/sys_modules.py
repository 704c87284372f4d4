import sys
os = sys.modules['os']
os.system('touch ESCAPE_MARKER')
