#!/usr/bin/env python3
"""PyTorch peer of benchmarks/engine: the same two reference models as src/bench/models.ts.

small: 4 convs at 32x32x3, batch 64; large: 8 convs at 112x112x3, batch 32. Each conv is 3x3 'same' + bias
+ ReLU, a residual add joins equal-shaped pairs, then global average pooling, a linear classifier,
cross-entropy and SGD with momentum 0.9. Prints one JSON line: median images/s over the timed steps.
Run with Debian's python3-torch: python3 engine_peer.py --model small --threads 2
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

MODELS = {
    "small": dict(size=32, batch=64, classes=10, convs=[(32, 1, False), (32, 1, True), (64, 2, False), (64, 1, True)]),
    "large": dict(
        size=112,
        batch=32,
        classes=10,
        convs=[(32, 2, False), (32, 1, True), (64, 2, False), (64, 1, True),
               (128, 2, False), (128, 1, True), (256, 2, False), (256, 1, True)],
    ),
}


class Net(nn.Module):
    def __init__(self, spec):
        super().__init__()
        layers, channels = [], 3
        for filters, stride, _ in spec["convs"]:
            layers.append(nn.Conv2d(channels, filters, 3, stride=stride, padding=1))
            channels = filters
        self.convs = nn.ModuleList(layers)
        self.residual = [r for _, _, r in spec["convs"]]
        self.fc = nn.Linear(channels, spec["classes"])

    def forward(self, x):
        for conv, residual in zip(self.convs, self.residual):
            y = F.relu(conv(x))
            x = y + x if residual else y
        return self.fc(x.mean(dim=(2, 3)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=MODELS, default="small")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    spec = MODELS[args.model]
    net = Net(spec)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(spec["batch"], 3, spec["size"], spec["size"])
    y = torch.randint(0, spec["classes"], (spec["batch"],))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    rates, cpu_rates = [], []
    for _ in range(args.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        rates.append(spec["batch"] / (time.perf_counter() - t0))
        cpu_rates.append(spec["batch"] / (time.process_time() - c0))
    print(json.dumps({
        "model": args.model,
        "threads": args.threads,
        "img_per_s": statistics.median(rates),
        "img_per_cpu_s": statistics.median(cpu_rates),  # per second of this process's CPU time (all threads)
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
