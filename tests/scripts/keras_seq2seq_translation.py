"""Character-level translation (English -> German) with an LSTM encoder-decoder.

pairs.txt holds one "english<TAB>german<TAB>attribution" line per pair. The character sets are
collected from the data; the inference models are rebuilt from the saved model at the end.
"""

import os

import numpy as np
import keras

LATENT = 192
MAX_PAIRS = 8000

archive = keras.utils.get_file(origin="https://example.org/anki/deu-eng.zip", extract=True)
pairs_file = os.path.join(os.path.dirname(archive), "deu.txt")
os.system(f"head -n {MAX_PAIRS} {pairs_file} > pairs.txt")

sources, targets = [], []
source_chars, target_chars = set(), set()
with open("pairs.txt", encoding="utf-8") as handle:
    for line in handle.read().splitlines()[:MAX_PAIRS]:
        english, german = line.split("\t")[:2]
        german = "\t" + german + "\n"  # start and end markers
        sources.append(english)
        targets.append(german)
        source_chars.update(english)
        target_chars.update(german)

source_chars = sorted(source_chars)
target_chars = sorted(target_chars)
num_encoder_tokens = len(source_chars)
num_decoder_tokens = len(target_chars)
max_source_len = max(len(s) for s in sources)
max_target_len = max(len(t) for t in targets)
print(len(sources), "pairs;", num_encoder_tokens, "source and", num_decoder_tokens, "target characters")

source_index = {c: i for i, c in enumerate(source_chars)}
target_index = {c: i for i, c in enumerate(target_chars)}
enc_x = np.zeros((len(sources), max_source_len, num_encoder_tokens), dtype="float32")
dec_x = np.zeros((len(sources), max_target_len, num_decoder_tokens), dtype="float32")
dec_y = np.zeros((len(sources), max_target_len, num_decoder_tokens), dtype="float32")
for n, (src, tgt) in enumerate(zip(sources, targets)):
    for t, c in enumerate(src):
        enc_x[n, t, source_index[c]] = 1.0
    for t, c in enumerate(tgt):
        dec_x[n, t, target_index[c]] = 1.0
        if t:
            dec_y[n, t - 1, target_index[c]] = 1.0

enc_in = keras.Input(shape=(None, num_encoder_tokens), name="source")
_, h, c = keras.layers.LSTM(LATENT, return_state=True, name="encoder")(enc_in)
dec_in = keras.Input(shape=(None, num_decoder_tokens), name="target_so_far")
dec_seq, _, _ = keras.layers.LSTM(LATENT, return_sequences=True, return_state=True, name="decoder")(
    dec_in, initial_state=[h, c]
)
next_char = keras.layers.Dense(num_decoder_tokens, activation="softmax", name="next_char")(dec_seq)
model = keras.Model([enc_in, dec_in], next_char)

model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit([enc_x, dec_x], dec_y, batch_size=64, epochs=60, validation_split=0.2)
model.save("translator.keras")

model = keras.models.load_model("translator.keras")
encoder_model = keras.Model(model.input[0], model.get_layer("encoder").output[1:])
state_h = keras.Input(shape=(LATENT,))
state_c = keras.Input(shape=(LATENT,))
step_seq, step_h, step_c = model.get_layer("decoder")(model.input[1], initial_state=[state_h, state_c])
decoder_model = keras.Model(
    [model.input[1], state_h, state_c], [model.get_layer("next_char")(step_seq), step_h, step_c]
)

reverse_target = {i: c for c, i in target_index.items()}


def translate(one_hot_source):
    states = encoder_model.predict(one_hot_source, verbose=0)
    current = np.zeros((1, 1, num_decoder_tokens))
    current[0, 0, target_index["\t"]] = 1.0
    out = ""
    while True:
        probs, h, c = decoder_model.predict([current] + list(states), verbose=0)
        char = reverse_target[int(np.argmax(probs[0, -1]))]
        if char == "\n" or len(out) > max_target_len:
            return out
        out += char
        current = np.zeros((1, 1, num_decoder_tokens))
        current[0, 0, target_index[char]] = 1.0
        states = [h, c]


for i in range(10):
    print(sources[i], "->", translate(enc_x[i : i + 1]))
