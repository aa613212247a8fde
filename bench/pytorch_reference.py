#!/usr/bin/python3
"""PyTorch's speed on gan4j's benchmark: the same models, training step and protocol as
`./gan4j bench`, with the same output (a table, or one JSON object per line with --json).

Two steps, each reported (`"step"` in the output), so gan4j is compared with the faster:
- kept: gan4j's Trainer.step. z is drawn once and f = G(z) runs once with its graph; D learns
  on D(x) and D(f.detach()); then D(f), on the same f with D's parameters frozen, gives G's loss.
- twice: the textbook loop. G runs without a graph for D's phase, then again on fresh noise,
  with its graph, for G's phase: more arithmetic, but no graph of G kept across D's update.
PyTorch as its documentation recommends: gradients set to None rather than zeroed, inputs made
once outside the step, sampling under inference_mode, OpenMP's wait policy the faster of PASSIVE
and ACTIVE on the machine (bench/compare runs both), channels_last where it is faster
(--channels-last to try it).
Run it with Debian's python3-torch: /usr/bin/python3 bench/pytorch_reference.py
"""
import argparse
import json
import os
import platform
import statistics
import time

import torch
from torch import nn
import torch.nn.functional as F

INFERENCE_BATCH = 256
WARMUP_STEPS = 3
MODELS = ("mlp", "dcgan28", "dcgan64")


def mlp():
    """gan4j's Models.mlp: PyTorch's default initialisation, as gan4j's Linear has."""
    act = lambda: nn.LeakyReLU(0.2)
    g = nn.Sequential(
        nn.Linear(100, 256), act(),
        nn.Linear(256, 512), nn.BatchNorm1d(512), act(),
        nn.Linear(512, 1024), nn.BatchNorm1d(1024), act(),
        nn.Linear(1024, 784), nn.Tanh(), nn.Unflatten(1, (1, 28, 28)))
    d = nn.Sequential(
        nn.Flatten(), nn.Linear(784, 512), act(), nn.Linear(512, 256), act(), nn.Linear(256, 1))
    return g, d, (1, 28, 28)


def dcgan28(w=64):
    g = nn.Sequential(
        nn.Linear(100, 2 * w * 7 * 7), nn.BatchNorm1d(2 * w * 7 * 7), nn.ReLU(),
        nn.Unflatten(1, (2 * w, 7, 7)),
        nn.ConvTranspose2d(2 * w, w, 4, 2, 1), nn.BatchNorm2d(w), nn.ReLU(),
        nn.ConvTranspose2d(w, 1, 4, 2, 1), nn.Tanh())
    d = nn.Sequential(
        nn.Conv2d(1, w, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(w, 2 * w, 4, 2, 1), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(2 * w * 7 * 7, 1))
    return dcgan_init(g), dcgan_init(d), (1, 28, 28)


def dcgan64(w=64, c=3):
    g = nn.Sequential(
        nn.Unflatten(1, (100, 1, 1)),
        nn.ConvTranspose2d(100, 8 * w, 4, 1, 0, bias=False), nn.BatchNorm2d(8 * w), nn.ReLU(),
        nn.ConvTranspose2d(8 * w, 4 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(4 * w), nn.ReLU(),
        nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.ReLU(),
        nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(),
        nn.ConvTranspose2d(w, c, 4, 2, 1, bias=False), nn.Tanh())
    d = nn.Sequential(
        nn.Conv2d(c, w, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),
        nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2),
        nn.Conv2d(2 * w, 4 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(4 * w), nn.LeakyReLU(0.2),
        nn.Conv2d(4 * w, 8 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(8 * w), nn.LeakyReLU(0.2),
        nn.Conv2d(8 * w, 1, 4, 1, 0, bias=False), nn.Flatten())
    return dcgan_init(g), dcgan_init(d), (c, 64, 64)


def dcgan_init(net):
    """gan4j's Init.dcgan on convolutions only (--init dcgan-conv): conv weights N(0, 0.02); batch-norm scale N(1, 0.02), shift 0."""
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, 0.02)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return net


def macs_per_image(g, d):
    """Multiply-adds of Linear/Conv/ConvTranspose layers for one image: (G's, G's first layer's, D's, D's first layer's)."""
    counts = {}

    def hook(layer, inputs, output):
        x = inputs[0]
        if isinstance(layer, nn.Linear):
            n = layer.weight.numel() * (x.numel() // x.shape[-1])
        elif isinstance(layer, nn.Conv2d):
            n = layer.weight.numel() * output.shape[2] * output.shape[3]
        else:
            n = layer.weight.numel() * x.shape[2] * x.shape[3]
        counts.setdefault(net_of[layer], []).append(n)

    net_of = {}
    handles = []
    for name, net in (("g", g), ("d", d)):
        for m in net.modules():
            if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
                net_of[m] = name
                handles.append(m.register_forward_hook(hook))
    g.eval(), d.eval()
    with torch.no_grad():
        d(g(torch.zeros(1, 100)))
    g.train(), d.train()
    for h in handles:
        h.remove()
    return sum(counts["g"]), counts["g"][0], sum(counts["d"]), counts["d"][0]


def training_step_macs(g, d):
    """Per image, as gan4j's FlopCount.trainingStep: forward, weight gradients of the network
    that learns, input gradients where a gradient flows on (none into z or the images)."""
    gm, g_first, dm, d_first = macs_per_image(g, d)
    return (3 * gm - g_first) + 2 * (3 * dm - d_first) + 2 * dm


def median_rate(step, warmup, seconds, blocks):
    """Warm up by time and by count, then the median steps/s over timed blocks."""
    warm_end = time.perf_counter() + warmup
    i = 0
    while i < WARMUP_STEPS or time.perf_counter() < warm_end:
        step()
        i += 1
    rates = []
    for _ in range(blocks):
        start = time.perf_counter()
        end = start + seconds
        n = 0
        while True:
            step()
            n += 1
            now = time.perf_counter()
            if now >= end:
                break
        rates.append(n / (now - start))
    return statistics.median(rates)


def measure(name, batch, args):
    torch.manual_seed(1)
    dev = torch.device(args.device)
    g, d, image_shape = {"mlp": mlp, "dcgan28": dcgan28, "dcgan64": dcgan64}[name]()
    step_macs = training_step_macs(g, d)
    g, d = g.to(dev), d.to(dev)
    layout = torch.channels_last if args.channels_last and name != "mlp" else torch.contiguous_format
    g, d = g.to(memory_format=layout), d.to(memory_format=layout)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    if args.compile:
        g, d = torch.compile(g), torch.compile(d)
    real = (torch.rand(batch, *image_shape, device=dev) * 2 - 1).contiguous(memory_format=layout)   # made once: no data loading is timed
    ones, zeros = torch.ones(batch, 1, device=dev), torch.zeros(batch, 1, device=dev)

    def train_step():
        # 1. z ~ N(0, 1); f = G(z): kept, with G's graph for phase 2, or made without one
        if args.step == "kept":
            fake = g(torch.randn(batch, 100, device=dev))
        else:
            with torch.no_grad():
                fake = g(torch.randn(batch, 100, device=dev))
        # 2.-4. D learns on the real batch and the detached fakes
        loss_d = F.binary_cross_entropy_with_logits(d(real), ones) \
            + F.binary_cross_entropy_with_logits(d(fake.detach()), zeros)
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        # 5.-6. G learns through D(f) with D's parameters frozen: the same f, or G again on fresh noise
        if args.step == "twice":
            fake = g(torch.randn(batch, 100, device=dev))
        d.requires_grad_(False)
        loss_g = F.binary_cross_entropy_with_logits(d(fake), ones)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        d.requires_grad_(True)
        opt_g.step()
        return loss_d.item(), loss_g.item()

    steps = median_rate(train_step, args.warmup, args.seconds, args.blocks)

    g.eval()

    def sample():
        with torch.inference_mode():
            g(torch.randn(INFERENCE_BATCH, 100, device=dev))
        if dev.type == "cuda":
            torch.cuda.synchronize()   # the training step waits through .item(); sampling must wait too

    batches = median_rate(sample, args.warmup, args.seconds, args.blocks)
    return {"model": name, "batch": batch, "step": args.step, "steps_per_s": steps, "images_per_s": steps * batch,
            "gflops": 2.0 * step_macs * batch * steps / 1e9, "inference_images_per_s": batches * INFERENCE_BATCH}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="all", choices=MODELS + ("all",))
    p.add_argument("--batch-size", default="64,128", help="training batch sizes, comma-separated")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds before each measurement")
    p.add_argument("--seconds", type=float, default=1.0, help="seconds per timed block")
    p.add_argument("--blocks", type=int, default=7, help="timed blocks; the median is reported")
    p.add_argument("--json", action="store_true", help="one JSON object per line instead of a table")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    p.add_argument("--compile", action="store_true", help="torch.compile both networks (PyTorch 2 or newer)")
    p.add_argument("--step", default="both", choices=("kept", "twice", "both"),
                   help="gan4j's step (G once, its graph kept), the textbook one (G twice), or both, each reported")
    p.add_argument("--channels-last", action="store_true", help="convolutional models in channels_last memory format")
    args = p.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        p.error("--device cuda: PyTorch sees no CUDA device")
    if args.compile and not hasattr(torch, "compile"):
        p.error(f"--compile: PyTorch {torch.__version__} has no torch.compile")
    if args.device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False   # gan4j's cuBLAS default: full float32
        torch.backends.cudnn.allow_tf32 = False
    torch.set_num_threads(args.threads)
    models = MODELS if args.model == "all" else (args.model,)
    batches = [int(b) for b in args.batch_size.split(",")]
    extra = {"threads": torch.get_num_threads(), "device": args.device, "blocks": args.blocks,
             "torch": torch.__version__, "cpu": cpu_model(), "compiled": args.compile, "channels_last": args.channels_last,
             "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "unset")}
    if args.device == "cuda":
        extra["gpu"] = torch.cuda.get_device_name()
    if not args.json:
        where = extra.get("gpu", f"{extra['threads']} threads, {extra['cpu']}")
        print(f"PyTorch {torch.__version__}, {where}; medians of {args.blocks} blocks")
        print(f"{'model':8} {'batch':>6} {'step':>6} {'steps/s':>10} {'images/s':>10} {'GFLOP/s':>9} {'infer img/s':>14}")
    steps = ("kept", "twice") if args.step == "both" else (args.step,)
    for name in models:
        for batch in batches:
            for args.step in steps:
                r = measure(name, batch, args)
                if args.json:
                    print(json.dumps({"impl": "pytorch", **r, **extra}), flush=True)
                else:
                    print(f"{r['model']:8} {r['batch']:6d} {r['step']:>6} {r['steps_per_s']:10.2f} {r['images_per_s']:10.1f} "
                          f"{r['gflops']:9.1f} {r['inference_images_per_s']:14.1f}", flush=True)


if __name__ == "__main__":
    main()
