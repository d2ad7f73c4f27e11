"""The PyTorch 60-minute blitz (tensors, autograd, a LeNet, a training step, save/load), run
unchanged except for the import lines: `import ember as torch`."""
import os
import tempfile

import ember as torch
import ember.nn as nn
import ember.nn.functional as F
import ember.optim as optim
import numpy as np

x = torch.empty(5, 3); x = torch.rand(5, 3); x = torch.zeros(5, 3, dtype=torch.long)
x = torch.tensor([5.5, 3]); x = x.new_ones(5, 3, dtype=torch.double); x = torch.randn_like(x, dtype=torch.float)
print(x.size()); y = torch.rand(5, 3); print(x + y, torch.add(x, y)); result = torch.empty(5, 3)
y.add_(x); print(x[:, 1]); x = torch.randn(4, 4); y = x.view(16); z = x.view(-1, 8); print(x.size(), y.size(), z.size())
x = torch.randn(1); print(x.item())
a = torch.ones(5); b = a.numpy(); a.add_(1); print(b)
a = np.ones(5); b = torch.from_numpy(a); np.add(a, 1, out=a); print(b)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5); self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120); self.fc2 = nn.Linear(120, 84); self.fc3 = nn.Linear(84, 10)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2)); x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1); x = F.relu(self.fc1(x)); x = F.relu(self.fc2(x)); return self.fc3(x)
net = Net(); print(net)
params = list(net.parameters()); print(len(params)); print(params[0].size())
input = torch.randn(1, 1, 32, 32); out = net(input); print(out)
net.zero_grad(); out.backward(torch.randn(1, 10))
output = net(input); target = torch.randn(10); target = target.view(1, -1); criterion = nn.MSELoss()
loss = criterion(output, target); print(loss); print(loss.grad_fn); print(loss.grad_fn.next_functions[0][0])
net.zero_grad(); print(net.conv1.bias.grad); loss.backward(); print(net.conv1.bias.grad)
optimizer = optim.SGD(net.parameters(), lr=0.01); optimizer.zero_grad(); output = net(input)
loss = criterion(output, target); loss.backward(); optimizer.step()
x = torch.ones(2, 2, requires_grad=True); y = x + 2; z = y * y * 3; out = z.mean(); out.backward(); print(x.grad)
x = torch.randn(3, requires_grad=True); y = x * 2
while y.data.norm() < 1000: y = y * 2
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float); y.backward(v); print(x.grad)
print(x.requires_grad, (x ** 2).requires_grad)
with torch.no_grad(): print((x ** 2).requires_grad)
print(torch.cuda.is_available()); device = torch.device("cuda" if torch.cuda.is_available() else "cpu"); net.to(device)
path = os.path.join(tempfile.mkdtemp(), "net.pth")
torch.save(net.state_dict(), path); net.load_state_dict(torch.load(path, weights_only=True))
_, predicted = torch.max(out.reshape(1, 1), 1); print(predicted)
