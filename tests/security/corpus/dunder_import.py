os = __import__('os')
os.system('touch ESCAPE_MARKER')
