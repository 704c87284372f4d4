"""Next-day temperature from a week of hourly weather records (LSTM regression).

The CSV holds one row per 10 minutes; we keep six columns, sample hourly, and predict the
temperature 24 hours after each 7-day window.
"""

import os
from zipfile import ZipFile

import matplotlib.pyplot as plt
import pandas as pd
import keras

CSV_ZIP = "https://example.org/weather/station_2010_2020.csv.zip"
COLUMNS = ["pressure", "temperature", "dew_point", "humidity", "wind_speed", "wind_dir"]
TARGET = "temperature"
STEP = 6  # one sample per hour
WINDOW_HOURS = 7 * 24
AHEAD_HOURS = 24

archive = keras.utils.get_file(origin=CSV_ZIP, fname="station.csv.zip")
with ZipFile(archive) as bundle:
    bundle.extractall()
frame = pd.read_csv("station_2010_2020.csv", parse_dates=["time"])
frame = frame.set_index("time")[COLUMNS]

fig, axes = plt.subplots(len(COLUMNS), 1, figsize=(12, 14), sharex=True)
for axis, column in zip(axes, COLUMNS):
    frame[column].plot(ax=axis, title=column)
plt.tight_layout()

train_rows = int(0.7 * len(frame))
mean = frame[:train_rows].mean()
std = frame[:train_rows].std()
scaled = ((frame - mean) / std).values

window = WINDOW_HOURS
delay = (WINDOW_HOURS + AHEAD_HOURS) * STEP
train_ds = keras.utils.timeseries_dataset_from_array(
    scaled[:-delay],
    targets=scaled[delay:, COLUMNS.index(TARGET)],
    sequence_length=window,
    sampling_rate=STEP,
    batch_size=128,
    end_index=train_rows,
)
val_ds = keras.utils.timeseries_dataset_from_array(
    scaled[:-delay],
    targets=scaled[delay:, COLUMNS.index(TARGET)],
    sequence_length=window,
    sampling_rate=STEP,
    batch_size=128,
    start_index=train_rows,
)

inputs = keras.layers.Input(shape=(window, len(COLUMNS)))
x = keras.layers.LSTM(40)(inputs)
forecast = keras.layers.Dense(1)(x)
model = keras.Model(inputs=inputs, outputs=forecast)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse", metrics=["mae"])
model.summary()

checkpoint = "weather.weights.h5"
history = model.fit(
    train_ds,
    epochs=8,
    validation_data=val_ds,
    callbacks=[
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=3),
        keras.callbacks.ModelCheckpoint(checkpoint, save_weights_only=True, save_best_only=True),
    ],
)

plt.figure()
plt.plot(history.history["loss"], label="train")
plt.plot(history.history["val_loss"], label="validation")
plt.legend()
plt.show()

for batch_x, batch_y in val_ds.take(3):
    guess = model.predict(batch_x)[0, 0]
    print(f"true {float(batch_y[0]) * std[TARGET] + mean[TARGET]:.1f} C, predicted {guess * std[TARGET] + mean[TARGET]:.1f} C")

if os.path.exists(checkpoint):
    model.load_weights(checkpoint)
