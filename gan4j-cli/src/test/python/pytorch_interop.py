"""gan4j generators as PyTorch modules: golden files for the import test, and gan4j checkpoints loaded in PyTorch.

Run with Debian's python3 and its torch package (python3-torch), from the repository root:

    /usr/bin/python3 gan4j-cli/src/test/python/pytorch_interop.py golden
        rewrites gan4j-cli/src/test/resources/interop/: for each model, MODEL.safetensors holds a
        PyTorch generator's state_dict (as PyTorch saves it: int64 num_batches_tracked) and
        MODEL.io.safetensors a fixed noise batch "z", its "labels" (as floats) and the "images"
        the module makes of them in eval mode. Every run gives the same files.

    /usr/bin/python3 gan4j-cli/src/test/python/pytorch_interop.py load RUN_DIR [--ema] [--out samples.pt]
        loads the generator of a gan4j run (its latest checkpoint) into the PyTorch module of the
        run's architecture, strictly (every name and shape must match), and draws 64 samples.

    /usr/bin/python3 gan4j-cli/src/test/python/pytorch_interop.py selftest
        both directions: imports each golden file with `./gan4j import-weights`, loads the
        checkpoint gan4j wrote back into PyTorch and checks it reproduces the golden images; and
        loads the stored gan4j training checkpoints (generator and weight average)
        (gan4j-MODEL.checkpoint.safetensors, written by Gan4jCheckpointGoldenTest with
        -Dgan4j.interop.write=true) and checks PyTorch makes the images gan4j made of them
        (gan4j-MODEL.io.safetensors). Tolerance everywhere: max abs difference <= 1e-5.

gan4j's parameter names are PyTorch's for the same modules: a Generator with an nn.Sequential
"main" (layers numbered from 0, parameter-free layers included) and, when class-conditional,
an nn.Embedding "label" whose output is concatenated after the noise.
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import torch
from torch import nn

torch.set_num_threads(1)
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ".."))
OUT_DIR = os.path.join(ROOT, "gan4j-cli", "src", "test", "resources", "interop")
CLASSES = 10
# Small widths keep the test resources small; the layer structure is that of the defaults.
GOLDEN = {
    "dcgan28": {"width": 4},
    "cgan-dcgan28": {"width": 4},
    "mlp": {"g_hidden": [16, 32, 64]},
    "cgan-mlp": {"g_hidden": [16, 32, 64]},
}

DTYPES = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8"), torch.float64: ("F64", "<f8")}
NP_TO_TORCH = {"F32": ("<f4", torch.float32), "I64": ("<i8", torch.int64), "F64": ("<f8", torch.float64)}


class Generator(nn.Module):
    def __init__(self, main, latent_dim, image_shape, classes=0, embed_dim=0):
        super().__init__()
        self.main = main
        self.label = nn.Embedding(classes, embed_dim) if classes else None
        self.latent_dim = latent_dim
        self.image_shape = image_shape

    def forward(self, z, labels=None):
        x = z if self.label is None else torch.cat([z, self.label(labels)], 1)
        return self.main(x).view(z.shape[0], *self.image_shape)


def activation(name):
    return {"relu": nn.ReLU(), "leaky_relu": nn.LeakyReLU(0.2), "tanh": nn.Tanh()}[name]


def generator(model, width=64, g_hidden=None, activation_name=None, channels=3, latent_dim=None):
    """The generator of gan4j's model MODEL (org.gan4j.gan.Models), layer for layer."""
    conditional = model.startswith("cgan-")
    embed = CLASSES if conditional else 0
    if model in ("dcgan28", "cgan-dcgan28"):
        z, w = latent_dim or 100, width
        main = nn.Sequential(
            nn.Linear(z + embed, 2 * w * 7 * 7), nn.BatchNorm1d(2 * w * 7 * 7), nn.ReLU(),
            nn.Unflatten(1, (2 * w, 7, 7)),
            nn.ConvTranspose2d(2 * w, w, 4, 2, 1), nn.BatchNorm2d(w), nn.ReLU(),
            nn.ConvTranspose2d(w, 1, 4, 2, 1), nn.Tanh())
        return Generator(main, z, (1, 28, 28), CLASSES if conditional else 0, embed)
    if model in ("mlp", "cgan-mlp", "mlp2d"):
        plane = model == "mlp2d"
        z = latent_dim or (2 if plane else 100)
        hidden = g_hidden or ([400] * 4 if plane else [256, 512, 1024])
        act = activation_name or ("relu" if plane else "leaky_relu")
        layers, width_in = [], z + embed
        for i, h in enumerate(hidden):
            layers.append(nn.Linear(width_in, h))
            if plane or i > 0:
                layers.append(nn.BatchNorm1d(h))
            layers.append(activation(act))
            width_in = h
        layers.append(nn.Linear(width_in, 2 if plane else 784))
        if not plane:
            layers.append(nn.Tanh())
        return Generator(nn.Sequential(*layers), z, (2,) if plane else (1, 28, 28), CLASSES if conditional else 0, embed)
    if model == "dcgan64":
        z, w, c = latent_dim or 100, width, channels
        main = nn.Sequential(
            nn.Unflatten(1, (z, 1, 1)),
            nn.ConvTranspose2d(z, 8 * w, 4, 1, 0, bias=False), nn.BatchNorm2d(8 * w), nn.ReLU(),
            nn.ConvTranspose2d(8 * w, 4 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(4 * w), nn.ReLU(),
            nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.ReLU(),
            nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(),
            nn.ConvTranspose2d(w, c, 4, 2, 1, bias=False), nn.Tanh())
        return Generator(main, z, (c, 64, 64))
    raise SystemExit("unknown model " + model)


def write_safetensors(path, tensors, metadata):
    """The safetensors layout: u64 header length, JSON header padded to 8 bytes, raw data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        dtype, np_type = DTYPES[t.dtype]
        data = t.detach().contiguous().numpy().astype(np_type).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        np_type, torch_type = NP_TO_TORCH[info["dtype"]]
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=np_type).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy()).to(torch_type)
    return tensors, metadata


def randomize_batch_norms(module, gen):
    """Non-trivial running statistics, so eval mode is really tested."""
    for m in module.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            n = m.num_features
            m.weight.data = 1 + 0.2 * torch.randn(n, generator=gen)
            m.bias.data = 0.1 * torch.randn(n, generator=gen)
            m.running_mean.data = 0.1 * torch.randn(n, generator=gen)
            m.running_var.data = 0.5 + torch.rand(n, generator=gen)
            m.num_batches_tracked.fill_(17)


def golden():
    os.makedirs(OUT_DIR, exist_ok=True)
    for i, (model, options) in enumerate(GOLDEN.items()):
        torch.manual_seed(100 + i)
        g = generator(model, **options)
        gen = torch.Generator().manual_seed(200 + i)
        randomize_batch_norms(g, gen)
        g.eval()
        z = torch.randn(8, g.latent_dim, generator=gen)
        labels = torch.arange(8) % CLASSES
        with torch.no_grad():
            images = g(z, labels if g.label is not None else None)
        write_safetensors(os.path.join(OUT_DIR, model + ".safetensors"), g.state_dict(), {"model": model})
        write_safetensors(os.path.join(OUT_DIR, model + ".io.safetensors"),
                          {"z": z, "labels": labels.float(), "images": images}, {"model": model})
        print("wrote", model, "images", tuple(images.shape))


def load_run(run_dir, ema=False):
    """The PyTorch generator of a gan4j run, loaded strictly from its latest checkpoint."""
    with open(os.path.join(run_dir, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(run_dir, "checkpoints", "latest")) as f:
        checkpoint = os.path.join(run_dir, "checkpoints", f.read().strip())
    tensors, _ = read_safetensors(checkpoint)
    prefix = "ema." if ema else "generator."
    state = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
    g = generator(config["model"], width=config.get("width") or 64, g_hidden=config.get("gHidden"),
                  activation_name=config.get("activation"), channels=config.get("channels") or 3)
    g.load_state_dict(state, strict=True)   # copies into PyTorch's dtypes (num_batches_tracked: int64)
    return g.eval()


def gan4j(*args):
    subprocess.run([os.path.join(ROOT, "gan4j"), *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def max_difference(g, io, key):
    """Largest |g(z) - io[key]| for the stored noise and labels."""
    with torch.no_grad():
        images = g(io["z"], io["labels"].long() if g.label is not None else None)
    return (images - io[key]).abs().max().item()


def selftest():
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for model in GOLDEN:
            run = os.path.join(tmp, "imported-" + model)
            gan4j("import-weights", os.path.join(OUT_DIR, model + ".safetensors"), "--model", model, "--out", run)
            io, _ = read_safetensors(os.path.join(OUT_DIR, model + ".io.safetensors"))
            results.append((model + ": PyTorch weights through a gan4j checkpoint, back in PyTorch", max_difference(load_run(run), io, "images")))

            run = os.path.join(tmp, "gan4j-" + model)
            os.makedirs(os.path.join(run, "checkpoints"))
            shutil.copy(os.path.join(OUT_DIR, f"gan4j-{model}.config.json"), os.path.join(run, "config.json"))
            shutil.copy(os.path.join(OUT_DIR, f"gan4j-{model}.checkpoint.safetensors"), os.path.join(run, "checkpoints", "step-000003.safetensors"))
            with open(os.path.join(run, "checkpoints", "latest"), "w") as f:
                f.write("step-000003.safetensors\n")
            io, _ = read_safetensors(os.path.join(OUT_DIR, f"gan4j-{model}.io.safetensors"))
            results.append((model + ": gan4j training checkpoint in PyTorch vs gan4j's images", max_difference(load_run(run), io, "images")))
            results.append((model + ": its weight average (ema.) likewise", max_difference(load_run(run, ema=True), io, "images_ema")))
    for what, diff in results:
        print(f"{what}: max abs difference {diff:.2e}")
    failed = [what for what, diff in results if diff > 1e-5]
    if failed:
        raise SystemExit("selftest FAILED (difference above 1e-5): " + "; ".join(failed))
    print("selftest passed")


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("golden", "load", "selftest"):
        raise SystemExit(__doc__)
    if sys.argv[1] == "golden":
        golden()
    elif sys.argv[1] == "selftest":
        selftest()
    else:
        args = sys.argv[2:]
        if not args:
            raise SystemExit("load needs a gan4j run directory")
        g = load_run(args[0], "--ema" in args)
        with torch.no_grad():
            z = torch.randn(64, g.latent_dim)
            samples = g(z, torch.arange(64) % CLASSES if g.label is not None else None)
        print(g)
        print("samples", tuple(samples.shape), "in [%.3f, %.3f]" % (samples.min().item(), samples.max().item()))
        if "--out" in args:
            torch.save(samples, args[args.index("--out") + 1])


if __name__ == "__main__":
    main()
