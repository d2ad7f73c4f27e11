"""Train LeNet-5 on MNIST with a plain ember loop (the `make demo` job).

    python examples/mnist_lenet.py [--epochs 3] [--limit N] [--out runs/mnist_lenet]

Reads the IDX files from $EMBER_DATA or ../shared/datasets; prints the test accuracy and writes a
loss/accuracy curve PNG and a safetensors checkpoint into --out.
"""
import argparse
import os
import time

from matplotlib.figure import Figure
from tqdm import tqdm

import ember
import ember.nn.functional as F
from ember.utils.data import DataLoader, TensorDataset
from ember.vision.datasets import MNIST
from ember.vision.models import LeNet5

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--batch-size", type=int, default=128)
p.add_argument("--lr", type=float, default=1e-2, help="peak learning rate of the one-cycle schedule")
p.add_argument("--classic", action="store_true",
               help="the notes' original LeNet-5: scaled tanh, trainable subsampling, C3 table")
p.add_argument("--limit", type=int, default=None, help="use only the first N training images")
p.add_argument("--root", default=os.environ.get("EMBER_DATA") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "datasets"))
p.add_argument("--out", default=os.path.join("runs", "mnist_lenet"))
args = p.parse_args()
ember.manual_seed(0)


def tensors(train):  # uint8 (N, 28, 28) -> normalised float (N, 1, 28, 28), labels int64
    ds = MNIST(args.root, train=train)
    n = args.limit if train and args.limit else len(ds)
    x = (ds.data[:n].float().unsqueeze(1) / 255.0 - 0.1307) / 0.3081
    return TensorDataset(x, ds.targets[:n])


train = DataLoader(tensors(True), batch_size=args.batch_size, shuffle=True)
test = DataLoader(tensors(False), batch_size=1000)
# default: LeNet-5's layout with ReLU + max-pooling + full C3 (reaches 99 % in 3 epochs);
# --classic: as in the notes (C3 connection table, trainable subsampling, scaled tanh; ~98.6 %)
model = LeNet5() if args.classic else LeNet5(c3_table=False, subsampling="max", activation="relu")
opt = ember.optim.Adam(model.parameters(), lr=args.lr)
sched = ember.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * len(train))
curves = {"loss": [], "test_acc": []}
for epoch in range(args.epochs):
    model.train()
    start, bar = time.perf_counter(), tqdm(train, desc=f"epoch {epoch + 1}/{args.epochs}")
    for x, y in bar:
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        curves["loss"].append(loss.item())
        bar.set_postfix(loss=f"{loss.item():.4f}", img_s=f"{bar.n * args.batch_size / (time.perf_counter() - start):.0f}")
    model.eval()
    with ember.no_grad():
        correct = sum(int((model(x).argmax(1) == y).sum().item()) for x, y in test)
    curves["test_acc"].append(correct / len(test.dataset))
    print(f"epoch {epoch + 1}: test accuracy {100 * curves['test_acc'][-1]:.2f}%")

os.makedirs(args.out, exist_ok=True)
ember.save(model.state_dict(), os.path.join(args.out, "lenet5.safetensors"))
fig = Figure(figsize=(9, 3.2))
a, b = fig.subplots(1, 2)
a.plot(curves["loss"]), a.set(title="training loss", xlabel="step")
b.plot(range(1, args.epochs + 1), curves["test_acc"], marker="o"), b.set(title="test accuracy", xlabel="epoch")
fig.tight_layout()
fig.savefig(os.path.join(args.out, ".curves.tmp.png"))
os.replace(os.path.join(args.out, ".curves.tmp.png"), os.path.join(args.out, "curves.png"))  # atomic
print(f"final test accuracy {100 * curves['test_acc'][-1]:.2f}%; wrote {args.out}/lenet5.safetensors and curves.png")
