#!/usr/bin/python3
"""Generates clips with the current checkpoints, to look at training progress.

  sample.py --out SHEET.png [--count N] [--steps 30] [--guidance 5] [--shift 3] [--i2v]
            [--caption TEXT ...]

Without --caption it takes the first N held-out (test split) captions of the generator.
Each row of the contact sheet is one clip (frames 0, 4, 8, 12, 16); with --i2v the clip is
conditioned on the procedural clip's first frame, and a row with the real clip follows.
Sampling: Euler over the shifted sigma schedule σ' = sσ/(1+(s−1)σ), classifier-free guidance
with the empty prompt.
"""

import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import procgen  # noqa: E402
from common import device, load_checkpoint, setup_threads  # noqa: E402
from models.dit import WanModel  # noqa: E402
from models.text import batch_ids, context_for_dit  # noqa: E402
from train import clip_tensor, load_text, load_vae, shift_sigma  # noqa: E402


def sample(model, vae, text, tok, caption, aspect, steps, guidance, shift, seed, first=None):
    dev = next(model.parameters()).device
    w, h = procgen.ASPECTS[aspect]
    f = (procgen.FRAMES - 1) // 4 + 1
    shape = (1, 16, f, h // 8, w // 8)
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=gen).to(dev)
    tl = model.text_len
    with torch.no_grad():
        ids, mask = batch_ids(tok, [caption, ""], tl)
        ctx = context_for_dit(text(ids.to(dev), mask.to(dev)), mask.to(dev), tl)
        cond = torch.zeros(2, 20, *shape[2:], device=dev)
        if first is not None and model.config["in_dim"] == 36:
            mu, _ = vae.encode(first.to(dev))
            cond[:, :4, :1] = 1.0
            cond[:, 4:, :1] = vae.normalize(mu)[:, :, :1]
        sig = shift_sigma(torch.linspace(1.0, 0.0, steps + 1), shift)
        for i in range(steps):
            xin = torch.cat([x.repeat(2, 1, 1, 1, 1), cond], 1) if model.config["in_dim"] == 36 else x.repeat(2, 1, 1, 1, 1)
            v = model(xin, torch.full((2,), float(sig[i]) * 1000, device=dev), ctx)
            v = v[1:] + guidance * (v[:1] - v[1:])
            x = x + (sig[i + 1] - sig[i]) * v
        out = vae.decode(vae.denormalize(x))
    return ((out[0].permute(1, 2, 3, 0).cpu().numpy() + 1) * 127.5).clip(0, 255).astype(np.uint8)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=6)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--guidance", type=float, default=5.0)
    p.add_argument("--shift", type=float, default=3.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--i2v", action="store_true")
    p.add_argument("--caption", action="append")
    a = p.parse_args()
    setup_threads()
    dev = device()
    vae, _ = load_vae(dev)
    text, tok, _ = load_text(dev)
    ck = load_checkpoint("dit")
    model = WanModel(text_dim=ck["text_dim"], **ck["config"]["model"]).to(dev).eval()
    model.load_state_dict(ck["ema"])
    rows = []
    jobs = []
    if a.caption:
        jobs = [(c, "16:9", None) for c in a.caption]
    else:
        for i in range(a.count):
            frames, cap, lab = procgen.make_clip(a.seed, i, "test")
            jobs.append((cap, lab["aspect"], frames))
    for i, (cap, aspect, frames) in enumerate(jobs):
        first = clip_tensor(frames[:1])[None] if (a.i2v and frames is not None) else None
        rows.append(sample(model, vae, text, tok, cap, aspect, a.steps, a.guidance, a.shift,
                           a.seed + i, first))
        print(f"row {len(rows)}: {cap}")
        if frames is not None and a.i2v:
            rows.append(frames)
    procgen._write_png(a.out, procgen.contact_sheet(rows))
    print(f"step {ck['step']}: {a.out}")


if __name__ == "__main__":
    main()
