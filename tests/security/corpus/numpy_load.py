import numpy as np
a = np.load('weights.npy', allow_pickle=True)
np.save('ESCAPE_MARKER', a)
