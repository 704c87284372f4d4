import subprocess
subprocess.run(['touch', 'ESCAPE_MARKER'])
