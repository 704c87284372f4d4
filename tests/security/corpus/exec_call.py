exec("import os\nos.system('touch ESCAPE_MARKER')")
