#!/usr/bin/python3
"""Trains Reel's video model in resumable stages.

  train.py vae     --config configs/vae.json    causal 3-D VAE on procedural clips
  train.py latents --config configs/latents.json encode a generated data set with the VAE
  train.py text    --config configs/text.json   T5-style encoder: caption → label prediction
  train.py dit     --config configs/dit.json    Wan DiT, flow matching, I2V + text-only

Every stage keeps its state in $REEL_TRAIN_DIR/<stage>/ (default ~/.cache/reel-train):
last.pt (checkpoint, written atomically every few minutes), log.txt, and done.json once
finished.  Running a stage again resumes from last.pt; a finished stage exits at once.
Data is drawn deterministically from the step number, so a resumed run sees the same stream.
"""

import argparse
import glob
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import procgen  # noqa: E402
from common import (FlopCounter, Log, device, is_done, load_checkpoint, load_config,  # noqa: E402
                    mark_done, save_checkpoint, setup_threads, stage_dir)
from models.dit import WanModel  # noqa: E402
from models.text import T5Encoder, Tokenizer, batch_ids, context_for_dit  # noqa: E402
from models.vae import WanVAE  # noqa: E402

ASPECT_LIST = list(procgen.ASPECTS)


def clip_tensor(frames):
    """uint8 [T, H, W, 3] → float [3, T, H, W] in [−1, 1]."""
    return torch.from_numpy(frames).permute(3, 0, 1, 2).float() / 127.5 - 1.0


def lr_at(step, cfg):
    warm = cfg.get("warmup_steps", 0)
    if warm and step < warm:
        return cfg["lr"] * (step + 1) / warm
    decay_from = cfg.get("decay_from", cfg["steps"])
    if step >= decay_from:
        frac = (step - decay_from) / max(1, cfg["steps"] - decay_from)
        return cfg["lr"] * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(frac, 1.0))))
    return cfg["lr"]


def make_vae(cfg):
    return WanVAE(**cfg["model"])


def make_text(cfg, tokenizer):
    return T5Encoder(tokenizer.vocab_size, **cfg["model"])


def load_vae(dev):
    ck = load_checkpoint("vae")
    if ck is None:
        raise SystemExit("No VAE checkpoint in " + stage_dir("vae") + ": run `train.py vae` first.")
    vae = WanVAE(**ck["config"]["model"])
    vae.load_state_dict(ck["model"])
    stats = os.path.join(stage_dir("latents"), "latent_stats.json")
    if os.path.exists(stats):
        with open(stats) as f:
            s = json.load(f)
        vae.latent_mean.copy_(torch.tensor(s["mean"]))
        vae.latent_std.copy_(torch.tensor(s["std"]))
    return vae.to(dev).eval(), ck


# ---------------------------------------------------------------------------------------
# VAE

def vae_batch(cfg, step):
    """Random crops of procedural clips: [B, 3, T, S, S]; deterministic in step."""
    b = cfg["batch"]
    t_len = cfg["crop_frames"]
    size = cfg["crop_size"]
    out = []
    for i in range(b):
        idx = step * b + i
        frames, _, _ = procgen.make_clip(cfg["data_seed"], idx, "train",
                                         ASPECT_LIST[idx % len(ASPECT_LIST)])
        rng = np.random.default_rng([cfg["data_seed"], idx, 99])
        t0 = int(rng.integers(0, procgen.FRAMES - t_len + 1))
        _, h, w, _ = frames.shape
        y0 = int(rng.integers(0, h - size + 1))
        x0 = int(rng.integers(0, w - size + 1))
        crop = frames[t0:t0 + t_len, y0:y0 + size, x0:x0 + size]
        if rng.random() < 0.5:
            crop = crop[:, :, ::-1]
        out.append(clip_tensor(np.ascontiguousarray(crop)))
    return torch.stack(out)


def psnr(a, b):
    mse = ((a - b) ** 2).mean().item() / 4.0       # [−1, 1] → [0, 1]
    return 10 * math.log10(1.0 / max(mse, 1e-10))


def vae_eval(vae, clips, dev):
    """Mean PSNR of whole held-out clips (one per aspect) through encode → decode."""
    total = 0.0
    with torch.no_grad():
        for c in clips:
            m, _ = vae.encode(c.to(dev))
            total += psnr(vae.decode(m).cpu(), c)
    return total / len(clips)


def run_vae(cfg):
    log = Log("vae")
    if is_done("vae"):
        log("vae: already finished (done.json); nothing to do")
        return
    dev = device()
    torch.manual_seed(cfg["seed"])
    vae = make_vae(cfg).to(dev)
    opt = torch.optim.AdamW(vae.parameters(), lr=cfg["lr"], betas=(0.9, 0.99), weight_decay=0.0)
    step = 0
    ck = load_checkpoint("vae")
    if ck is not None:
        vae.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step = ck["step"]
        log(f"vae: resumed at step {step}")
    else:
        n = sum(p.numel() for p in vae.parameters())
        log(f"vae: new model, {n} parameters, config {json.dumps(cfg['model'])}")
    # a fixed evaluation clip set, never trained on (test split)
    eval_clips = [clip_tensor(procgen.make_clip(cfg["data_seed"], i, "test", a)[0])[None]
                  for i, a in enumerate(ASPECT_LIST)]
    last_ck = time.time()
    t_win, n_win, flops_win = time.time(), 0, 0.0
    loss_acc, rec_acc, acc_n = 0.0, 0.0, 0
    counter = FlopCounter(vae)
    while step < cfg["steps"]:
        for g in opt.param_groups:
            g["lr"] = lr_at(step, cfg)
        x = vae_batch(cfg, step).to(dev)
        torch.manual_seed(cfg["seed"] * 1000003 + step)
        counter.flops = 0
        mu, logvar = vae.encode(x)
        logvar = logvar.clamp(-30.0, 20.0)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        y = vae.decode_raw(z)
        err = (y - x).abs() + cfg.get("mse_weight", 1.0) * (y - x) ** 2
        rec = err.mean()
        # The first frame is encoded alone and is what image-to-video starts from: extra weight
        rec = rec + cfg.get("first_frame_weight", 0.0) * err[:, :, :1].mean()
        kl = 0.5 * (mu ** 2 + logvar.exp() - 1 - logvar).mean()
        loss = rec + cfg["kl_weight"] * kl
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(vae.parameters(), 1.0)
        opt.step()
        step += 1
        flops_win += 3 * counter.flops
        n_win += x.shape[0]
        loss_acc += loss.item()
        rec_acc += rec.item()
        acc_n += 1
        if step % cfg["log_every"] == 0:
            dt = time.time() - t_win
            msg = (f"vae step {step} loss {loss_acc / acc_n:.5f} "
                   f"rec {rec_acc / acc_n:.5f} kl {kl.item():.3f} lr {lr_at(step, cfg):.2e} "
                   f"{n_win / dt:.2f} samples/s {flops_win / dt / 1e9:.1f} GFLOP/s")
            if step % (cfg["log_every"] * 10) == 0:
                msg += f" eval-psnr {vae_eval(vae, eval_clips, dev):.2f} dB"
            log(msg)
            t_win, n_win, flops_win, loss_acc, rec_acc, acc_n = time.time(), 0, 0.0, 0.0, 0.0, 0
        if time.time() - last_ck > cfg["checkpoint_minutes"] * 60 or step == cfg["steps"]:
            save_checkpoint("vae", {"model": vae.state_dict(), "opt": opt.state_dict(),
                                    "step": step, "config": cfg})
            last_ck = time.time()
    counter.close()
    p = vae_eval(vae, eval_clips, dev)
    log(f"vae: finished {step} steps, eval PSNR {p:.2f} dB")
    mark_done("vae", {"steps": step, "eval_psnr_db": p})


# ---------------------------------------------------------------------------------------
# Latent precompute

def run_latents(cfg):
    log = Log("latents")
    if is_done("latents"):
        log("latents: already finished; nothing to do")
        return
    dev = device()
    vae, vck = load_vae(dev)
    d = stage_dir("latents")
    n_shards = cfg["count"] // cfg["shard_size"]
    t_start = time.time()
    done_clips = 0
    for s in range(n_shards):
        path = os.path.join(d, f"shard-{s:05d}.pt")
        if os.path.exists(path):
            continue
        groups = {a: {"lat": [], "captions": [], "labels": []} for a in ASPECT_LIST}
        idxs = list(range(s * cfg["shard_size"], (s + 1) * cfg["shard_size"]))
        for a_i, a in enumerate(ASPECT_LIST):
            mine = [i for i in idxs if i % len(ASPECT_LIST) == a_i]
            for j in range(0, len(mine), cfg["batch"]):
                clips, caps, labs = [], [], []
                for i in mine[j:j + cfg["batch"]]:
                    frames, cap, lab = procgen.make_clip(cfg["data_seed"], i, "train", a)
                    clips.append(clip_tensor(frames))
                    caps.append(cap)
                    labs.append(lab)
                with torch.no_grad():
                    mu, _ = vae.encode(torch.stack(clips).to(dev))
                groups[a]["lat"].append(mu.cpu().half())
                groups[a]["captions"] += caps
                groups[a]["labels"] += labs
                done_clips += len(clips)
        shard = {a: {"lat": torch.cat(g["lat"]), "captions": g["captions"], "labels": g["labels"]}
                 for a, g in groups.items()}
        torch.save(shard, path + ".tmp")
        os.replace(path + ".tmp", path)
        rate = done_clips / (time.time() - t_start)
        log(f"latents: shard {s + 1}/{n_shards} written ({rate:.2f} clips/s)")
        stats = os.path.join(d, "latent_stats.json")
        if not os.path.exists(stats):
            allz = torch.cat([g["lat"].float().transpose(0, 1).reshape(vae.z_dim, -1)
                              for g in shard.values()], dim=1)
            st = {"mean": allz.mean(1).tolist(), "std": allz.std(1).tolist(),
                  "from_shard": s, "vae_step": vck["step"]}
            with open(stats, "w") as f:
                json.dump(st, f, indent=1)
            log("latents: per-channel mean " + " ".join(f"{v:.3f}" for v in st["mean"]))
            log("latents: per-channel std  " + " ".join(f"{v:.3f}" for v in st["std"]))
    mark_done("latents", {"count": n_shards * cfg["shard_size"], "vae_step": vck["step"]})
    log("latents: finished")


# ---------------------------------------------------------------------------------------
# Text encoder

LABEL_FIELDS = {
    "colour": list(procgen.COLOURS), "shape": procgen.SHAPE_NAMES, "motion": procgen.MOTIONS,
    "camera": procgen.CAMERAS, "background": procgen.BACKGROUNDS, "lighting": procgen.LIGHTINGS,
    "style": procgen.STYLES, "weather": procgen.WEATHERS, "size": list(procgen.SIZES),
    "speed_word": ["slow", "normal", "fast"], "count": [1, 2, 3],
}


def make_tokenizer():
    return Tokenizer(procgen.caption_vocabulary())


def noisy_caption(rng, caption):
    """Inserts made-up words (they become byte tokens) so the encoder learns to look past
    words it does not know, as the storyboards' prompts have many."""
    words = caption.split(" ")
    for _ in range(int(rng.integers(0, 4))):
        n = int(rng.integers(2, 9))
        fake = "".join(chr(97 + int(c)) for c in rng.integers(0, 26, n))
        words.insert(int(rng.integers(0, len(words) + 1)), fake)
    return " ".join(words)


class TextHeads(torch.nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.heads = torch.nn.ModuleDict({k: torch.nn.Linear(dim, len(v)) for k, v in LABEL_FIELDS.items()})

    def forward(self, pooled):
        return {k: h(pooled) for k, h in self.heads.items()}


def run_text(cfg):
    log = Log("text")
    if is_done("text"):
        log("text: already finished; nothing to do")
        return
    dev = device()
    torch.manual_seed(cfg["seed"])
    tok = make_tokenizer()
    enc = make_text(cfg, tok).to(dev)
    heads = TextHeads(cfg["model"]["dim"]).to(dev)
    params = list(enc.parameters()) + list(heads.parameters())
    opt = torch.optim.AdamW(params, lr=cfg["lr"], weight_decay=0.01)
    step = 0
    ck = load_checkpoint("text")
    if ck is not None:
        enc.load_state_dict(ck["model"])
        heads.load_state_dict(ck["heads"])
        opt.load_state_dict(ck["opt"])
        step = ck["step"]
        log(f"text: resumed at step {step}")
    else:
        log(f"text: new encoder, {sum(p.numel() for p in enc.parameters())} parameters, "
            f"vocabulary {tok.vocab_size} ({len(tok.words)} words), sha256 {tok.sha256()[:16]}")
    last_ck = time.time()
    t0 = time.time()
    acc_loss, acc_n = 0.0, 0
    while step < cfg["steps"]:
        for g in opt.param_groups:
            g["lr"] = lr_at(step, cfg)
        rng = np.random.default_rng([cfg["data_seed"], step])
        caps, labels = [], []
        for _ in range(cfg["batch"]):
            lab = procgen.sample_label(rng, "train")
            cap = procgen.make_caption(rng, lab)
            if rng.random() < cfg["noise_prob"]:
                cap = noisy_caption(rng, cap)
            caps.append(cap)
            labels.append(lab)
        ids, mask = batch_ids(tok, caps, cfg["max_len"])
        ids, mask = ids.to(dev), mask.to(dev)
        out = enc(ids, mask)
        pooled = (out * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        logits = heads(pooled)
        loss = 0.0
        correct = {}
        for k, lg in logits.items():
            target = torch.tensor([LABEL_FIELDS[k].index(l[k]) for l in labels], device=dev)
            loss = loss + F.cross_entropy(lg, target)
            correct[k] = (lg.argmax(1) == target).float().mean().item()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        acc_loss += loss.item()
        acc_n += 1
        if step % cfg["log_every"] == 0:
            dt = time.time() - t0
            accs = " ".join(f"{k[:4]} {v:.2f}" for k, v in correct.items())
            log(f"text step {step} loss {acc_loss / acc_n:.4f} acc [{accs}] "
                f"{cfg['log_every'] * cfg['batch'] / dt:.0f} captions/s")
            t0, acc_loss, acc_n = time.time(), 0.0, 0
        if time.time() - last_ck > cfg["checkpoint_minutes"] * 60 or step == cfg["steps"]:
            save_checkpoint("text", {"model": enc.state_dict(), "heads": heads.state_dict(),
                                     "opt": opt.state_dict(), "step": step, "config": cfg,
                                     "words": tok.words})
            last_ck = time.time()
    mark_done("text", {"steps": step})
    log("text: finished")


def load_text(dev):
    ck = load_checkpoint("text")
    if ck is None:
        raise SystemExit("No text-encoder checkpoint in " + stage_dir("text") + ": run `train.py text` first.")
    tok = Tokenizer(ck["words"])
    enc = T5Encoder(tok.vocab_size, **ck["config"]["model"])
    enc.load_state_dict(ck["model"])
    return enc.to(dev).eval(), tok, ck


# ---------------------------------------------------------------------------------------
# DiT

def shift_sigma(u, shift):
    return shift * u / (1 + (shift - 1) * u)


def load_latent_shards(log):
    files = sorted(glob.glob(os.path.join(stage_dir("latents"), "shard-*.pt")))
    if not files:
        raise SystemExit("No latent shards in " + stage_dir("latents") + ": run `train.py latents` first.")
    pools = {a: {"lat": [], "captions": []} for a in ASPECT_LIST}
    for fpath in files:
        sh = torch.load(fpath)
        for a, g in sh.items():
            pools[a]["lat"].append(g["lat"])
            pools[a]["captions"] += g["captions"]
    for a in ASPECT_LIST:
        pools[a]["lat"] = torch.cat(pools[a]["lat"])
    log(f"dit: {len(files)} latent shards, " + ", ".join(
        f"{a}: {pools[a]['lat'].shape[0]}" for a in ASPECT_LIST))
    return pools


def dit_flops(model, x, t, ctx):
    """Forward FLOPs: linear/conv layers by hook, attention products by formula."""
    counter = FlopCounter(model)
    with torch.no_grad():
        model(x[:1], t[:1], ctx[:1])
    counter.close()
    b, c, f, h, w = x.shape
    s = f * (h // 2) * (w // 2)
    dim = model.dim
    layers = len(model.blocks)
    attn = layers * (4 * s * s * dim + 4 * s * ctx.shape[1] * dim)
    return counter.flops + attn


def run_dit(cfg):
    log = Log("dit")
    if is_done("dit"):
        log("dit: already finished; nothing to do")
        return
    dev = device()
    torch.manual_seed(cfg["seed"])
    vae, vck = load_vae(dev)
    mean = vae.latent_mean.view(1, -1, 1, 1, 1).cpu()
    std = vae.latent_std.view(1, -1, 1, 1, 1).cpu()
    del vae
    text, tok, tck = load_text(dev)
    for p in text.parameters():
        p.requires_grad_(False)
    model = WanModel(text_dim=tck["config"]["model"]["dim"], **cfg["model"]).to(dev)
    ema = WanModel(text_dim=tck["config"]["model"]["dim"], **cfg["model"]).to(dev)
    ema.load_state_dict(model.state_dict())
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], betas=(0.9, 0.99),
                            weight_decay=cfg.get("weight_decay", 0.0))
    step = 0
    ck = load_checkpoint("dit")
    if ck is not None:
        model.load_state_dict(ck["model"])
        ema.load_state_dict(ck["ema"])
        opt.load_state_dict(ck["opt"])
        step = ck["step"]
        log(f"dit: resumed at step {step}")
    else:
        log(f"dit: new model, {sum(p.numel() for p in model.parameters())} parameters, "
            f"config {json.dumps(cfg['model'])}")
    pools = load_latent_shards(log)
    text_len = cfg["model"]["text_len"]
    in_dim = cfg["model"]["in_dim"]
    flops_per = {}
    last_ck = time.time()
    t_win, n_win, fl_win = time.time(), 0, 0.0
    acc, acc_n = 0.0, 0
    b = cfg["batch"]
    while step < cfg["steps"]:
        for g in opt.param_groups:
            g["lr"] = lr_at(step, cfg)
        rng = np.random.default_rng([cfg["data_seed"], step])
        a = ASPECT_LIST[step % len(ASPECT_LIST)]
        pool = pools[a]
        idx = rng.integers(0, pool["lat"].shape[0], b)
        x0 = (pool["lat"][idx].float() - mean) / std
        caps = [pool["captions"][i] if rng.random() >= cfg["caption_dropout"] else "" for i in idx]
        with torch.no_grad():
            ids, mask = batch_ids(tok, caps, text_len)
            ctx = context_for_dit(text(ids.to(dev), mask.to(dev)), mask.to(dev), text_len)
        x0 = x0.to(dev)
        bsz, c, f, h, w = x0.shape
        gen = torch.Generator().manual_seed(cfg["seed"] * 7919 + step)
        u = torch.rand(bsz, generator=gen)
        sigma = shift_sigma(u, cfg["train_shift"]).to(dev)
        noise = torch.randn(x0.shape, generator=gen).to(dev)
        s5 = sigma.view(-1, 1, 1, 1, 1)
        xt = (1 - s5) * x0 + s5 * noise
        if in_dim > c:
            use_img = (torch.rand(bsz, generator=gen) < cfg["i2v_prob"]).to(dev).float().view(-1, 1, 1, 1, 1)
            msk = torch.zeros(bsz, 4, f, h, w, device=dev)
            msk[:, :, :1] = 1.0
            y = torch.zeros_like(x0)
            y[:, :, :1] = x0[:, :, :1]
            xin = torch.cat([xt, msk * use_img, y * use_img], dim=1)
        else:
            xin = xt
        if a not in flops_per:
            flops_per[a] = dit_flops(model, xin, sigma * 1000, ctx)
            log(f"dit: {a} latent {f}×{h}×{w}: {flops_per[a] / 1e9:.2f} GFLOP per forward")
        pred = model(xin, sigma * 1000, ctx)
        loss = F.mse_loss(pred, noise - x0)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            decay = min(cfg["ema"], (1 + step) / (10 + step))
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)
        step += 1
        acc += loss.item()
        acc_n += 1
        n_win += bsz
        fl_win += 3 * flops_per[a] * bsz
        if step % cfg["log_every"] == 0:
            dt = time.time() - t_win
            log(f"dit step {step} loss {acc / acc_n:.5f} lr {lr_at(step, cfg):.2e} "
                f"{n_win / dt:.2f} samples/s {fl_win / dt / 1e9:.1f} GFLOP/s")
            t_win, n_win, fl_win, acc, acc_n = time.time(), 0, 0.0, 0.0, 0
        if time.time() - last_ck > cfg["checkpoint_minutes"] * 60 or step == cfg["steps"]:
            save_checkpoint("dit", {"model": model.state_dict(), "ema": ema.state_dict(),
                                    "opt": opt.state_dict(), "step": step, "config": cfg,
                                    "text_dim": tck["config"]["model"]["dim"],
                                    "vae_step": vck["step"], "text_step": tck["step"]})
            last_ck = time.time()
    mark_done("dit", {"steps": step})
    log("dit: finished")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    p.add_argument("stage", choices=["vae", "latents", "text", "dit"])
    p.add_argument("--config", help="JSON config (default: configs/<stage>.json next to this script)")
    a = p.parse_args()
    cfg_path = a.config or os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs",
                                        a.stage + ".json")
    cfg = load_config(cfg_path)
    setup_threads()
    {"vae": run_vae, "latents": run_latents, "text": run_text, "dit": run_dit}[a.stage](cfg)


if __name__ == "__main__":
    main()
