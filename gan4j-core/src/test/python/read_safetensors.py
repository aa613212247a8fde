"""Reads a safetensors file written by gan4j with a reader that follows only the format's
specification, turns every tensor into a torch tensor, and, for a gan4j checkpoint of a
dcgan28 run, loads the generator into the same network built in PyTorch (strict names).

    /usr/bin/python3 gan4j-core/src/test/python/read_safetensors.py runs/NAME/checkpoints/step-000780.safetensors
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn


def read(path):
    raw = open(path, 'rb').read()
    (length,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + length])
    metadata = header.pop('__metadata__', {})
    data = raw[8 + length:]
    tensors = {}
    for name, entry in header.items():
        assert entry['dtype'] == 'F32', f'{name}: dtype {entry["dtype"]}'
        begin, end = entry['data_offsets']
        tensors[name] = torch.from_numpy(np.frombuffer(data[begin:end], '<f4').reshape(entry['shape']).copy())
    return tensors, metadata


def dcgan28_generator():
    return nn.Sequential(
        nn.Linear(100, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (128, 7, 7)),
        nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())


if __name__ == '__main__':
    tensors, metadata = read(sys.argv[1])
    print(f'{len(tensors)} tensors, metadata {metadata}')
    if metadata.get('model') == 'dcgan28':
        prefix = 'generator.main.'
        g = dcgan28_generator()
        g.load_state_dict({k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}, strict=True)
        print('generator loaded into PyTorch with strict names')
