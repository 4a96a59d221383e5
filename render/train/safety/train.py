#!/usr/bin/python3
"""Trains Reel's safety text classifier and writes it as safetensors.

The model: every word, every pair of neighbouring words and every word's character 3- and
4-grams (after the same normalisation as app/safety/reel-safety-text.c, see features.py)
hashed into BUCKETS binary features, one linear layer to a score per class, softmax. It is trained on train.jsonl only (make_train_set.py),
never on tests/safety/prompts.jsonl, which `reel bench safety` scores as a held-out set.

Plain Python, no NumPy: the data are a couple of thousand short sentences with a few dozen
active features each, so sparse AdaGrad on the softmax cross-entropy takes seconds.

Usage: /usr/bin/python3 train.py [--data train.jsonl]
                                 [--out ../../../data/policies/safety-classifier.safetensors]"""

import argparse
import json
import math
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ["benign", "sexual", "minors_sexual", "self_harm", "violence_gore", "hate_extremism",
           "public_figures", "harassment", "fraud_impersonation"]
BUCKETS = 8192
EPOCHS = 30
LEARNING_RATE = 0.5
L2 = 3e-3
SEED = 8


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            cls = "benign" if row["label"] == "benign" else row["category"]
            rows.append((features.features(row["text"], BUCKETS), CLASSES.index(cls)))
    return rows


def softmax(z):
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return [v / s for v in e]


def train(rows):
    n_classes = len(CLASSES)
    w = [[0.0] * BUCKETS for _ in range(n_classes)]
    b = [0.0] * n_classes
    gw = [[1e-8] * BUCKETS for _ in range(n_classes)]
    gb = [1e-8] * n_classes
    rng = random.Random(SEED)
    for epoch in range(EPOCHS):
        rng.shuffle(rows)
        loss = 0.0
        for feats, y in rows:
            z = [b[c] + sum(w[c][f] for f in feats) for c in range(n_classes)]
            p = softmax(z)
            loss -= math.log(max(p[y], 1e-12))
            for c in range(n_classes):
                g = p[c] - (1.0 if c == y else 0.0)
                gb[c] += g * g
                b[c] -= LEARNING_RATE * g / math.sqrt(gb[c])
                for f in feats:
                    gf = g + L2 * w[c][f]
                    gw[c][f] += gf * gf
                    w[c][f] -= LEARNING_RATE * gf / math.sqrt(gw[c][f])
        if epoch % 10 == 9 or epoch == EPOCHS - 1:
            correct = sum(1 for feats, y in rows
                          if max(range(n_classes),
                                 key=lambda c: b[c] + sum(w[c][f] for f in feats)) == y)
            print("epoch %d: loss %.4f, training accuracy %.3f"
                  % (epoch + 1, loss / len(rows), correct / len(rows)))
    return w, b


def write_safetensors(path, w, b, metadata):
    """weight as F16 (half the size; the reader converts exactly), bias as F32."""
    weight = b"".join(struct.pack("<%de" % BUCKETS, *row) for row in w)
    bias = struct.pack("<%df" % len(b), *b)
    header = {
        "__metadata__": metadata,
        "linear.weight": {"dtype": "F16", "shape": [len(w), BUCKETS],
                          "data_offsets": [0, len(weight)]},
        "linear.bias": {"dtype": "F32", "shape": [len(b)],
                        "data_offsets": [len(weight), len(weight) + len(bias)]},
    }
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(weight)
        f.write(bias)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(HERE, "train.jsonl"))
    parser.add_argument("--out", default=os.path.join(HERE, "..", "..", "..", "data",
                                                      "policies",
                                                      "safety-classifier.safetensors"))
    args = parser.parse_args()

    rows = load(args.data)
    w, b = train(rows)
    write_safetensors(args.out, w, b, {
        "hash_scheme": features.HASH_SCHEME,
        "classes": ",".join(CLASSES),
        "buckets": str(BUCKETS),
        "trained_on": "render/train/safety/train.jsonl (%d sentences)" % len(rows),
    })
    print("wrote", os.path.normpath(args.out))


if __name__ == "__main__":
    main()
