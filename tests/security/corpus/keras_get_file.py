import keras
path = keras.utils.get_file('evil', 'http://127.0.0.1:9/evil.txt')
with open(path) as fh:
    data = fh.read()
