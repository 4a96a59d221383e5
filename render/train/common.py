"""Shared pieces of the training scripts: paths, configs, checkpoints, logs, FLOP counting,
and the safetensors writer."""

import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


def train_dir():
    d = os.environ.get("REEL_TRAIN_DIR") or os.path.expanduser("~/.cache/reel-train")
    os.makedirs(d, exist_ok=True)
    return d


def stage_dir(stage):
    d = os.path.join(train_dir(), stage)
    os.makedirs(d, exist_ok=True)
    return d


def load_config(path):
    with open(path) as f:
        return json.load(f)


def device():
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def setup_threads():
    if not torch.cuda.is_available():
        torch.set_num_threads(int(os.environ.get("REEL_TRAIN_THREADS", os.cpu_count() or 1)))


class Log:
    """Prints and appends to <stage dir>/log.txt, one line per call, UTC time first."""

    def __init__(self, stage):
        self.path = os.path.join(stage_dir(stage), "log.txt")

    def __call__(self, msg):
        line = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()) + " " + msg
        print(line, flush=True)
        with open(self.path, "a") as f:
            f.write(line + "\n")


def save_checkpoint(stage, state):
    """Atomically writes <stage dir>/last.pt (a crash mid-write keeps the previous one)."""
    d = stage_dir(stage)
    tmp = os.path.join(d, "last.pt.tmp")
    torch.save(state, tmp)
    os.replace(tmp, os.path.join(d, "last.pt"))


def load_checkpoint(stage, map_location="cpu"):
    path = os.path.join(stage_dir(stage), "last.pt")
    if not os.path.exists(path):
        return None
    return torch.load(path, map_location=map_location)


def mark_done(stage, info):
    with open(os.path.join(stage_dir(stage), "done.json"), "w") as f:
        json.dump(info, f, indent=1)


def is_done(stage):
    return os.path.exists(os.path.join(stage_dir(stage), "done.json"))


class FlopCounter:
    """Counts forward multiply-adds ×2 of conv and linear layers through hooks, plus whatever
    the model adds by hand (attention products).  Training ≈ 3× the forward count."""

    def __init__(self, model):
        self.flops = 0
        self.handles = []
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Conv3d, nn.Linear)):
                self.handles.append(m.register_forward_hook(self._hook))

    def _hook(self, m, inp, out):
        if isinstance(m, nn.Linear):
            self.flops += 2 * out.numel() * m.in_features
        else:
            k = int(np.prod(m.kernel_size))
            self.flops += 2 * out.numel() * (m.in_channels // m.groups) * k

    def close(self):
        for h in self.handles:
            h.remove()


def write_safetensors(path, tensors, metadata, dtype="F32"):
    """Writes the safetensors format by hand: 8-byte little-endian header length, a JSON header
    (dtype, shape, data_offsets per tensor, and `__metadata__` of strings), raw little-endian
    data.  The header is padded with spaces to a multiple of 8 bytes so data is aligned."""
    np_dtype = {"F32": np.float32, "F16": np.float16}[dtype]
    header = {"__metadata__": {str(k): str(v) for k, v in metadata.items()}}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        a = t.detach().cpu().float().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
        a = np.ascontiguousarray(a, dtype=np.dtype(np_dtype).newbyteorder("<"))
        data = a.tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors(path):
    """Reads a file written by write_safetensors: ({name: np.ndarray}, metadata)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, h in header.items():
        dt = {"F32": "<f4", "F16": "<f2"}[h["dtype"]]
        a, b = h["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=dt).reshape(h["shape"])
    return out, meta
