class SimpleCNN(nn.Module):
    def __init__(self):
        super(SimpleCNN, self).__init__()

        # Two Conv Layers
        self.conv1 = nn.Conv2d(in_channels=3, out_channels=8, kernel_size=3, stride=1, padding=0)
        self.conv2 = nn.Conv2d(in_channels=8, out_channels=16, kernel_size=3, stride=1, padding=0)

        # Max Pooling Layer
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)

        # Fully Connected Layers
        self.fc1 = nn.Linear(3200, 128) # Output from Flatten layer to Dense
        self.fc2 = nn.Linear(128, 10) # Output layer

    def forward(self, x):
        x = torch.relu(self.conv1(x)) # Conv1 -> ReLU
        x = torch.relu(self.conv2(x)) # Conv2 -> ReLU
        x = self.pool(x) # MaxPooling
        x = torch.flatten(x, start_dim=1) # Flatten
        x = torch.relu(self.fc1(x)) # Dense Layer 1
        x = self.fc2(x) # Output Layer
        return x
