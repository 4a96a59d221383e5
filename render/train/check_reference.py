#!/usr/bin/python3
"""Recomputes the reference outputs of make_reference.py with NumPy only, op by op as the C
engine defines its ops (render/cpu/reel-cpu-ops.h), reading every size from the tensor shapes
and `__metadata__`.  It proves that the PyTorch models are made of those ops with those
semantics, and is a readable recipe for the engine's model code.

  check_reference.py DIR     (DIR holds ref-*.safetensors from make_reference.py)

Prints the NMSE of each output against PyTorch's and exits 1 if any is above 1e-6.
"""

import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import read_safetensors  # noqa: E402

# ---- the engine's ops (fp32 data, statistics in double) --------------------------------


def linear(x, w, b=None):
    y = x @ w.T
    return y + b if b is not None else y


def layer_norm(x, w, b, eps):
    xd = x.astype(np.float64)
    mu = xd.mean(-1, keepdims=True)
    var = ((xd - mu) ** 2).mean(-1, keepdims=True)
    y = ((xd - mu) / np.sqrt(var + eps)).astype(np.float32)
    if w is not None:
        y = y * w
    if b is not None:
        y = y + b
    return y


def rms_norm(x, w, eps):
    xd = x.astype(np.float64)
    y = (xd / np.sqrt((xd ** 2).mean(-1, keepdims=True) + eps)).astype(np.float32)
    return y * w if w is not None else y


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def silu(x):
    return x / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def attention(q, k, v, scale):
    """q [sq, heads, d], k/v [sk, heads, d] → [sq, heads, d]."""
    w = softmax(np.einsum("qhd,khd->hqk", q, k) * scale)
    return np.einsum("hqk,khd->qhd", w, v)


def modulate(x, shift, scale):
    return x * (1 + scale) + shift


def rope3d(x, frames, height, width, theta):
    s, heads, d = x.shape
    parts = [d - 4 * (d // 6), 2 * (d // 6), 2 * (d // 6)]
    f, r, c = np.meshgrid(np.arange(frames), np.arange(height), np.arange(width), indexing="ij")
    angles = []
    for p, pos in zip(parts, (f.ravel(), r.ravel(), c.ravel())):
        i = np.arange(p // 2, dtype=np.float64)
        angles.append(np.outer(pos.astype(np.float64), theta ** (-2 * i / p)))
    ang = np.concatenate(angles, 1)                 # [s, d/2]
    cos = np.cos(ang)[:, None, :]
    sin = np.sin(ang)[:, None, :]
    x0 = x[..., 0::2].astype(np.float64)
    x1 = x[..., 1::2].astype(np.float64)
    y = np.empty_like(x)
    y[..., 0::2] = x0 * cos - x1 * sin
    y[..., 1::2] = x0 * sin + x1 * cos
    return y


def patchify(x, pt, ph, pw):
    c, t, h, w = x.shape
    x = x.reshape(c, t // pt, pt, h // ph, ph, w // pw, pw)
    x = x.transpose(1, 3, 5, 2, 4, 6, 0)            # frame,row,col | it,ih,iw,c
    return x.reshape((t // pt) * (h // ph) * (w // pw), pt * ph * pw * c)


def unpatchify(tokens, c, t, h, w, pt, ph, pw):
    x = tokens.reshape(t // pt, h // ph, w // pw, pt, ph, pw, c)
    return x.transpose(6, 0, 3, 1, 4, 2, 5).reshape(c, t, h, w)


def conv3d(x, w, b, stride=(1, 1, 1), pad_hw=(0, 0), causal=True):
    """x [c_in, t, h, w], w [c_out, c_in, kt, kh, kw]; causal pads kt−1 frames in front."""
    c_out, c_in, kt, kh, kw = w.shape
    ph, pw = pad_hw
    xp = np.pad(x, ((0, 0), (kt - 1 if causal else 0, 0), (ph, ph), (pw, pw)))
    st, sh, sw = stride
    to = (xp.shape[1] - kt) // st + 1
    ho = (xp.shape[2] - kh) // sh + 1
    wo = (xp.shape[3] - kw) // sw + 1
    out = np.zeros((c_out, to, ho, wo), np.float64)
    for a in range(kt):
        for i in range(kh):
            for j in range(kw):
                patch = xp[:, a:a + st * to:st, i:i + sh * ho:sh, j:j + sw * wo:sw]
                out += np.einsum("oc,cthw->othw", w[:, :, a, i, j], patch)
    if b is not None:
        out += b[:, None, None, None]
    return out.astype(np.float32)


def conv2d_frames(x, w, b, stride, pad):
    return conv3d(x, w[:, :, None], b, (1, stride, stride), (pad, pad), causal=True)


def resize_nearest2(x):
    return x.repeat(2, axis=-2).repeat(2, axis=-1)


def nmse(a, b):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return float(((a - b) ** 2).sum() / max((b ** 2).sum(), 1e-30))


# ---- DiT ---------------------------------------------------------------------------------

def dit_forward(W, meta, x, t, context):
    heads = int(meta["dit.num_heads"])
    eps = float(meta["dit.eps"])
    theta = float(meta["dit.rope_theta"])
    pt, ph, pw = (int(v) for v in meta["dit.patch"].split(","))
    freq_dim = int(meta["dit.freq_dim"])
    pe = W["patch_embedding.weight"]                 # [dim, in, pt, ph, pw]
    dim = pe.shape[0]
    out_dim = W["head.head.weight"].shape[0] // (pt * ph * pw)
    c, f, h, w = x.shape
    tokens = patchify(x, pt, ph, pw)
    hdn = linear(tokens, pe.transpose(0, 2, 3, 4, 1).reshape(dim, -1), W["patch_embedding.bias"])
    half = freq_dim // 2
    sinus = np.outer(t.astype(np.float64), 10000.0 ** (-np.arange(half) / half))
    sinus = np.concatenate([np.cos(sinus), np.sin(sinus)], 1).astype(np.float32)
    e = linear(silu(linear(sinus, W["time_embedding.0.weight"], W["time_embedding.0.bias"])),
               W["time_embedding.2.weight"], W["time_embedding.2.bias"])
    e0 = linear(silu(e), W["time_projection.1.weight"], W["time_projection.1.bias"]).reshape(6, dim)
    ctx = linear(gelu_tanh(linear(context, W["text_embedding.0.weight"], W["text_embedding.0.bias"])),
                 W["text_embedding.2.weight"], W["text_embedding.2.bias"])
    fo, ho, wo = f // pt, h // ph, w // pw
    d = dim // heads
    n = 0
    while f"blocks.{n}.modulation" in W:
        p = f"blocks.{n}."
        m = W[p + "modulation"][0] + e0
        y = modulate(layer_norm(hdn, None, None, eps), m[0], m[1])
        q = rms_norm(linear(y, W[p + "self_attn.q.weight"], W[p + "self_attn.q.bias"]), W[p + "self_attn.norm_q.weight"], eps)
        k = rms_norm(linear(y, W[p + "self_attn.k.weight"], W[p + "self_attn.k.bias"]), W[p + "self_attn.norm_k.weight"], eps)
        v = linear(y, W[p + "self_attn.v.weight"], W[p + "self_attn.v.bias"])
        q = rope3d(q.reshape(-1, heads, d), fo, ho, wo, theta)
        k = rope3d(k.reshape(-1, heads, d), fo, ho, wo, theta)
        a = attention(q, k, v.reshape(-1, heads, d), 1 / math.sqrt(d)).reshape(-1, dim)
        hdn = hdn + linear(a, W[p + "self_attn.o.weight"], W[p + "self_attn.o.bias"]) * m[2]
        y = layer_norm(hdn, W[p + "norm3.weight"], W[p + "norm3.bias"], eps)
        q = rms_norm(linear(y, W[p + "cross_attn.q.weight"], W[p + "cross_attn.q.bias"]), W[p + "cross_attn.norm_q.weight"], eps)
        k = rms_norm(linear(ctx, W[p + "cross_attn.k.weight"], W[p + "cross_attn.k.bias"]), W[p + "cross_attn.norm_k.weight"], eps)
        v = linear(ctx, W[p + "cross_attn.v.weight"], W[p + "cross_attn.v.bias"])
        a = attention(q.reshape(-1, heads, d), k.reshape(-1, heads, d), v.reshape(-1, heads, d),
                      1 / math.sqrt(d)).reshape(-1, dim)
        hdn = hdn + linear(a, W[p + "cross_attn.o.weight"], W[p + "cross_attn.o.bias"])
        y = modulate(layer_norm(hdn, None, None, eps), m[3], m[4])
        y = linear(gelu_tanh(linear(y, W[p + "ffn.0.weight"], W[p + "ffn.0.bias"])), W[p + "ffn.2.weight"], W[p + "ffn.2.bias"])
        hdn = hdn + y * m[5]
        n += 1
    mh = W["head.modulation"][0] + e
    y = linear(modulate(layer_norm(hdn, None, None, eps), mh[0], mh[1]), W["head.head.weight"], W["head.head.bias"])
    return unpatchify(y, out_dim, f, h, w, pt, ph, pw), e[0], e0.reshape(-1), hdn


# ---- text encoder ------------------------------------------------------------------------

def buckets(lq, lk, num_buckets, max_dist):
    rel = np.arange(lk)[None, :] - np.arange(lq)[:, None]
    nb = num_buckets // 2
    out = (rel > 0).astype(np.int64) * nb
    rel = np.abs(rel)
    max_exact = nb // 2
    # (the log of 0 is never used: those distances take the exact branch)
    large = max_exact + (np.log(np.maximum(rel, 1).astype(np.float32) / max_exact)
                         / math.log(max_dist / max_exact) * (nb - max_exact)).astype(np.int64)
    large = np.minimum(large, nb - 1)
    return out + np.where(rel < max_exact, rel, large)


def text_forward(W, meta, ids):
    heads = int(meta["text.num_heads"])
    eps = float(meta["text.eps"])
    nbk = int(meta["text.num_buckets"])
    max_dist = int(meta["text.max_dist"])
    x = W["token_embedding.weight"][ids]
    length = len(ids)
    bk = buckets(length, length, nbk, max_dist)
    n = 0
    first = None
    while f"blocks.{n}.norm1.weight" in W:
        p = f"blocks.{n}."
        y = rms_norm(x, W[p + "norm1.weight"], eps)
        d = W[p + "attn.q.weight"].shape[0] // heads
        q = linear(y, W[p + "attn.q.weight"]).reshape(length, heads, d)
        k = linear(y, W[p + "attn.k.weight"]).reshape(length, heads, d)
        v = linear(y, W[p + "attn.v.weight"]).reshape(length, heads, d)
        bias = W[p + "pos_embedding.embedding.weight"][bk].transpose(2, 0, 1)   # [heads, lq, lk]
        wgt = softmax(np.einsum("qhd,khd->hqk", q, k) + bias)
        a = np.einsum("hqk,khd->qhd", wgt, v).reshape(length, heads * d)
        x = x + linear(a, W[p + "attn.o.weight"])
        y = rms_norm(x, W[p + "norm2.weight"], eps)
        x = x + linear(linear(y, W[p + "ffn.fc1.weight"]) * gelu_tanh(linear(y, W[p + "ffn.gate.0.weight"])),
                       W[p + "ffn.fc2.weight"])
        if n == 0:
            first = x
        n += 1
    return rms_norm(x, W["norm.weight"], eps), first


# ---- VAE ---------------------------------------------------------------------------------

def vae_rms(x, gamma, eps):
    # channel RMS norm: the engine permutes [C, S] to [S, C] and runs rms_norm
    c = x.shape[0]
    y = rms_norm(x.reshape(c, -1).T, gamma.reshape(-1), eps).T
    return y.reshape(x.shape)


def vae_res(W, p, x, eps):
    y = conv3d(silu(vae_rms(x, W[p + "residual.0.gamma"], eps)), W[p + "residual.2.weight"], W[p + "residual.2.bias"], pad_hw=(1, 1))
    y = conv3d(silu(vae_rms(y, W[p + "residual.3.gamma"], eps)), W[p + "residual.6.weight"], W[p + "residual.6.bias"], pad_hw=(1, 1))
    sc = conv3d(x, W[p + "shortcut.weight"], W[p + "shortcut.bias"]) if p + "shortcut.weight" in W else x
    return sc + y


def vae_seq(W, prefix, x, eps):
    i = 0
    while True:
        p = f"{prefix}.{i}."
        if p + "residual.0.gamma" in W:
            x = vae_res(W, p, x, eps)
        elif p + "resample.1.weight" in W:
            rw, rb = W[p + "resample.1.weight"], W[p + "resample.1.bias"]
            up = "upsamples" in prefix
            if up and p + "time_conv.weight" in W:
                c = x.shape[0]
                y = conv3d(x, W[p + "time_conv.weight"], W[p + "time_conv.bias"])
                y = y.reshape(2, c, *y.shape[1:]).transpose(1, 2, 0, 3, 4)   # [c, t, 2, h, w]
                x = y.reshape(c, -1, *y.shape[3:])[:, 1:]
            if up:
                x = conv2d_frames(resize_nearest2(x), rw, rb, 1, 1)
            else:
                x = conv2d_frames(x, rw, rb, 2, 1)
                if p + "time_conv.weight" in W:
                    x = conv3d(x, W[p + "time_conv.weight"], W[p + "time_conv.bias"], stride=(2, 1, 1))
        elif not any(k.startswith(p) for k in W) and not any(k.startswith(f"{prefix}.{i + 1}.") for k in W):
            return x
        i += 1


def vae_encode(W, meta, x):
    eps = float(meta["vae.norm_eps"])
    h = conv3d(x, W["encoder.conv1.weight"], W["encoder.conv1.bias"], pad_hw=(1, 1))
    h = vae_seq(W, "encoder.downsamples", h, eps)
    h = vae_seq(W, "encoder.middle", h, eps)
    h = conv3d(silu(vae_rms(h, W["encoder.head.0.gamma"], eps)), W["encoder.head.2.weight"], W["encoder.head.2.bias"], pad_hw=(1, 1))
    h = conv3d(h, W["conv1.weight"], W["conv1.bias"])
    z = h.shape[0] // 2
    return h[:z], h[z:]


def vae_decode(W, meta, z):
    eps = float(meta["vae.norm_eps"])
    h = conv3d(z, W["conv2.weight"], W["conv2.bias"])
    h = conv3d(h, W["decoder.conv1.weight"], W["decoder.conv1.bias"], pad_hw=(1, 1))
    h = vae_seq(W, "decoder.middle", h, eps)
    h = vae_seq(W, "decoder.upsamples", h, eps)
    return conv3d(silu(vae_rms(h, W["decoder.head.0.gamma"], eps)), W["decoder.head.2.weight"], W["decoder.head.2.bias"], pad_hw=(1, 1))


def main():
    if len(sys.argv) != 2:
        print("usage: check_reference.py DIR", file=sys.stderr)
        return 2
    d = sys.argv[1]
    results = []

    W, meta = read_safetensors(os.path.join(d, "ref-dit.safetensors"))
    io, _ = read_safetensors(os.path.join(d, "ref-dit-io.safetensors"))
    v, e, e0, _ = dit_forward(W, meta, io["x"], io["t"], io["context"])
    results += [("dit velocity", nmse(v, io["velocity"])), ("dit time_embedding", nmse(e, io["time_embedding"])),
                ("dit time_projection", nmse(e0, io["time_projection"]))]
    v2, _, _, _ = dit_forward(W, meta, io["x_t2v"], io["t_t2v"], io["context"])
    results.append(("dit velocity_t2v", nmse(v2, io["velocity_t2v"])))

    W, meta = read_safetensors(os.path.join(d, "ref-text.safetensors"))
    io, _ = read_safetensors(os.path.join(d, "ref-text-io.safetensors"))
    y, first = text_forward(W, meta, io["ids"].astype(np.int64))
    results += [("text output", nmse(y, io["output"])), ("text block0", nmse(first, io["block0_output"]))]
    y, _ = text_forward(W, meta, io["empty_ids"].astype(np.int64))
    results.append(("text empty", nmse(y, io["empty_output"])))

    W, meta = read_safetensors(os.path.join(d, "ref-vae.safetensors"))
    io, _ = read_safetensors(os.path.join(d, "ref-vae-io.safetensors"))
    mu, logvar = vae_encode(W, meta, io["input"])
    results += [("vae mu", nmse(mu, io["mu"])), ("vae logvar", nmse(logvar, io["logvar"]))]
    lat = (mu - W["latent_mean"][:, None, None, None]) / W["latent_std"][:, None, None, None]
    results.append(("vae latent", nmse(lat, io["latent"])))
    dec = vae_decode(W, meta, io["mu"])
    results += [("vae decoded_raw", nmse(dec, io["decoded_raw"])),
                ("vae decoded", nmse(np.clip(dec, -1, 1), io["decoded"]))]
    imu, _ = vae_encode(W, meta, io["image_input"])
    results.append(("vae image_mu", nmse(imu, io["image_mu"])))

    bad = False
    for name, err in results:
        flag = "ok" if err <= 1e-6 else "MISMATCH"
        bad |= err > 1e-6
        print(f"{name:22s} NMSE {err:.3e} {flag}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
