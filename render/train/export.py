#!/usr/bin/python3
"""Exports trained checkpoints to safetensors files the engine loads.

  export.py --out DIR [--dtype F16|F32] [vae] [text] [dit]

writes DIR/reel-vae.safetensors, DIR/reel-text.safetensors and DIR/reel-dit.safetensors
from the checkpoints in $REEL_TRAIN_DIR (default ~/.cache/reel-train); the DiT is exported
from its EMA weights.  Every size the engine needs is in the tensor shapes or `__metadata__`
(all values are strings; lists are comma-separated).  Weights go into data/models/ only once
they beat the previous ones on ProcBench, so the default --out is deliberately absent.
"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import procgen  # noqa: E402
from common import load_checkpoint, stage_dir, write_safetensors  # noqa: E402
from models.dit import WanModel  # noqa: E402
from models.text import BYTE0, EOS, PAD, UNK, T5Encoder, Tokenizer  # noqa: E402
from models.vae import WanVAE  # noqa: E402


def _csv(values):
    return ",".join(str(v).lower() if isinstance(v, bool) else str(v) for v in values)


def common_meta():
    return {
        "format": "reel-model",
        "video.frames": str(procgen.FRAMES),
        "video.fps": str(procgen.FPS),
        "video.sizes": ";".join(f"{a}={w}x{h}" for a, (w, h) in procgen.ASPECTS.items()),
    }


def vae_meta(vae, steps, data_seed):
    c = vae.config
    m = common_meta()
    m.update({
        "model.id": "reel-vae-v1", "model.kind": "wan-vae",
        "vae.z_dim": str(c["z_dim"]), "vae.dim": str(c["dim"]), "vae.dim_mult": _csv(c["dim_mult"]),
        "vae.num_res_blocks": str(c["num_res_blocks"]),
        "vae.temporal_downsample": _csv(c["temporal_downsample"]),
        "vae.stride": "4,8,8", "vae.norm_eps": "1e-06",
        "vae.middle_attention": "false",
        "vae.pixel_range": "-1,1",
        "vae.notes": ("causal conv3d (kt-1 zero frames in front); RMS norm over channels; "
                      "down: conv2d 3x3 s2 pad 1 then causal time conv (3,1,1) s2; "
                      "up: causal time conv to 2C read as [2,C], interleave, drop first frame; "
                      "nearest 2x + conv2d 3x3 pad 1; latent = (mu - latent_mean) / latent_std"),
        "training.steps": str(steps), "training.dataset_seed": str(data_seed),
    })
    return m


def text_meta(enc, tok, steps, data_seed, max_len):
    c = enc.config
    m = common_meta()
    m.update({
        "model.id": "reel-text-v1", "model.kind": "t5-encoder",
        "text.dim": str(c["dim"]), "text.num_heads": str(c["num_heads"]),
        "text.num_layers": str(c["num_layers"]), "text.num_buckets": str(c["num_buckets"]),
        "text.max_dist": "128", "text.eps": str(c["eps"]), "text.max_len": str(max_len),
        "text.attention_scale": "1", "text.ffn": "fc2(fc1(x) * gelu_tanh(gate.0(x)))",
        "tokenizer.kind": "reel-word-v1",
        "tokenizer.special": f"pad={PAD},eos={EOS},unk={UNK},byte0={BYTE0}",
        "tokenizer.words": tok.words_text(), "tokenizer.sha256": tok.sha256(),
        "training.steps": str(steps), "training.dataset_seed": str(data_seed),
    })
    return m


def dit_meta(model, steps, data_seed, text_sha, extra=None):
    c = model.config
    m = common_meta()
    m.update({
        "model.id": "reel-dit-v1", "model.kind": "wan-dit",
        "model.type": "i2v" if c["in_dim"] == 36 else "t2v",
        "dit.num_heads": str(c["num_heads"]), "dit.eps": str(c["eps"]),
        "dit.patch": _csv(c["patch_size"]), "dit.freq_dim": str(c["freq_dim"]),
        "dit.text_len": str(c["text_len"]), "dit.rope_theta": str(c["rope_theta"]),
        "dit.image_branch": "none (mask + first-frame latent channels only)",
        "vae.stride": "4,8,8", "vae.z_dim": str(c["out_dim"]),
        "text.vocab_sha256": text_sha,
        "sampling.shift": "3.0", "sampling.guidance": "5.0",
        "sampling.objective": "flow matching: x_t=(1-s)x0+s*eps, v=eps-x0, t=1000*s",
        "training.steps": str(steps), "training.dataset_seed": str(data_seed),
    })
    if extra:
        m.update(extra)
    return m


def export_vae(out, dtype):
    ck = load_checkpoint("vae")
    if ck is None:
        raise SystemExit("No VAE checkpoint in " + stage_dir("vae"))
    vae = WanVAE(**ck["config"]["model"])
    vae.load_state_dict(ck["model"])
    stats_path = os.path.join(stage_dir("latents"), "latent_stats.json")
    if not os.path.exists(stats_path):
        raise SystemExit(f"No latent statistics at {stats_path}: run `train.py latents` first.")
    with open(stats_path) as f:
        st = json.load(f)
    vae.latent_mean.copy_(torch.tensor(st["mean"]))
    vae.latent_std.copy_(torch.tensor(st["std"]))
    path = os.path.join(out, "reel-vae.safetensors")
    write_safetensors(path, vae.state_dict(), vae_meta(vae, ck["step"], ck["config"]["data_seed"]),
                      dtype)
    return path


def export_text(out, dtype):
    ck = load_checkpoint("text")
    if ck is None:
        raise SystemExit("No text-encoder checkpoint in " + stage_dir("text"))
    tok = Tokenizer(ck["words"])
    enc = T5Encoder(tok.vocab_size, **ck["config"]["model"])
    enc.load_state_dict(ck["model"])
    path = os.path.join(out, "reel-text.safetensors")
    write_safetensors(path, enc.state_dict(),
                      text_meta(enc, tok, ck["step"], ck["config"]["data_seed"],
                                ck["config"]["max_len"]), dtype)
    return path


def export_dit(out, dtype):
    ck = load_checkpoint("dit")
    if ck is None:
        raise SystemExit("No DiT checkpoint in " + stage_dir("dit"))
    tck = load_checkpoint("text")
    model = WanModel(text_dim=ck["text_dim"], **ck["config"]["model"])
    model.load_state_dict(ck["ema"])
    tok = Tokenizer(tck["words"])
    path = os.path.join(out, "reel-dit.safetensors")
    write_safetensors(path, model.state_dict(),
                      dit_meta(model, ck["step"], ck["config"]["data_seed"], tok.sha256(),
                               {"training.vae_steps": str(ck["vae_step"]),
                                "training.text_steps": str(ck["text_step"])}), dtype)
    return path


def main():
    p = argparse.ArgumentParser(description="Export Reel's trained models to safetensors.")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--dtype", choices=["F16", "F32"], default="F16")
    p.add_argument("models", nargs="*", help="vae, text and/or dit (default: all three)")
    a = p.parse_args()
    for m in a.models:
        if m not in ("vae", "text", "dit"):
            p.error(f"unknown model {m!r}: choose from vae, text, dit")
    os.makedirs(a.out, exist_ok=True)
    for m in a.models or ["vae", "text", "dit"]:
        path = {"vae": export_vae, "text": export_text, "dit": export_dit}[m](a.out, a.dtype)
        print(f"{path}: {os.path.getsize(path) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
