"""The Wan 2.1 diffusion transformer, at small sizes, with Wan's tensor names.

See /work/shared/wan21-structure.md.  Differences from Wan's I2V model, on purpose: no CLIP
image branch (no `img_emb`, `k_img`, `v_img`): the first frame conditions the model only through
the mask + first-frame-latent channels (in_dim 16 + 4 + 16 = 36), which the engine can compute
with its own VAE encoder.
"""

import math

import torch
import torch.nn as nn


def sinusoidal_embedding_1d(dim, position):
    """Wan's timestep embedding: [cos | sin] of position · 10000^(−i/half), in float64."""
    half = dim // 2
    position = position.to(torch.float64)
    freqs = torch.pow(10000.0, -torch.arange(half, dtype=torch.float64, device=position.device) / half)
    sinusoid = torch.outer(position, freqs)
    return torch.cat([torch.cos(sinusoid), torch.sin(sinusoid)], dim=1).float()


def rope_tables(head_dim, frames, height, width, theta=10000.0, device=None):
    """cos/sin tables [frames·height·width, head_dim/2] for Wan's 3-D RoPE.

    The head's channels split into parts of d − 4⌊d/6⌋, 2⌊d/6⌋, 2⌊d/6⌋ channels driven by the
    frame, row and column index; in a part of p channels, pair i turns by pos · theta^(−2i/p).
    Angles are computed in float64 as Wan does (render/cpu/reel-cpu-ops.h: reel_cpu_rope3d)."""
    d = head_dim
    parts = [d - 4 * (d // 6), 2 * (d // 6), 2 * (d // 6)]
    angles = []
    grids = torch.meshgrid(torch.arange(frames), torch.arange(height), torch.arange(width),
                           indexing="ij")
    for p, g in zip(parts, grids):
        inv = 1.0 / torch.pow(torch.tensor(theta, dtype=torch.float64),
                              torch.arange(0, p, 2, dtype=torch.float64) / p)
        pos = g.reshape(-1).to(torch.float64)
        angles.append(torch.outer(pos, inv))
    ang = torch.cat(angles, dim=1)
    return torch.cos(ang).float().to(device), torch.sin(ang).float().to(device)


def rope_apply(x, cos, sin):
    """x [B, S, heads, d]; pairs (2i, 2i+1) rotated as complex numbers."""
    b, s, n, d = x.shape
    xp = x.reshape(b, s, n, d // 2, 2)
    x0, x1 = xp[..., 0], xp[..., 1]
    c = cos[None, :, None, :]
    si = sin[None, :, None, :]
    y0 = x0 * c - x1 * si
    y1 = x0 * si + x1 * c
    return torch.stack([y0, y1], dim=-1).reshape(b, s, n, d)


class WanRMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(dim=-1, keepdim=True) + self.eps) * self.weight


def attention(q, k, v):
    """q [B, Sq, n, d], k/v [B, Sk, n, d] → [B, Sq, n, d]; softmax(q·kᵀ/√d)·v, no mask."""
    d = q.shape[-1]
    q = q.transpose(1, 2)
    k = k.transpose(1, 2)
    v = v.transpose(1, 2)
    w = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(d)), dim=-1)
    return torch.matmul(w, v).transpose(1, 2)


class WanSelfAttention(nn.Module):
    def __init__(self, dim, num_heads, eps=1e-6):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.o = nn.Linear(dim, dim)
        self.norm_q = WanRMSNorm(dim, eps)
        self.norm_k = WanRMSNorm(dim, eps)

    def forward(self, x, cos, sin):
        b, s, _ = x.shape
        n, d = self.num_heads, self.head_dim
        q = self.norm_q(self.q(x)).view(b, s, n, d)
        k = self.norm_k(self.k(x)).view(b, s, n, d)
        v = self.v(x).view(b, s, n, d)
        out = attention(rope_apply(q, cos, sin), rope_apply(k, cos, sin), v)
        return self.o(out.reshape(b, s, n * d))


class WanCrossAttention(WanSelfAttention):
    def forward(self, x, context):
        b, s, _ = x.shape
        n, d = self.num_heads, self.head_dim
        q = self.norm_q(self.q(x)).view(b, s, n, d)
        k = self.norm_k(self.k(context)).view(b, -1, n, d)
        v = self.v(context).view(b, -1, n, d)
        return self.o(attention(q, k, v).reshape(b, s, n * d))


class WanAttentionBlock(nn.Module):
    def __init__(self, dim, ffn_dim, num_heads, eps=1e-6):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=eps, elementwise_affine=False)
        self.self_attn = WanSelfAttention(dim, num_heads, eps)
        self.norm3 = nn.LayerNorm(dim, eps=eps, elementwise_affine=True)
        self.cross_attn = WanCrossAttention(dim, num_heads, eps)
        self.norm2 = nn.LayerNorm(dim, eps=eps, elementwise_affine=False)
        self.ffn = nn.Sequential(nn.Linear(dim, ffn_dim), nn.GELU(approximate="tanh"),
                                 nn.Linear(ffn_dim, dim))
        self.modulation = nn.Parameter(torch.randn(1, 6, dim) / dim ** 0.5)

    def forward(self, x, e0, cos, sin, context):
        # e0 [B, 6, dim]: shift/scale/gate for attention, then for the FFN
        e = (self.modulation + e0).chunk(6, dim=1)
        y = self.self_attn(self.norm1(x) * (1 + e[1]) + e[0], cos, sin)
        x = x + y * e[2]
        x = x + self.cross_attn(self.norm3(x), context)
        y = self.ffn(self.norm2(x) * (1 + e[4]) + e[3])
        return x + y * e[5]


class Head(nn.Module):
    def __init__(self, dim, out_dim, patch_size, eps=1e-6):
        super().__init__()
        self.norm = nn.LayerNorm(dim, eps=eps, elementwise_affine=False)
        self.head = nn.Linear(dim, out_dim * math.prod(patch_size))
        self.modulation = nn.Parameter(torch.randn(1, 2, dim) / dim ** 0.5)

    def forward(self, x, e):
        # e [B, dim]: shift and scale come from the time embedding itself, not e0
        e = (self.modulation + e.unsqueeze(1)).chunk(2, dim=1)
        return self.head(self.norm(x) * (1 + e[1]) + e[0])


class WanModel(nn.Module):
    def __init__(self, in_dim=36, out_dim=16, dim=192, ffn_dim=768, freq_dim=256, text_dim=128,
                 num_heads=4, num_layers=8, patch_size=(1, 2, 2), text_len=48, eps=1e-6,
                 rope_theta=10000.0):
        super().__init__()
        self.config = dict(in_dim=in_dim, out_dim=out_dim, dim=dim, ffn_dim=ffn_dim,
                           freq_dim=freq_dim, text_dim=text_dim, num_heads=num_heads,
                           num_layers=num_layers, patch_size=list(patch_size),
                           text_len=text_len, eps=eps, rope_theta=rope_theta)
        self.patch_size = tuple(patch_size)
        self.dim = dim
        self.freq_dim = freq_dim
        self.out_dim = out_dim
        self.num_heads = num_heads
        self.text_len = text_len
        self.rope_theta = rope_theta
        self.patch_embedding = nn.Conv3d(in_dim, dim, kernel_size=patch_size, stride=patch_size)
        self.text_embedding = nn.Sequential(nn.Linear(text_dim, dim), nn.GELU(approximate="tanh"),
                                            nn.Linear(dim, dim))
        self.time_embedding = nn.Sequential(nn.Linear(freq_dim, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.time_projection = nn.Sequential(nn.SiLU(), nn.Linear(dim, dim * 6))
        self.blocks = nn.ModuleList([WanAttentionBlock(dim, ffn_dim, num_heads, eps)
                                     for _ in range(num_layers)])
        self.head = Head(dim, out_dim, patch_size, eps)
        self._init_weights()

    def _init_weights(self):
        # as Wan: xavier linears, normal(0.02) embeddings, a zero output layer
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
        nn.init.xavier_uniform_(self.patch_embedding.weight.flatten(1))
        for m in self.text_embedding.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.02)
        for m in self.time_embedding.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.02)
        nn.init.zeros_(self.head.head.weight)

    def forward(self, x, t, context):
        """x [B, in_dim, F, H, W] (noisy latent, then mask and first-frame latent for I2V);
        t [B] timesteps (σ·1000); context [B, text_len, text_dim] (zero-padded).
        Returns the velocity [B, out_dim, F, H, W]."""
        b = x.shape[0]
        pt, ph, pw = self.patch_size
        x = self.patch_embedding(x)
        f, h, w = x.shape[2:]
        x = x.flatten(2).transpose(1, 2)
        cos, sin = rope_tables(self.dim // self.num_heads, f, h, w, self.rope_theta, x.device)
        e = self.time_embedding(sinusoidal_embedding_1d(self.freq_dim, t))
        e0 = self.time_projection(e).unflatten(1, (6, self.dim))
        context = self.text_embedding(context)
        for block in self.blocks:
            x = block(x, e0, cos, sin, context)
        x = self.head(x, e)
        # un-patchify, channel innermost inside each patch (Wan's 'fhwpqrc->cfphqwr')
        c = self.out_dim
        x = x.view(b, f, h, w, pt, ph, pw, c)
        x = x.permute(0, 7, 1, 4, 2, 5, 3, 6)
        return x.reshape(b, c, f * pt, h * ph, w * pw)
