"""
Image classification on CIFAR-10, step by step
==============================================

1. load and normalise the images with torchvision
2. define a small convolutional network
3. pick a loss and an optimizer
4. train on the training images
5. measure accuracy on the test images, overall and per class

Everything runs at module level, like a tutorial you read from top to bottom.
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms

# 1. data ------------------------------------------------------------------------------
normalise = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
batch_size = 8

train_set = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=normalise)
train_loader = torch.utils.data.DataLoader(train_set, batch_size=batch_size, shuffle=True, num_workers=2)
test_set = torchvision.datasets.CIFAR10(root="./data", train=False, download=True, transform=normalise)
test_loader = torch.utils.data.DataLoader(test_set, batch_size=batch_size, shuffle=False, num_workers=2)

labels_text = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def show(grid):
    grid = grid / 2 + 0.5
    plt.imshow(np.transpose(grid.numpy(), (1, 2, 0)))
    plt.show()


batch_images, batch_labels = next(iter(train_loader))
show(torchvision.utils.make_grid(batch_images))
print(" ".join(labels_text[int(i)] for i in batch_labels))


# 2. network ---------------------------------------------------------------------------
class SmallConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_a = nn.Conv2d(3, 12, 5)
        self.conv_b = nn.Conv2d(12, 24, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.hidden1 = nn.Linear(24 * 6 * 6, 128)
        self.hidden2 = nn.Linear(128, 64)
        self.logits = nn.Linear(64, len(labels_text))

    def forward(self, x):
        x = self.pool(F.relu(self.conv_a(x)))
        x = self.pool(F.relu(self.conv_b(x)))
        x = x.view(x.size(0), -1)
        x = F.relu(self.hidden1(x))
        x = F.relu(self.hidden2(x))
        return self.logits(x)


net = SmallConvNet()

# 3. loss and optimizer ----------------------------------------------------------------
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.002, momentum=0.9)

# 4. training --------------------------------------------------------------------------
for epoch in range(3):
    running = 0.0
    for step, (inputs, targets) in enumerate(train_loader):
        optimizer.zero_grad()
        loss = criterion(net(inputs), targets)
        loss.backward()
        optimizer.step()
        running += loss.item()
        if step % 1000 == 999:
            print(f"epoch {epoch + 1} step {step + 1}: loss {running / 1000:.3f}")
            running = 0.0
print("training done")

weights_path = "./cifar_small_convnet.pth"
torch.save(net.state_dict(), weights_path)

# 5. testing ---------------------------------------------------------------------------
net = SmallConvNet()
net.load_state_dict(torch.load(weights_path, weights_only=True))

hits, seen = 0, 0
per_class_hits = {name: 0 for name in labels_text}
per_class_seen = {name: 0 for name in labels_text}
with torch.no_grad():
    for inputs, targets in test_loader:
        predicted = net(inputs).argmax(dim=1)
        seen += targets.size(0)
        hits += (predicted == targets).sum().item()
        for target, guess in zip(targets, predicted):
            per_class_seen[labels_text[target]] += 1
            per_class_hits[labels_text[target]] += int(target == guess)

print(f"accuracy on {seen} test images: {100 * hits / seen:.1f} %")
for name in labels_text:
    print(f"{name:>6s}: {100 * per_class_hits[name] / max(per_class_seen[name], 1):.1f} %")

device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
print("would train on", device)
net.to(device)
