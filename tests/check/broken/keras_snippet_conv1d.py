# The seed's Keras snippet style (no imports) with a Conv1D where a Conv2D was meant.
# expect: line 7 rank
# fixed: line 7:     Conv2D(filters=16, kernel_size=(3, 3), activation='relu'),
model = Sequential([
    Conv2D(filters=8, kernel_size=(3, 3), activation='relu', input_shape=(32, 32, 3)),
    Conv2D(filters=16, kernel_size=(3, 3), activation='relu'),
    Conv1D(filters=16, kernel_size=3, activation='relu'),
    MaxPooling2D(pool_size=(2, 2), strides=(2, 2)),
    Flatten(),
    Dense(128, activation='relu'),
    Dense(10, activation='softmax'),
])
