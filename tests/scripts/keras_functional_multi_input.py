"""Customer e-mail routing: three inputs (subject, message, product flags), two outputs.

`urgency` is a single logit; `team` scores the teams that could answer.
"""

import numpy as np
import keras
from keras import layers

N_FLAGS = 8
VOCAB = 12000
N_TEAMS = 5

subject = keras.Input(shape=(None,), name="subject")
message = keras.Input(shape=(None,), name="message")
flags = keras.Input(shape=(N_FLAGS,), name="flags")

subject_vec = layers.GRU(48)(layers.Embedding(VOCAB, 32)(subject))
message_vec = layers.LSTM(64)(layers.Embedding(VOCAB, 48)(message))
joined = layers.concatenate([subject_vec, message_vec, flags])
joined = layers.Dense(64, activation="relu")(joined)

urgency = layers.Dense(1, name="urgency")(joined)
team = layers.Dense(N_TEAMS, name="team")(joined)

model = keras.Model(inputs=[subject, message, flags], outputs={"urgency": urgency, "team": team})
keras.utils.plot_model(model, "routing.png", show_shapes=True)

model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={
        "urgency": keras.losses.BinaryCrossentropy(from_logits=True),
        "team": keras.losses.CategoricalCrossentropy(from_logits=True),
    },
    loss_weights={"urgency": 1.0, "team": 0.3},
)

rows = 512
fake = {
    "subject": np.random.randint(VOCAB, size=(rows, 12)),
    "message": np.random.randint(VOCAB, size=(rows, 80)),
    "flags": np.random.randint(2, size=(rows, N_FLAGS)).astype("float32"),
}
targets = {"urgency": np.random.random((rows, 1)), "team": np.eye(N_TEAMS)[np.random.randint(N_TEAMS, size=rows)]}
model.fit(fake, targets, epochs=2, batch_size=64)
