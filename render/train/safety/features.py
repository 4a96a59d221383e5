"""The safety classifier's features, mirroring app/safety/reel-safety-text.c (tokens) and
app/safety/reel-safety-classifier.c (hashing) for ASCII text. Keep them in step: a change here
without the same change there makes the shipped classifier see different features in Reel
than it was trained on."""

import unicodedata

HASH_SCHEME = "fnv1a32-uni-bi-c34-v2"

LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
        "@": "a", "$": "s"}
JOINERS = set(".*_'`|")
BREAKS = set(",;:.!?\n()")


def _fold(text):
    out = []
    for ch in text:
        if ord(ch) < 0x80:
            out.append(ch.lower())
            continue
        folded = "".join(c for c in unicodedata.normalize("NFKD", ch)
                         if ord(c) < 0x80 and c.isprintable() and not c.isspace())
        out.append(folded.lower() if folded else " ")
    return "".join(out)


def _is_word(c):
    return (c.isascii() and c.isalnum()) or c in "@$"


def _squeeze(s):
    out = []
    for c in s:
        if out and c.isalpha() and out[-1] == c:
            continue
        out.append(c)
    return "".join(out)


def _emit(tokens, raw, clause):
    has_letter = any(c.isalpha() for c in raw)
    n_digits = 0
    while n_digits < len(raw) and raw[n_digits].isdigit():
        n_digits += 1
    if has_letter and n_digits >= 2:
        _emit(tokens, raw[:n_digits], clause)
        _emit(tokens, raw[n_digits:], clause)
        return
    s = []
    for c in raw:
        if has_letter:
            c = LEET.get(c, c)
        elif c in "@$":
            continue
        s.append(c)
    s = _squeeze("".join(s))
    if s:
        tokens.append((s, clause))


def tokenize(text):
    """Returns [(word, clause)] as reel_safety_tokenize() does."""
    chars = _fold(text)
    tokens, word, clause = [], [], 0
    for i in range(len(chars) + 1):
        c = chars[i] if i < len(chars) else " "
        if _is_word(c):
            word.append(c)
            continue
        if word and c in JOINERS and i + 1 < len(chars) and _is_word(chars[i + 1]):
            continue
        if word:
            _emit(tokens, "".join(word), clause)
            word = []
        if c in BREAKS:
            clause += 1
    # Runs of three or more one-letter words are one spaced-out word.
    joined, i = [], 0
    while i < len(tokens):
        j = i
        while (j < len(tokens) and len(tokens[j][0]) == 1 and tokens[j][0].isalpha()
               and tokens[j][1] == tokens[i][1]):
            j += 1
        if j - i >= 4 and tokens[i][0] in ("a", "i"):
            # "a k i l l": the article stays a word of its own.
            joined.append(tokens[i])
            i += 1
        elif j - i >= 3:
            joined.append((_squeeze("".join(t[0] for t in tokens[i:j])), tokens[i][1]))
            i = j
        else:
            joined.append(tokens[i])
            i += 1
    return joined


def fnv1a(s):
    h = 2166136261
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def char_grams(word):
    """The character 3- and 4-grams of "<word>", which let the classifier see "decapitation"
    in "decapitated" and other forms it was not trained on."""
    s = "<" + word + ">"
    return [s[i:i + n] for n in (3, 4) for i in range(len(s) - n + 1)]


def features(text, buckets):
    """The set of active feature indices: every word, every pair of neighbours in one clause,
    and every word's character 3- and 4-grams."""
    toks = tokenize(text)
    active = set()
    for i, (w, clause) in enumerate(toks):
        active.add(fnv1a("u:" + w) % buckets)
        if i + 1 < len(toks) and toks[i + 1][1] == clause:
            active.add(fnv1a("b:" + w + " " + toks[i + 1][0]) % buckets)
        for gram in char_grams(w):
            active.add(fnv1a("c:" + gram) % buckets)
    return sorted(active)
