"""A small T5-style text encoder (Wan's umT5 structure and tensor names) and its tokenizer.

Tokenizer ("reel-word-v1"): lower-case the text, split it into runs of [a-z0-9] and single
other non-space characters; each piece that is in the word vocabulary becomes its id, any other
piece becomes the ids of its UTF-8 bytes (<0xNN> tokens); then </s>.  Ids: 0 <pad>, 1 </s>,
2 <unk> (unused, kept for T5 compatibility), 3…258 the bytes 0x00…0xFF, then the words in
sorted order.  The word list is saved in the export's metadata (`tokenizer.words`, one per
line), with its sha256 (`tokenizer.sha256`).

Encoder (as Wan's T5Encoder with shared_pos=False): token embedding; per block
  x += o(attn(norm1(x)))   attention without 1/√d scaling, plus a per-block learnt relative
                           position bias (T5 bidirectional buckets, see relative_buckets);
  x += fc2(gelu_tanh(gate(norm2(x))) · fc1(norm2(x)))
and a final RMS norm (`norm`).  Norms are RMS norms with weight, eps 1e-6.  Padding is masked
in training; the engine runs one prompt at its real length, which gives the same result.
"""

import hashlib
import math
import re

import torch
import torch.nn as nn

PAD, EOS, UNK = 0, 1, 2
BYTE0 = 3
N_SPECIAL = 3 + 256

_PIECE_RE = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")


class Tokenizer:
    def __init__(self, words):
        self.words = list(words)
        self.index = {w: N_SPECIAL + i for i, w in enumerate(self.words)}

    @property
    def vocab_size(self):
        return N_SPECIAL + len(self.words)

    def words_text(self):
        return "\n".join(self.words)

    def sha256(self):
        return hashlib.sha256(self.words_text().encode("utf-8")).hexdigest()

    def pieces(self, text):
        return _PIECE_RE.findall(text.lower())

    def encode(self, text, max_len):
        ids = []
        for p in self.pieces(text):
            if p in self.index:
                ids.append(self.index[p])
            else:
                ids.extend(BYTE0 + b for b in p.encode("utf-8"))
        ids = ids[:max_len - 1] + [EOS]
        return ids


def relative_buckets(lq, lk, num_buckets, max_dist=128):
    """T5's bidirectional relative position buckets [lq, lk] (Wan's T5RelativeEmbedding)."""
    rel = torch.arange(lk).unsqueeze(0) - torch.arange(lq).unsqueeze(1)
    nb = num_buckets // 2
    buckets = (rel > 0).long() * nb
    rel = torch.abs(rel)
    max_exact = nb // 2
    large = max_exact + (torch.log(rel.float() / max_exact) / math.log(max_dist / max_exact)
                         * (nb - max_exact)).long()
    large = torch.min(large, torch.full_like(large, nb - 1))
    return buckets + torch.where(rel < max_exact, rel, large)


class T5LayerNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(dim=-1, keepdim=True) + self.eps) * self.weight


class T5Attention(nn.Module):
    def __init__(self, dim, dim_attn, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim_attn // num_heads
        self.q = nn.Linear(dim, dim_attn, bias=False)
        self.k = nn.Linear(dim, dim_attn, bias=False)
        self.v = nn.Linear(dim, dim_attn, bias=False)
        self.o = nn.Linear(dim_attn, dim, bias=False)

    def forward(self, x, mask, pos_bias):
        b, s, _ = x.shape
        n, d = self.num_heads, self.head_dim
        q = self.q(x).view(b, s, n, d).transpose(1, 2)
        k = self.k(x).view(b, s, n, d).transpose(1, 2)
        v = self.v(x).view(b, s, n, d).transpose(1, 2)
        logits = torch.matmul(q, k.transpose(-1, -2)) + pos_bias        # no 1/√d in T5
        if mask is not None:
            logits = logits.masked_fill(~mask[:, None, None, :], float("-inf"))
        w = torch.softmax(logits, dim=-1)
        return self.o(torch.matmul(w, v).transpose(1, 2).reshape(b, s, n * d))


class T5FeedForward(nn.Module):
    def __init__(self, dim, dim_ffn):
        super().__init__()
        self.gate = nn.Sequential(nn.Linear(dim, dim_ffn, bias=False), nn.GELU(approximate="tanh"))
        self.fc1 = nn.Linear(dim, dim_ffn, bias=False)
        self.fc2 = nn.Linear(dim_ffn, dim, bias=False)

    def forward(self, x):
        return self.fc2(self.fc1(x) * self.gate(x))


class T5RelativeEmbedding(nn.Module):
    def __init__(self, num_buckets, num_heads, max_dist=128):
        super().__init__()
        self.num_buckets = num_buckets
        self.max_dist = max_dist
        self.embedding = nn.Embedding(num_buckets, num_heads)

    def forward(self, lq, lk):
        idx = relative_buckets(lq, lk, self.num_buckets, self.max_dist).to(self.embedding.weight.device)
        return self.embedding(idx).permute(2, 0, 1).unsqueeze(0)      # [1, heads, lq, lk]


class T5SelfAttention(nn.Module):
    def __init__(self, dim, dim_attn, dim_ffn, num_heads, num_buckets, eps=1e-6):
        super().__init__()
        self.norm1 = T5LayerNorm(dim, eps)
        self.attn = T5Attention(dim, dim_attn, num_heads)
        self.norm2 = T5LayerNorm(dim, eps)
        self.ffn = T5FeedForward(dim, dim_ffn)
        self.pos_embedding = T5RelativeEmbedding(num_buckets, num_heads)

    def forward(self, x, mask):
        s = x.shape[1]
        x = x + self.attn(self.norm1(x), mask, self.pos_embedding(s, s))
        return x + self.ffn(self.norm2(x))


class T5Encoder(nn.Module):
    def __init__(self, vocab_size, dim=128, dim_attn=128, dim_ffn=256, num_heads=4,
                 num_layers=4, num_buckets=32, eps=1e-6):
        super().__init__()
        self.config = dict(vocab_size=vocab_size, dim=dim, dim_attn=dim_attn, dim_ffn=dim_ffn,
                           num_heads=num_heads, num_layers=num_layers, num_buckets=num_buckets,
                           eps=eps)
        self.token_embedding = nn.Embedding(vocab_size, dim)
        self.blocks = nn.ModuleList([T5SelfAttention(dim, dim_attn, dim_ffn, num_heads,
                                                     num_buckets, eps)
                                     for _ in range(num_layers)])
        self.norm = T5LayerNorm(dim, eps)
        nn.init.normal_(self.token_embedding.weight, std=1.0)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=m.in_features ** -0.5)
            if isinstance(m, nn.Embedding) and m is not self.token_embedding:
                nn.init.normal_(m.weight, std=0.1)

    def forward(self, ids, mask=None):
        """ids [B, L] (PAD after the real tokens), mask [B, L] bool → [B, L, dim]."""
        x = self.token_embedding(ids)
        for block in self.blocks:
            x = block(x, mask)
        return self.norm(x)


def batch_ids(tokenizer, texts, max_len):
    """Pads token lists to the longest one: ids [B, L] and mask [B, L]."""
    seqs = [tokenizer.encode(t, max_len) for t in texts]
    length = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), length), PAD, dtype=torch.long)
    mask = torch.zeros((len(seqs), length), dtype=torch.bool)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
        mask[i, :len(s)] = True
    return ids, mask


def context_for_dit(encoder_out, mask, text_len):
    """Wan's context: each prompt's output cut to its real tokens, zero-padded to text_len."""
    b, length, dim = encoder_out.shape
    out = encoder_out.new_zeros(b, text_len, dim)
    n = min(length, text_len)
    out[:, :n] = encoder_out[:, :n] * mask[:, :n, None].to(encoder_out.dtype)
    return out
