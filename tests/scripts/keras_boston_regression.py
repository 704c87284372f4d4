"""Median house value regression with 5-fold cross-validation.

The regressor is created by a factory function, once per fold and once more for the final fit;
it has no Input layer, so Keras builds it on the first batch it sees.
"""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.datasets import boston_housing
import matplotlib.pyplot as plt

(x_all, y_all), (x_holdout, y_holdout) = boston_housing.load_data()
print("train", x_all.shape, "holdout", x_holdout.shape)

center = x_all.mean(axis=0)
scale = x_all.std(axis=0)
x_all = (x_all - center) / scale
x_holdout = (x_holdout - center) / scale


def make_regressor(width=48):
    net = keras.Sequential([layers.Dense(width, activation="relu"), layers.Dense(width, activation="relu"), layers.Dense(1)])
    net.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
    return net


folds = 5
fold_size = len(x_all) // folds
epochs = 300
curves = []
for fold in range(folds):
    lo, hi = fold * fold_size, (fold + 1) * fold_size
    x_val, y_val = x_all[lo:hi], y_all[lo:hi]
    x_fit = np.concatenate([x_all[:lo], x_all[hi:]])
    y_fit = np.concatenate([y_all[:lo], y_all[hi:]])
    model = make_regressor()
    run = model.fit(x_fit, y_fit, validation_data=(x_val, y_val), epochs=epochs, batch_size=16, verbose=0)
    curves.append(run.history["val_mae"])
    print(f"fold {fold}: best val MAE {min(run.history['val_mae']):.2f}")

mean_curve = np.mean(np.array(curves), axis=0)
plt.plot(range(1, len(mean_curve) + 1), mean_curve)
plt.xlabel("epoch")
plt.ylabel("validation MAE")
plt.show()

model = make_regressor()
model.fit(x_all, y_all, epochs=120, batch_size=16, verbose=0)
mse, mae = model.evaluate(x_holdout, y_holdout)
print(f"hold-out MAE: {mae:.2f} (k$)")
