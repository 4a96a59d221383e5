#!/usr/bin/python3
"""Writes reference tensors for the engine's parity tests (CI reads them; it has no PyTorch).

  make_reference.py OUTDIR

For each model (VAE, text encoder, DiT) it builds a tiny configuration of the real structure
with fixed random weights (seed 1234), runs the PyTorch forward on fixed inputs, and writes

  OUTDIR/ref-<model>.safetensors      the weights, with the same names and metadata as export.py
  OUTDIR/ref-<model>-io.safetensors   inputs, outputs and a few intermediate tensors (F32)

The io file's `__metadata__` says what each tensor is.  Running it twice gives identical files.
Weights are random but scaled like trained ones (norm gains and modulations not at identity)
so that every op contributes to the output.
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import procgen  # noqa: E402
from common import write_safetensors  # noqa: E402
from export import dit_meta, text_meta, vae_meta  # noqa: E402
from models.dit import WanModel, sinusoidal_embedding_1d  # noqa: E402
from models.text import T5Encoder, Tokenizer, context_for_dit  # noqa: E402
from models.vae import WanVAE  # noqa: E402

SEED = 1234


def _perturb(model, gen):
    """Moves every parameter away from its initial value (e.g. the DiT's zero output layer)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.add_(torch.randn(p.shape, generator=gen) * (0.1 if p.dim() < 2 else 0.02))


def make_vae(out):
    gen = torch.Generator().manual_seed(SEED)
    torch.manual_seed(SEED)
    vae = WanVAE(dim=4, z_dim=16, dim_mult=[1, 2, 2, 2], num_res_blocks=1,
                 temporal_downsample=[False, True, True]).eval()
    _perturb(vae, gen)
    vae.latent_mean.copy_(torch.randn(16, generator=gen) * 0.1)
    vae.latent_std.copy_(torch.rand(16, generator=gen) + 0.5)
    x = torch.rand(1, 3, 5, 16, 24, generator=gen) * 2 - 1
    image = x[:, :, :1].clone()
    with torch.no_grad():
        mu, logvar = vae.encode(x)
        decoded_raw = vae.decode_raw(mu)
        decoded = vae.decode(mu)
        image_mu, _ = vae.encode(image)
        image_decoded = vae.decode(image_mu)
        latent = vae.normalize(mu)
    write_safetensors(os.path.join(out, "ref-vae.safetensors"), vae.state_dict(),
                      vae_meta(vae, 0, SEED), "F32")
    io = {"input": x[0], "mu": mu[0], "logvar": logvar[0], "latent": latent[0],
          "decoded_raw": decoded_raw[0], "decoded": decoded[0],
          "image_input": image[0], "image_mu": image_mu[0], "image_decoded": image_decoded[0]}
    write_safetensors(os.path.join(out, "ref-vae-io.safetensors"), io, {
        "input": "pixels [3, T=5, H=16, W=24] in [-1, 1]",
        "mu": "encoder mean (after conv1) [16, 2, 2, 3]; logvar likewise",
        "latent": "(mu - latent_mean) / latent_std",
        "decoded_raw": "decoder(conv2(mu)) without clamping [3, 5, 16, 24]",
        "decoded": "decoded_raw clamped to [-1, 1]",
        "image_input": "the first frame alone [3, 1, 16, 24]",
        "image_mu": "its encoding [16, 1, 2, 3]: equals mu[:, :1] (causal)",
        "image_decoded": "decode(image_mu) clamped [3, 1, 16, 24]",
    }, "F32")
    assert torch.allclose(image_mu[0], mu[0, :, :1], atol=1e-5), "VAE is not causal"


def make_text(out):
    gen = torch.Generator().manual_seed(SEED + 1)
    torch.manual_seed(SEED + 1)
    tok = Tokenizer(procgen.caption_vocabulary())
    enc = T5Encoder(tok.vocab_size, dim=32, dim_attn=32, dim_ffn=64, num_heads=2, num_layers=2,
                    num_buckets=32).eval()
    _perturb(enc, gen)
    caption = "a red ball rolls left across a street, camera pans right, night, neon, zqx"
    ids = torch.tensor([tok.encode(caption, 48)])
    empty = torch.tensor([tok.encode("", 48)])
    with torch.no_grad():
        y = enc(ids)
        y_empty = enc(empty)
        hidden = enc.token_embedding(ids)
        first = enc.blocks[0](hidden, None)
    write_safetensors(os.path.join(out, "ref-text.safetensors"), enc.state_dict(),
                      text_meta(enc, tok, 0, SEED, 48), "F32")
    io = {"ids": ids[0].float(), "output": y[0], "block0_output": first[0],
          "empty_ids": empty[0].float(), "empty_output": y_empty[0]}
    write_safetensors(os.path.join(out, "ref-text-io.safetensors"), io, {
        "caption": caption,
        "ids": "token ids of caption (as floats), ending with </s>; 'zqx' is byte-encoded",
        "output": "encoder output [L, 32] after the final norm",
        "block0_output": "hidden state after block 0 [L, 32]",
        "empty_ids": "ids of the empty prompt (just </s>)",
        "empty_output": "its output [1, 32]",
    }, "F32")


def make_dit(out):
    gen = torch.Generator().manual_seed(SEED + 2)
    torch.manual_seed(SEED + 2)
    model = WanModel(in_dim=36, out_dim=16, dim=48, ffn_dim=96, freq_dim=32, text_dim=32,
                     num_heads=2, num_layers=2, patch_size=(1, 2, 2), text_len=8).eval()
    _perturb(model, gen)
    x = torch.randn(1, 36, 2, 4, 6, generator=gen)
    x[:, 16:20] = 0.0
    x[:, 16:20, :1] = 1.0                           # the first-frame mask, as in I2V
    t = torch.tensor([637.5])
    ctx_real = torch.randn(1, 5, 32, generator=gen)
    context = context_for_dit(ctx_real, torch.ones(1, 5, dtype=torch.bool), 8)
    x_t2v = x.clone()
    x_t2v[:, 16:] = 0.0
    with torch.no_grad():
        v = model(x, t, context)
        v_t2v = model(x_t2v, torch.tensor([12.0]), context)
        e = model.time_embedding(sinusoidal_embedding_1d(model.freq_dim, t))
        e0 = model.time_projection(e)
        tokens = model.patch_embedding(x).flatten(2).transpose(1, 2)
        ctx_emb = model.text_embedding(context)
    write_safetensors(os.path.join(out, "ref-dit.safetensors"), model.state_dict(),
                      dit_meta(model, 0, SEED, Tokenizer(procgen.caption_vocabulary()).sha256()),
                      "F32")
    io = {"x": x[0], "t": t, "context": context[0], "velocity": v[0],
          "x_t2v": x_t2v[0], "t_t2v": torch.tensor([12.0]), "velocity_t2v": v_t2v[0],
          "time_embedding": e[0], "time_projection": e0[0], "patch_tokens": tokens[0],
          "context_embedding": ctx_emb[0]}
    write_safetensors(os.path.join(out, "ref-dit-io.safetensors"), io, {
        "x": "DiT input [36, F=2, H=4, W=6]: noisy latent 16, mask 4 (frame 0 = 1), image latent 16",
        "t": "timestep (sigma * 1000)",
        "context": "text context [8, 32]: 5 real tokens then zero rows",
        "velocity": "output [16, 2, 4, 6]",
        "x_t2v": "x with the mask and image channels zeroed (text-only use)",
        "velocity_t2v": "output for x_t2v at t_t2v",
        "time_embedding": "e = time_embedding(sinusoidal(t)) [48]",
        "time_projection": "e0 = time_projection(e) [6*48] (before adding blocks.N.modulation)",
        "patch_tokens": "patch_embedding output as tokens [(F*H/2*W/2)=12, 48], (frame,row,col) order",
        "context_embedding": "text_embedding(context) [8, 48]",
    }, "F32")


def main():
    if len(sys.argv) != 2:
        print(__doc__.split("\n")[2].strip(), file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)          # same summation order on every machine
    make_vae(out)
    make_text(out)
    make_dit(out)
    for f in sorted(os.listdir(out)):
        if f.startswith("ref-"):
            print(f"{os.path.join(out, f)}: {os.path.getsize(os.path.join(out, f))} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
