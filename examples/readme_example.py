"""The README's 15-line example: a small regression trained with Adam."""
import ember as torch
import ember.nn as nn

torch.manual_seed(0)
x = torch.randn(64, 10)
y = x.sum(1, keepdim=True).sin()
model = nn.Sequential(nn.Linear(10, 32),
                      nn.Tanh(),
                      nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters())
for step in range(200):
    loss = ((model(x) - y) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(loss.item())
