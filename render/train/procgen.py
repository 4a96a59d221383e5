#!/usr/bin/python3
"""Procedural generator of captioned video clips for training Reel's video model.

Every clip is one object of a named kind, colour and size moving in a named way over a
textured background, filmed by a camera that performs one of the project's camera moves
(app/reel-enums.h: static, pan-left … handheld) as real global motion of the rendered scene,
then lit and styled (day, night, sunset; noir, neon, watercolour; rain, fog).  Each clip comes
with a caption drawn from a grammar with synonyms (so the text encoder sees varied wording) and
a structured label (colour, shape, motion, camera, … plus the object's pixel track) that
ProcBench scores against.

Conventions that ProcBench and the scene plan rely on:
  * Image x grows to the right, y grows downwards.  "pan-right" turns the camera to the right,
    so the scene content moves LEFT in the frame; "tilt-up" moves content DOWN; "zoom-in" and
    "dolly-in" magnify (dolly with parallax: the object grows faster than the background);
    "orbit-left" keeps the object centred while the background slides LEFT behind it
    (the camera circles to its left around the object); "handheld" is a smooth random shake.
  * Object motions are in the world: "left" means the object moves left relative to the
    background.  The label's `track` gives the object's centre in pixels per frame, as seen.
  * Held-out split: a clip whose (colour, shape, motion, camera) combination hashes into the
    test bucket (sha256 of "colour|shape|motion|camera", first 8 bytes mod 1000 < 50) is never
    generated for training; `split="test"` draws only such combinations.

Clips are 17 frames (1 + 4k, so the causal VAE's 4× temporal compression fits) at 8 fps, at the
model's pixel sizes: 16:9 → 160×96, 9:16 → 96×160, 1:1 → 128×128.  Rendering is vectorised
numpy over the whole clip; the same (seed, index, split) always gives the same clip.

Run `procgen.py --help` for a command line that writes sample clips and measures speed.
"""

import hashlib
import json
import math
import re
import sys

import numpy as np

FRAMES = 17
FPS = 8
ASPECTS = {"16:9": (160, 96), "9:16": (96, 160), "1:1": (128, 128)}

COLOURS = {
    "red": (0.86, 0.09, 0.09),
    "orange": (1.00, 0.50, 0.05),
    "yellow": (0.96, 0.86, 0.10),
    "green": (0.13, 0.66, 0.20),
    "blue": (0.10, 0.26, 0.90),
    "purple": (0.50, 0.15, 0.72),
    "pink": (1.00, 0.47, 0.72),
    "white": (0.96, 0.96, 0.96),
    "black": (0.05, 0.05, 0.05),
    "grey": (0.50, 0.50, 0.50),
    "brown": (0.46, 0.27, 0.10),
    "cyan": (0.10, 0.86, 0.92),
    "magenta": (0.90, 0.10, 0.80),
}
COLOUR_WORDS = {"grey": ["grey", "gray"], "cyan": ["cyan", "turquoise"],
                "purple": ["purple", "violet"]}

# shape → caption nouns (first is canonical) and its verb family
SHAPES = {
    "ball": (["ball", "sphere"], "roll"),
    "cube": (["cube", "block"], "slide"),
    "box": (["box", "crate"], "slide"),
    "star": (["star"], "float"),
    "triangle": (["triangle"], "slide"),
    "ring": (["ring", "hoop"], "roll"),
    "car": (["car"], "drive"),
    "bird": (["bird"], "fly"),
    "leaf": (["leaf"], "float"),
    "bottle": (["bottle"], "slide"),
    "person": (["person", "man", "woman", "figure"], "walk"),
    "cylinder": (["cylinder", "can"], "slide"),
    "arrow": (["arrow", "sign shaped like an arrow"], "slide"),
    "heart": (["heart"], "float"),
    "diamond": (["diamond"], "float"),
    "square": (["square", "tile"], "slide"),
    "circle": (["circle", "disc"], "roll"),
    "sun": (["sun"], "float"),
    "droplet": (["droplet", "drop"], "float"),
    "tree": (["tree"], "slide"),
    "fish": (["fish"], "swim"),
    "house": (["house"], "slide"),
}
SHAPE_NAMES = list(SHAPES)

MOTIONS = ["left", "right", "up", "down", "towards", "away", "bounce", "spin", "still"]
CAMERAS = ["static", "pan-left", "pan-right", "tilt-up", "tilt-down", "dolly-in", "dolly-out",
           "zoom-in", "zoom-out", "orbit-left", "orbit-right", "handheld"]
SIZES = {"small": 0.11, "medium": 0.17, "large": 0.25}   # object radius in frame heights
BACKGROUNDS = ["sky", "street", "wall", "field", "room", "ocean", "gradient", "studio",
               "forest", "desert", "snow", "space", "garden", "alley"]
LIGHTINGS = ["day", "night", "sunset"]
STYLES = ["plain", "noir", "neon", "watercolour"]
WEATHERS = ["clear", "rain", "fog"]

HELDOUT_PER_MILLE = 50


def combo_key(colour, shape, motion, camera):
    return f"{colour}|{shape}|{motion}|{camera}"


def is_heldout(colour, shape, motion, camera):
    digest = hashlib.sha256(combo_key(colour, shape, motion, camera).encode()).digest()
    return int.from_bytes(digest[:8], "little") % 1000 < HELDOUT_PER_MILLE


def heldout_combos():
    """All held-out (colour, shape, motion, camera) tuples, in a fixed order."""
    out = []
    for c in COLOURS:
        for s in SHAPE_NAMES:
            for m in MOTIONS:
                for k in CAMERAS:
                    if is_heldout(c, s, m, k):
                        out.append((c, s, m, k))
    return out


_HELDOUT = None


def _heldout_list():
    global _HELDOUT
    if _HELDOUT is None:
        _HELDOUT = heldout_combos()
    return _HELDOUT


# ---------------------------------------------------------------------------------------
# Captions

MOTION_PHRASES = {
    "left": {"roll": ["rolls left", "rolls to the left"], "fly": ["flies left", "flies to the left"],
             "walk": ["walks left", "walks to the left"], "drive": ["drives left", "drives to the left"],
             "swim": ["swims left"], "float": ["drifts left", "floats to the left"],
             "slide": ["slides left", "slides to the left"],
             "*": ["moves left", "moves from right to left", "travels left"]},
    "right": {"roll": ["rolls right", "rolls to the right"], "fly": ["flies right", "flies to the right"],
              "walk": ["walks right", "walks to the right"], "drive": ["drives right", "drives to the right"],
              "swim": ["swims right"], "float": ["drifts right", "floats to the right"],
              "slide": ["slides right", "slides to the right"],
              "*": ["moves right", "moves from left to right", "travels right"]},
    "up": {"fly": ["flies up", "flies upward"], "float": ["floats upward", "rises"],
           "*": ["moves up", "rises", "moves upward", "moves from bottom to top"]},
    "down": {"fly": ["flies down", "swoops down"], "float": ["sinks", "drifts down"],
             "*": ["moves down", "falls", "drops", "moves from top to bottom"]},
    "towards": {"walk": ["walks towards the camera"], "drive": ["drives towards the camera"],
                "*": ["moves towards the camera", "comes closer", "approaches the camera"]},
    "away": {"walk": ["walks away from the camera"], "drive": ["drives away"],
             "*": ["moves away from the camera", "recedes into the distance", "moves away"]},
    "bounce": {"*": ["bounces", "bounces up and down", "hops"]},
    "spin": {"*": ["spins", "rotates", "spins in place", "turns around"]},
    "still": {"walk": ["stands still"], "*": ["stays still", "rests in the centre", "sits still",
                                               "floats in the centre", "does not move"]},
}

BACKGROUND_PHRASES = {
    "sky": ["in a blue sky", "against the sky", "with a sky background", "in a pale blue sky background"],
    "street": ["on a street", "across a city street", "on a wet street", "with a street background"],
    "wall": ["in front of a brick wall", "against a wall", "with a brick wall background"],
    "field": ["in a green field", "on the grass", "in a field"],
    "room": ["in a room", "in a living room", "inside a room", "with a room background"],
    "ocean": ["over the ocean", "above the sea", "with an ocean background"],
    "gradient": ["on a gradient background", "in front of a gradient"],
    "studio": ["in a dark studio", "on a studio background", "in a studio"],
    "forest": ["in a forest", "among trees", "with a forest background"],
    "desert": ["in a desert", "over sand dunes", "with a desert background"],
    "snow": ["in the snow", "on a snowy field", "with a snow background"],
    "space": ["in space", "among the stars", "with a starry space background"],
    "garden": ["in a garden", "in a sunny garden", "with a garden background"],
    "alley": ["in a narrow alley", "down an alley", "with an alley background"],
}

CAMERA_PHRASES = {
    "static": ["static camera", "the camera is still", "locked-off shot", "camera static"],
    "pan-left": ["camera pans left", "the camera pans to the left", "pan left", "camera pan-left"],
    "pan-right": ["camera pans right", "the camera pans to the right", "pan right", "camera pan-right"],
    "tilt-up": ["camera tilts up", "the camera tilts upward", "tilt up", "camera tilt-up"],
    "tilt-down": ["camera tilts down", "the camera tilts downward", "tilt down", "camera tilt-down"],
    "dolly-in": ["camera dollies in", "the camera moves in", "dolly in", "camera dolly-in"],
    "dolly-out": ["camera dollies out", "the camera moves back", "dolly out", "camera dolly-out"],
    "zoom-in": ["camera zooms in", "zoom in", "slow zoom in", "camera zoom-in"],
    "zoom-out": ["camera zooms out", "zoom out", "slow zoom out", "camera zoom-out"],
    "orbit-left": ["camera orbits left", "the camera orbits to the left around it", "orbit left",
                   "camera orbit-left"],
    "orbit-right": ["camera orbits right", "the camera orbits to the right around it",
                    "orbit right", "camera orbit-right"],
    "handheld": ["handheld camera", "shaky handheld shot", "handheld", "camera handheld"],
}

LIGHTING_PHRASES = {
    "day": ["day", "daylight", "bright daylight", "sunny day", "soft morning daylight"],
    "night": ["night", "at night", "moonlight", "dark night"],
    "sunset": ["sunset", "golden hour", "warm sunset light"],
}
STYLE_PHRASES = {
    "plain": [""],
    "noir": ["noir", "film noir", "black and white noir"],
    "neon": ["neon", "neon glow", "neon lights"],
    "watercolour": ["watercolour", "watercolor", "watercolour painting", "gentle paper texture"],
}
WEATHER_PHRASES = {"clear": [""], "rain": ["rain", "heavy rain", "rain falls"],
                   "fog": ["fog", "misty", "foggy"]}
SIZE_WORDS = {"small": ["small", "tiny", "little"], "medium": ["", "medium"],
              "large": ["large", "big", "huge"]}
SPEED_WORDS = {"slow": ["slowly", "gently"], "normal": [""], "fast": ["quickly", "fast"]}


def _pick(rng, options):
    return options[int(rng.integers(len(options)))]


NUMBER_WORDS = {2: ["two", "a pair of"], 3: ["three"]}
_IRREGULAR = {"box": "boxes", "person": "people", "man": "men", "woman": "women",
              "leaf": "leaves", "fish": "fish", "sign shaped like an arrow": "signs shaped like arrows"}


def plural_noun(noun):
    return _IRREGULAR.get(noun, noun + "s")


def plural_verb(phrase):
    """'rolls left' → 'roll left' (the first word is the verb)."""
    head, _, rest = phrase.partition(" ")
    if head == "flies":
        head = "fly"
    elif head == "does":
        head = "do"
    elif head.endswith(("ches", "shes", "sses", "xes")):
        head = head[:-2]
    elif head.endswith("s"):
        head = head[:-1]
    return (head + " " + rest).strip()


def make_caption(rng, label):
    """A caption for the label, from the grammar; wording varies with rng."""
    nouns, family = SHAPES[label["shape"]]
    noun = _pick(rng, nouns)
    colour = _pick(rng, COLOUR_WORDS.get(label["colour"], [label["colour"]]))
    size = _pick(rng, SIZE_WORDS[label["size"]])
    phrases = MOTION_PHRASES[label["motion"]]
    verb = _pick(rng, phrases.get(family, []) + phrases["*"])
    count = label.get("count", 1)
    if count > 1:
        verb = plural_verb(verb)
    speed = _pick(rng, SPEED_WORDS[label["speed_word"]]) if label["motion"] not in ("still",) else ""
    if speed and (rng.random() < 0.5 or not speed.endswith("ly")):
        verb = verb + " " + speed
    elif speed:
        verb = speed + " " + verb
    subject = " ".join(w for w in (size, colour, noun) if w)
    if " " in noun and noun.startswith("sign"):
        subject = " ".join(w for w in (size, colour, noun) if w)
    elif rng.random() < 0.12:
        # the example storyboards' "a green leaf shaped like an oval" form
        subject = " ".join(w for w in (size, colour, "object") if w) + " shaped like a " + noun
    article = "an" if subject[0] in "aeiou" else "a"
    if rng.random() < 0.1:
        article = "one"
    if count > 1:
        article = _pick(rng, NUMBER_WORDS[count])
        if rng.random() < 0.15:
            subject = " ".join(w for w in (size, colour, "objects") if w) + " shaped like " + plural_noun(noun)
        else:
            subject = " ".join(w for w in (size, colour, plural_noun(noun)) if w)
    bg = _pick(rng, BACKGROUND_PHRASES[label["background"]])
    cam = _pick(rng, CAMERA_PHRASES[label["camera"]])
    if count > 1:
        cam = cam.replace(" around it", " around them")
    if label["camera"] == "static" and rng.random() < 0.15:
        cam = ""
    light = _pick(rng, LIGHTING_PHRASES[label["lighting"]])
    style = _pick(rng, STYLE_PHRASES[label["style"]])
    weather = _pick(rng, WEATHER_PHRASES[label["weather"]])
    main = f"{article} {subject} {verb} {bg}"
    tail = [p for p in (light, style, weather) if p]
    order = rng.permutation(len(tail))
    tail = [tail[i] for i in order]
    if rng.random() < 0.15 and cam:
        parts = [cam + ":", main] + ([", ".join(tail)] if tail else [])
        text = parts[0] + " " + ", ".join(parts[1:])
    else:
        text = ", ".join([main] + ([cam] if cam else []) + tail)
    return re.sub(r"\s+", " ", text).strip()


def caption_vocabulary():
    """Every word the grammar can produce, sorted (the text encoder's word vocabulary)."""
    words = set()

    def add(text):
        for w in tokenize_words(text):
            words.add(w)
    for nouns, _ in SHAPES.values():
        for n in nouns:
            add(n)
    for c in COLOURS:
        add(c)
        for w in COLOUR_WORDS.get(c, []):
            add(w)
    for table in (MOTION_PHRASES,):
        for fam in table.values():
            for lst in fam.values():
                for p in lst:
                    add(p)
    for table in (BACKGROUND_PHRASES, CAMERA_PHRASES, LIGHTING_PHRASES, STYLE_PHRASES,
                  WEATHER_PHRASES, SIZE_WORDS, SPEED_WORDS):
        for lst in table.values():
            for p in lst:
                add(p)
    for nouns, _ in SHAPES.values():
        for n in nouns:
            add(plural_noun(n))
    for fam in MOTION_PHRASES.values():
        for lst in fam.values():
            for p in lst:
                add(plural_verb(p))
    for lst in NUMBER_WORDS.values():
        for p in lst:
            add(p)
    for w in ("a", "an", "one", "object", "objects", "them", "shaped", "like", "camera", ",", ":", "-"):
        add(w)
    return sorted(words)


_WORD_RE = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")


def tokenize_words(text):
    """Lower-cases and splits into words and single punctuation marks ("pan-left" → pan - left)."""
    return _WORD_RE.findall(text.lower())


# ---------------------------------------------------------------------------------------
# Sampling a label

def sample_label(rng, split="train", aspect=None):
    if split == "test":
        colour, shape, motion, camera = _pick(rng, _heldout_list())
    else:
        while True:
            colour = _pick(rng, list(COLOURS))
            shape = _pick(rng, SHAPE_NAMES)
            motion = _pick(rng, MOTIONS)
            camera = _pick(rng, CAMERAS)
            if not is_heldout(colour, shape, motion, camera):
                break
    background = _pick(rng, BACKGROUNDS)
    # Keep the object visible: no black object in space, no white one in the snow.
    if colour == "black" and background in ("space", "studio", "alley"):
        background = "sky"
    if colour == "white" and background == "snow":
        background = "field"
    count = _pick(rng, [1] * 8 + [2, 3])
    if split == "test":
        count = 1                   # ProcBench scores one object per clip
    size = _pick(rng, list(SIZES))
    if count == 3 or (count == 2 and size == "large"):
        size = "small"              # keep the group inside the frame
    label = {
        "colour": colour, "shape": shape, "motion": motion, "camera": camera,
        "count": count,
        "size": size,
        "background": background,
        "lighting": _pick(rng, LIGHTINGS + ["day"]),
        "style": _pick(rng, STYLES + ["plain", "plain"]),
        "weather": _pick(rng, WEATHERS + ["clear", "clear", "clear"]),
        "speed_word": _pick(rng, ["slow", "normal", "normal", "fast"]),
        "aspect": aspect if aspect else _pick(rng, list(ASPECTS)),
    }
    return label


# ---------------------------------------------------------------------------------------
# Rendering helpers (all vectorised over [T, H, W])

def _smooth(x, edge):
    """Antialiased step: 1 inside (x < 0), 0 outside, over `edge` units."""
    return np.clip(0.5 - x / edge, 0.0, 1.0)


def _waves(u, v, rng, n=4, scale=4.0):
    """Smooth pseudo-noise in [-1, 1] from a few random plane waves (world anchored)."""
    acc = np.zeros(np.broadcast(u, v).shape, np.float32)
    for _ in range(n):
        a = rng.uniform(0, 2 * math.pi)
        f = scale * rng.uniform(0.6, 1.6)
        acc += np.sin(f * (np.cos(a) * u + np.sin(a) * v) + rng.uniform(0, 2 * math.pi))
    return acc / n


def _hash2(iu, iv, salt):
    h = (iu * 73856093) ^ (iv * 19349663) ^ salt
    h = (h ^ (h >> 13)) * 1274126177
    return ((h ^ (h >> 16)) & 0xFFFF).astype(np.float32) / 65535.0


def _mix(a, b, t):
    return a + (b - a) * t


def _rgb(c):
    return np.asarray(c, np.float32)


def render_background(kind, u, v, t, rng):
    """World-anchored background colour [T, H, W, 3] at world coordinates (u, v).

    v is 0 at the horizon-ish centre of the frame and grows downwards; units are frame heights.
    """
    shape = u.shape
    out = np.empty(shape + (3,), np.float32)
    jitter = rng.uniform(-0.06, 0.06, 3).astype(np.float32)

    def fill(col):
        out[...] = _rgb(col) + jitter

    def gradient_v(top, bottom, v0=-0.6, v1=0.6):
        s = np.clip((v - v0) / (v1 - v0), 0, 1)[..., None]
        return _mix(_rgb(top) + jitter, _rgb(bottom) + jitter, s)

    horizon = rng.uniform(0.0, 0.2)
    below = (v > horizon)[..., None]
    if kind == "sky":
        out[...] = gradient_v((0.30, 0.55, 0.95), (0.75, 0.88, 1.0))
        cloud = np.clip(_waves(u, v, rng, 5, 5.0) * 2.2 - 0.6, 0, 1)[..., None]
        out[...] = _mix(out, np.float32(0.97), cloud * 0.85)
    elif kind == "street":
        sky = gradient_v((0.45, 0.55, 0.7), (0.7, 0.75, 0.8))
        bx = np.floor(u * 3.0)
        bh = horizon - 0.25 - 0.35 * _hash2(bx.astype(np.int64), np.zeros_like(bx, np.int64), 7)
        building = (v > bh)[..., None]
        shade = (0.35 + 0.3 * _hash2(bx.astype(np.int64), np.ones_like(bx, np.int64), 11))[..., None]
        win = ((np.mod(u * 18, 1.0) < 0.45) & (np.mod(v * 14, 1.0) < 0.5))[..., None]
        bcol = np.concatenate([shade, shade * 0.95, shade * 0.9], -1) + win * 0.18
        road = np.full(shape + (3,), 0.28, np.float32) + _waves(u, v, rng, 3, 30.0)[..., None] * 0.03
        lane = ((np.abs(v - horizon - 0.32) < 0.02) & (np.mod(u * 2.5, 1.0) < 0.5))[..., None]
        road = np.where(lane, np.float32(0.9), road)
        out[...] = np.where(below, road, np.where(building, bcol, sky))
    elif kind == "wall":
        base = _rgb((0.62, 0.28, 0.18)) + jitter
        row = np.floor(v / 0.09)
        off = np.mod(row, 2) * 0.5
        brick_u = np.mod(u / 0.2 + off, 1.0)
        brick_v = np.mod(v / 0.09, 1.0)
        mortar = ((brick_u < 0.06) | (brick_v < 0.12))[..., None]
        var = (_hash2(np.floor(u / 0.2 + off).astype(np.int64), row.astype(np.int64), 3) - 0.5)
        out[...] = np.where(mortar, np.float32(0.75), base * (1 + 0.25 * var[..., None]))
    elif kind in ("field", "garden"):
        sky = gradient_v((0.35, 0.6, 0.95), (0.8, 0.9, 1.0))
        grass = _rgb((0.25, 0.6, 0.18)) + jitter
        g = grass * (1 + 0.15 * np.sin(u * 60 + 3 * _waves(u, v, rng, 2, 6.0))[..., None])
        if kind == "garden":
            dots = (_hash2(np.floor(u * 25).astype(np.int64), np.floor(v * 25).astype(np.int64), 5) > 0.93)
            g = np.where(dots[..., None], _rgb((1.0, 0.4, 0.6)), g)
        out[...] = np.where(below, g, sky)
    elif kind == "room":
        wall = _rgb((0.85, 0.78, 0.65)) + jitter
        floor_ = _rgb((0.55, 0.36, 0.2)) + jitter
        plank = (np.mod(u * 6, 1.0) < 0.04)[..., None]
        fl = np.where(plank, floor_ * 0.7, floor_)
        winm = ((np.abs(np.mod(u + 0.6, 1.6) - 0.8) < 0.22) & (v < horizon - 0.1) &
                (v > horizon - 0.55))[..., None]
        w = np.where(winm, _rgb((0.7, 0.85, 1.0)), wall)
        out[...] = np.where(below, fl, w)
    elif kind == "ocean":
        sky = gradient_v((0.4, 0.65, 0.95), (0.85, 0.9, 1.0))
        wave = np.sin(u * 25 + t[:, None, None] * 0.8 + np.sin(v * 40)) * 0.5 + 0.5
        sea = _mix(_rgb((0.05, 0.25, 0.55)), _rgb((0.2, 0.5, 0.8)), wave[..., None] * 0.6)
        out[...] = np.where(below, sea, sky)
    elif kind == "gradient":
        c1 = rng.uniform(0.1, 0.9, 3).astype(np.float32)
        c2 = rng.uniform(0.1, 0.9, 3).astype(np.float32)
        a = rng.uniform(0, 2 * math.pi)
        s = np.clip(0.5 + 0.7 * (np.cos(a) * u + np.sin(a) * v), 0, 1)[..., None]
        out[...] = _mix(c1, c2, s)
    elif kind == "studio":
        r = np.sqrt(u * u + (v + 0.1) ** 2)[..., None]
        out[...] = _mix(_rgb((0.35, 0.35, 0.4)) + jitter, _rgb((0.06, 0.06, 0.08)),
                        np.clip(r / 0.9, 0, 1))
        out[...] = np.where(below, out * 0.7, out)
    elif kind == "forest":
        fill((0.2, 0.35, 0.2))
        tx = np.floor(u * 5)
        trunk = (np.abs(np.mod(u * 5, 1.0) - 0.5) < 0.08 + 0.05 * _hash2(tx.astype(np.int64), tx.astype(np.int64), 9))
        out[...] = np.where(trunk[..., None], _rgb((0.35, 0.22, 0.12)), out)
        out[...] = out * (1 + 0.2 * _waves(u, v, rng, 3, 12.0))[..., None]
        out[...] = np.where(below, _rgb((0.3, 0.25, 0.15)) + jitter, out)
    elif kind == "desert":
        sky = gradient_v((0.5, 0.7, 0.95), (0.95, 0.9, 0.8))
        dune = horizon + 0.05 * np.sin(u * 4 + rng.uniform(0, 6))
        sand = (_rgb((0.9, 0.72, 0.45)) + jitter) * (1 + 0.08 * np.sin(u * 30 + v * 50))[..., None]
        out[...] = np.where((v > dune)[..., None], sand, sky)
    elif kind == "snow":
        sky = gradient_v((0.6, 0.7, 0.85), (0.9, 0.92, 0.95))
        snow = _rgb((0.93, 0.95, 1.0)) - 0.06 * np.abs(_waves(u, v, rng, 3, 8.0))[..., None]
        out[...] = np.where(below, snow, sky)
    elif kind == "space":
        fill((0.02, 0.02, 0.06))
        star = _hash2(np.floor(u * 40).astype(np.int64), np.floor(v * 40).astype(np.int64), 13) > 0.97
        out[...] = np.where(star[..., None], np.float32(0.95), out)
    elif kind == "alley":
        fill((0.18, 0.17, 0.2))
        brick = (np.mod(v / 0.07, 1.0) < 0.1)[..., None]
        out[...] = np.where(brick, out * 0.6, out)
        out[...] = np.where(below, _rgb((0.12, 0.12, 0.14)) + 0.05 * np.sin(u * 40)[..., None], out)
    else:
        raise ValueError(f"unknown background {kind!r}")
    # Fine world-anchored texture everywhere, so that every camera move shows in the frames.
    detail = 0.07 * _waves(u, v, rng, 4, 16.0) + 0.04 * _waves(u, v, rng, 3, 45.0)
    out *= (1.0 + detail)[..., None]
    return out


def render_shape(shape, x, y, phase):
    """Object-local coordinates (unit ≈ object radius) → alpha, shade, accent alpha, accent rgb.

    alpha is the object's coverage; shade multiplies the object's colour (3-D shading);
    accent is a second colour layer drawn over it (wheels, windows, stripes)."""
    e = 0.08   # antialiasing width in local units (scaled per call)
    r = np.sqrt(x * x + y * y)
    shade = np.ones_like(x)
    acc = np.zeros_like(x)
    acc_rgb = (0.08, 0.08, 0.08)
    if shape == "ball":
        alpha = _smooth(r - 1.0, e)
        nz = np.sqrt(np.clip(1 - r * r, 0, 1))
        shade = 0.35 + 0.65 * np.clip(-0.45 * x - 0.55 * y + 0.7 * nz, 0, 1) + 0.4 * np.clip(nz - 0.85 + 0.3 * (x + y), 0, 1)
        acc = _smooth(np.abs(y + 0.15 * x) - 0.09, e) * alpha * 0.8
        acc_rgb = (0.95, 0.95, 0.95)
    elif shape == "circle":
        alpha = _smooth(r - 1.0, e)
        acc = _smooth(np.abs(x) - 0.07, e) * _smooth(r - 0.7, e) * 0.5
        acc_rgb = (0.9, 0.9, 0.9)
    elif shape == "sun":
        ang = np.arctan2(y, x)
        rays = 0.95 + 0.25 * (np.cos(ang * 12) > 0.3)
        alpha = _smooth(r - rays, e)
        shade = np.where(r < 0.8, 1.0, 0.85)
    elif shape == "ring":
        alpha = _smooth(np.abs(r - 0.72) - 0.26, e)
        shade = 0.75 + 0.25 * np.cos(np.arctan2(y, x) - 2.2)
    elif shape in ("cube", "square", "box", "diamond"):
        if shape == "box":
            hx, hy = 1.0, 0.65
        else:
            hx, hy = 0.8, 0.8
        if shape == "diamond":
            alpha = _smooth(np.abs(x) + np.abs(y) - 1.0, e)
            shade = np.where(x + y < 0, 1.0, 0.78)
        else:
            d = np.maximum(np.abs(x) - hx, np.abs(y) - hy)
            alpha = _smooth(d, e)
            if shape == "cube":
                top = (y < -hy + 0.35)
                side = (x > hx - 0.35)
                shade = np.where(top, 1.2, np.where(side, 0.7, 1.0))
            elif shape == "box":
                acc = _smooth(np.abs(x) - 0.1, e) * alpha * 0.6
                acc_rgb = (0.85, 0.75, 0.5)
            else:
                acc = _smooth(np.abs(d + 0.12) - 0.04, e) * 0.7
                acc_rgb = (0.95, 0.95, 0.95)
    elif shape == "triangle":
        d = np.maximum.reduce([y - 0.6, -0.866 * x - 0.5 * y - 0.5, 0.866 * x - 0.5 * y - 0.5])
        alpha = _smooth(d, e)
        shade = 1.0 - 0.2 * (x > 0)
    elif shape == "star":
        ang = np.arctan2(y, x) + math.pi / 2
        m = np.mod(ang * 5 / (2 * math.pi), 1.0)
        tri = np.abs(m - 0.5) * 2
        bound = 0.42 + 0.6 * tri ** 1.6
        alpha = _smooth(r - bound, e)
        shade = 1.0 - 0.25 * (np.mod(ang * 10 / (2 * math.pi), 1.0) > 0.5)
    elif shape == "heart":
        hx, hy = x * 1.1, -y * 1.1 + 0.25
        f = (hx * hx + hy * hy - 1) ** 3 - hx * hx * hy ** 3
        alpha = _smooth(f, 0.04)
    elif shape == "leaf":
        xr, yr = 0.7 * x + 0.7 * y, -0.7 * x + 0.7 * y
        d = np.maximum(np.sqrt(xr ** 2 + (yr + 0.85) ** 2) - 1.3, np.sqrt(xr ** 2 + (yr - 0.85) ** 2) - 1.3)
        alpha = _smooth(d, e)
        acc = _smooth(np.abs(yr) - 0.04, e) * alpha * 0.6
        acc_rgb = (0.1, 0.3, 0.1)
    elif shape == "droplet":
        d = np.where(y > -0.1, r - 0.7, np.maximum(np.abs(x) - 0.7 * (1 + (y + 0.1) / 0.95), -y - 1.1))
        alpha = _smooth(d, e)
        shade = 0.8 + 0.4 * np.clip(-x - y, 0, 0.5)
    elif shape == "bottle":
        body = np.maximum(np.abs(x) - 0.42, np.abs(y - 0.25) - 0.75)
        neck = np.maximum(np.abs(x) - 0.16, np.abs(y + 0.7) - 0.3)
        alpha = _smooth(np.minimum(body, neck), e)
        acc = _smooth(np.abs(y - 0.25) - 0.2, e) * _smooth(np.abs(x) - 0.42, e) * 0.8
        acc_rgb = (0.95, 0.95, 0.9)
        shade = 0.8 + 0.3 * (np.abs(x + 0.2) < 0.08)
    elif shape == "cylinder":
        body = np.maximum(np.abs(x) - 0.6, np.abs(y) - 0.75)
        top = np.sqrt((x / 0.6) ** 2 + ((y + 0.75) / 0.2) ** 2) - 1
        bot = np.sqrt((x / 0.6) ** 2 + ((y - 0.75) / 0.2) ** 2) - 1
        alpha = _smooth(np.minimum(np.minimum(body, top * 0.6), bot * 0.6), e)
        shade = np.where(top < 0, 1.25, 0.75 + 0.35 * np.cos(x * 2.2 + 0.6))
    elif shape == "arrow":
        shaft = np.maximum(np.abs(x + 0.3) - 0.6, np.abs(y) - 0.2)
        head = np.maximum.reduce([0.25 - x, (x - 1.0) + 0.8 * np.abs(y), np.abs(y) - 0.6])
        alpha = _smooth(np.minimum(shaft, head), e)
    elif shape == "car":
        body = np.maximum(np.abs(x) - 1.0, np.abs(y - 0.1) - 0.28)
        cabin = np.maximum(np.abs(x + 0.05) - 0.5 + 0.3 * (y + 0.3), np.abs(y + 0.32) - 0.16)
        wheels = np.minimum(np.sqrt((x - 0.6) ** 2 + (y - 0.4) ** 2), np.sqrt((x + 0.6) ** 2 + (y - 0.4) ** 2)) - 0.22
        alpha = _smooth(np.minimum(np.minimum(body, cabin), wheels), e)
        window = _smooth(np.maximum(np.abs(x + 0.05) - 0.38 + 0.3 * (y + 0.3), np.abs(y + 0.32) - 0.1), e)
        wh = _smooth(wheels, e)
        acc = np.maximum(wh, window * 0.9)
        acc_rgb = np.where((wh > 0.5)[..., None], np.float32(0.06), _rgb((0.7, 0.85, 1.0)))
    elif shape == "bird":
        flap = 0.45 * np.sin(phase * 2.2)
        flap = flap[:, None, None] if np.ndim(flap) else flap
        body = np.sqrt((x / 0.45) ** 2 + (y / 0.22) ** 2) - 1
        wl = np.abs(y + 0.1 - flap * np.abs(x) + 0.25 * np.abs(x)) - 0.12 * (1 - np.abs(x)) - 0.02
        wing = np.maximum(wl, np.abs(x) - 1.0)
        alpha = _smooth(np.minimum(body * 0.3, wing), e)
        shade = 0.8 + 0.3 * (y < 0)
    elif shape == "person":
        head = np.sqrt(x ** 2 + (y + 0.78) ** 2) - 0.2
        torso = np.maximum(np.abs(x) - 0.3, np.abs(y + 0.18) - 0.38)
        stride = 0.12 * np.sin(phase * 2.0)
        stride = stride[:, None, None] if np.ndim(stride) else stride
        leg1 = np.maximum(np.abs(x - 0.13 - stride * (y - 0.2)) - 0.1, np.abs(y - 0.6) - 0.42)
        leg2 = np.maximum(np.abs(x + 0.13 + stride * (y - 0.2)) - 0.1, np.abs(y - 0.6) - 0.42)
        alpha = _smooth(np.minimum.reduce([head, torso, leg1, leg2]), e)
        shade = np.where(head < 0, 1.15, 1.0)
    elif shape == "fish":
        body = np.sqrt((x / 0.75) ** 2 + (y / 0.42) ** 2) - 1
        tail = np.maximum(x - 1.15, 0.6 - x + 1.2 * np.abs(y))
        tail = np.maximum(tail, np.abs(y) - 0.45)
        alpha = _smooth(np.minimum(body * 0.4, tail), e)
        acc = _smooth(np.sqrt((x + 0.45) ** 2 + (y + 0.08) ** 2) - 0.08, e)
        acc_rgb = (0.05, 0.05, 0.05)
    elif shape == "tree":
        crown = np.sqrt(x ** 2 + (y + 0.3) ** 2) - 0.7
        trunk = np.maximum(np.abs(x) - 0.14, np.abs(y - 0.6) - 0.4)
        alpha = _smooth(np.minimum(crown, trunk), e)
        acc = _smooth(trunk, e) * (crown > 0)
        acc_rgb = (0.35, 0.2, 0.08)
        shade = 0.85 + 0.3 * np.clip(-x - y, 0, 0.6)
    elif shape == "house":
        walls = np.maximum(np.abs(x) - 0.7, np.abs(y - 0.35) - 0.55)
        roof = np.maximum(y + 0.2, 0.85 * np.abs(x) - (y + 0.95))
        alpha = _smooth(np.minimum(walls, roof), e)
        door = _smooth(np.maximum(np.abs(x) - 0.15, np.abs(y - 0.65) - 0.25), e)
        acc = np.maximum(door, _smooth(roof, e) * (walls > 0))
        acc_rgb = np.where((door > 0.5)[..., None], _rgb((0.3, 0.18, 0.08)), _rgb((0.55, 0.15, 0.1)))
    else:
        raise ValueError(f"unknown shape {shape!r}")
    return alpha, shade, acc, acc_rgb


def _box_blur(img, radius, axes=(1, 2)):
    """Separable box blur of [T, H, W, …] over the spatial axes with edge clamping."""
    if radius <= 0:
        return img
    out = img
    for ax in axes:
        pad = [(0, 0)] * out.ndim
        pad[ax] = (radius + 1, radius)
        p = np.pad(out, pad, mode="edge")
        c = np.cumsum(p, axis=ax, dtype=np.float32)
        n = out.shape[ax]
        hi = np.take(c, np.arange(2 * radius + 1, 2 * radius + 1 + n), axis=ax)
        lo = np.take(c, np.arange(0, n), axis=ax)
        out = (hi - lo) / (2 * radius + 1)
    return out


def _smooth_noise_1d(rng, n, knots=5):
    k = rng.normal(0, 1, knots)
    xs = np.linspace(0, knots - 1, n)
    return np.interp(xs, np.arange(knots), k)


def camera_path(camera, speed, n):
    """Per-frame camera parameters: translation (frame heights), object zoom, background zoom,
    background-only translation, roll (radians).  s in [0, 1] over the clip."""
    s = np.linspace(0.0, 1.0, n)
    tx = np.zeros(n)
    ty = np.zeros(n)
    zoom = np.ones(n)
    bg_zoom = np.ones(n)
    bg_tx = np.zeros(n)
    roll = np.zeros(n)
    amount = 0.45 * speed
    if camera == "pan-left":
        tx = -amount * s
    elif camera == "pan-right":
        tx = amount * s
    elif camera == "tilt-up":
        ty = -amount * 0.8 * s
    elif camera == "tilt-down":
        ty = amount * 0.8 * s
    elif camera == "zoom-in":
        zoom = bg_zoom = np.exp(math.log(1.0 + 0.6 * speed) * s)
    elif camera == "zoom-out":
        zoom = bg_zoom = np.exp(-math.log(1.0 + 0.6 * speed) * s)
    elif camera == "dolly-in":
        zoom = np.exp(math.log(1.0 + 0.7 * speed) * s)
        bg_zoom = np.exp(math.log(1.0 + 0.25 * speed) * s)
    elif camera == "dolly-out":
        zoom = np.exp(-math.log(1.0 + 0.7 * speed) * s)
        bg_zoom = np.exp(-math.log(1.0 + 0.25 * speed) * s)
    elif camera == "orbit-left":
        bg_tx = amount * s        # camera circles left: the far background slides left
    elif camera == "orbit-right":
        bg_tx = -amount * s
    return s, tx, ty, zoom, bg_zoom, bg_tx, roll


def render_clip(label, rng):
    """Renders the label's clip: uint8 [T, H, W, 3] and the per-frame object track."""
    W, H = ASPECTS[label["aspect"]]
    T = FRAMES
    speed = {"slow": 0.6, "normal": 1.0, "fast": 1.5}[label["speed_word"]]
    cam_speed = rng.uniform(0.7, 1.3)
    s, tx, ty, zoom, bg_zoom, bg_tx, roll = camera_path(label["camera"], cam_speed, T)
    if label["camera"] == "handheld":
        tx = 0.025 * _smooth_noise_1d(rng, T, 6)
        ty = 0.025 * _smooth_noise_1d(rng, T, 6)
        roll = 0.025 * _smooth_noise_1d(rng, T, 6)
    # float32 throughout: float64 per-frame parameters would promote every [T, H, W] array
    tx, ty, zoom, bg_zoom, bg_tx, roll = (np.asarray(v, np.float32)
                                          for v in (tx, ty, zoom, bg_zoom, bg_tx, roll))
    aspect = W / H
    # pixel grid in frame-height units centred on the frame
    py, px = np.mgrid[0:H, 0:W].astype(np.float32)
    gx = (px + 0.5 - W / 2) / H
    gy = (py + 0.5 - H / 2) / H
    cr, sr = np.cos(roll)[:, None, None], np.sin(roll)[:, None, None]
    rx = cr * gx - sr * gy
    ry = sr * gx + cr * gy
    # background world coordinates (parallax: its own zoom and extra translation)
    origin = rng.uniform(-3, 3, 2)
    bu = (origin[0] + tx[:, None, None] * 0.9 + bg_tx[:, None, None] + rx / bg_zoom[:, None, None]).astype(np.float32)
    bv = (origin[1] * 0.1 + ty[:, None, None] * 0.9 + ry / bg_zoom[:, None, None]).astype(np.float32)
    t_sec = np.arange(T, dtype=np.float32) / FPS
    frame = render_background(label["background"], bu, bv, t_sec, rng)

    # object world path
    radius = SIZES[label["size"]] * rng.uniform(0.9, 1.1)
    ox0 = rng.uniform(-0.08, 0.08) * aspect
    oy0 = rng.uniform(-0.08, 0.08)
    span = 0.6 * speed * min(aspect, 1.0)     # horizontal travel, frame heights
    vspan = 0.42 * speed                        # vertical travel
    ox = np.full(T, ox0)
    oy = np.full(T, oy0)
    oscale = np.ones(T)
    rot = np.zeros(T) + rng.uniform(-0.15, 0.15)
    m = label["motion"]
    if m == "left":
        ox = ox0 + span * (0.5 - s)
    elif m == "right":
        ox = ox0 - span * (0.5 - s)
    elif m == "up":
        oy = oy0 + vspan * (0.5 - s)
    elif m == "down":
        oy = oy0 - vspan * (0.5 - s)
    elif m == "towards":
        oscale = np.exp(math.log(1.0 + 0.9 * speed) * (s - 0.3))
        oy = oy0 + 0.08 * s
    elif m == "away":
        oscale = np.exp(-math.log(1.0 + 0.9 * speed) * (s - 0.3))
        oy = oy0 - 0.06 * s
    elif m == "bounce":
        oy = oy0 + 0.12 - 0.3 * speed * np.abs(np.sin(math.pi * 2.0 * s + 0.3))
    elif m == "spin":
        rot = rot + 2 * math.pi * 0.6 * speed * s * rng.choice([-1, 1])
    # the object sits in front: camera translation moves it fully, zoom magnifies it
    ix = (ox - tx) * zoom
    iy = (oy - ty) * zoom
    scale_px = radius * oscale * zoom
    # image position of the object's centre (undo roll to get the pixel)
    cx = np.cos(-roll) * ix - np.sin(-roll) * iy
    cy = np.sin(-roll) * ix + np.cos(-roll) * iy
    c, sn = (np.cos(-rot)[:, None, None].astype(np.float32),
             np.sin(-rot)[:, None, None].astype(np.float32))
    col = _rgb(COLOURS[label["colour"]]) * (1 + rng.uniform(-0.05, 0.05, 3)).astype(np.float32)
    n = label.get("count", 1)
    # a group shares the motion; members sit side by side around the tracked centre
    # (in a row, or in a column for portrait frames)
    offx = (np.arange(n) - (n - 1) / 2) * 2.3 * radius
    offy = rng.uniform(-0.3, 0.3, n) * radius * (n > 1)
    if aspect < 1:
        offx, offy = offy, offx
    premul = np.zeros((T, H, W, 3), np.float32)
    alpha = np.zeros((T, H, W), np.float32)
    for k in range(n):
        ox_k = ix + offx[k] * oscale * zoom
        oy_k = iy + offy[k] * oscale * zoom
        dx = (rx - ox_k[:, None, None].astype(np.float32)) / scale_px[:, None, None].astype(np.float32)
        dy = (ry - oy_k[:, None, None].astype(np.float32)) / scale_px[:, None, None].astype(np.float32)
        lx = (c * dx - sn * dy).astype(np.float32)
        ly = (sn * dx + c * dy).astype(np.float32)
        a_k, shade, acc, acc_rgb = render_shape(label["shape"], lx, ly, t_sec * 2 * math.pi + k)
        a_k = np.asarray(a_k, np.float32)
        o = np.clip(col * np.asarray(shade, np.float32)[..., None], 0, 1)
        o = _mix(o, np.asarray(acc_rgb, np.float32), np.asarray(acc, np.float32)[..., None])
        premul = premul * (1 - a_k[..., None]) + o * a_k[..., None]
        alpha = alpha * (1 - a_k) + a_k
    obj = premul / np.maximum(alpha, 1e-6)[..., None]

    a = alpha[..., None]

    # lighting
    light = label["lighting"]
    style = label["style"]
    bg = frame
    if light == "night":
        bg = bg * _rgb((0.28, 0.32, 0.55))
        obj = obj * _rgb((0.75, 0.78, 0.9))
    elif light == "sunset":
        grad = np.clip(0.5 + gy[None, :, :, None], 0, 1)
        bg = bg * _rgb((1.05, 0.72, 0.5)) + grad * _rgb((0.15, 0.05, 0.0))
        obj = obj * _rgb((1.05, 0.9, 0.8))
    if style == "neon":
        bg = bg * 0.22 + _rgb((0.04, 0.0, 0.08))
        obj = np.clip((obj - obj.mean(-1, keepdims=True)) * 1.4 + obj.mean(-1, keepdims=True) * 1.2,
                      0, 1)
        glow = _box_blur(alpha, max(2, int(H * 0.03)))
        glow = _box_blur(glow, max(2, int(H * 0.03)))[..., None]
        bg = bg + glow * col * 0.9
    img = _mix(bg, obj, a)
    weather = label["weather"]
    if weather == "fog":
        img = _mix(img, np.float32(0.72), 0.4)
    if weather == "rain":
        col_id = np.floor((px + 0.35 * py) / 3.0).astype(np.int64)
        off = _hash2(col_id, col_id, 17) * 50
        keep = _hash2(col_id, col_id + 5, 23) < 0.35
        yy = py[None] + off[None] - (t_sec[:, None, None] * 90.0)
        streak = (np.mod(yy, 24.0) < 5.0) & keep[None]
        img = _mix(img, np.float32(0.85), streak[..., None] * 0.45)
    if style == "noir":
        lum = (img * _rgb((0.299, 0.587, 0.114))).sum(-1, keepdims=True)
        grey = np.clip((lum - 0.5) * 1.7 + 0.5, 0, 1)
        # the object keeps some of its colour (selective colour), the rest is black and white
        img = _mix(np.repeat(grey, 3, -1), _mix(grey, img, 0.6), a)
        vign = 1 - 0.45 * np.clip((gx * gx + gy * gy) * 1.3, 0, 1)
        img = img * vign[None, :, :, None]
    elif style == "watercolour":
        img = _box_blur(img, 1)
        img = np.round(img * 6) / 6 * 0.6 + img * 0.4
        paper = 0.92 + 0.08 * _hash2(px.astype(np.int64), py.astype(np.int64), 29)
        img = _mix(img, np.float32(0.97), 0.2) * paper[None, :, :, None]
        edge = np.abs(_box_blur(alpha, 1) - alpha)[..., None]
        img = img * (1 - 0.6 * edge)
    frames = (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
    track = np.stack([cx * H + W / 2, cy * H + H / 2], -1)
    return frames, track, scale_px * H


def make_clip(seed, index, split="train", aspect=None):
    """The clip number `index` of the data set with this seed: (frames uint8 [T, H, W, 3],
    caption, label).  Deterministic in (seed, index, split, aspect)."""
    split_id = {"train": 0, "test": 1}[split]
    rng = np.random.default_rng([seed, index, split_id])
    label = sample_label(rng, split, aspect)
    caption = make_caption(rng, label)
    frames, track, size_px = render_clip(label, rng)
    label = dict(label)
    label["track"] = np.round(track, 2).tolist()
    label["size_px"] = np.round(size_px, 2).tolist()
    label["caption"] = caption
    return frames, caption, label


def _write_png(path, rgb):
    import struct
    import zlib
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def contact_sheet(clips, frames_shown=(0, 4, 8, 12, 16)):
    """Rows of clips (each [T, H, W, 3]), columns of frames, padded to the widest clip."""
    h = max(c.shape[1] for c in clips)
    w = max(c.shape[2] for c in clips)
    sheet = np.full((len(clips) * (h + 2), len(frames_shown) * (w + 2), 3), 255, np.uint8)
    for i, c in enumerate(clips):
        for j, f in enumerate(frames_shown):
            sheet[i * (h + 2):i * (h + 2) + c.shape[1], j * (w + 2):j * (w + 2) + c.shape[2]] = c[f]
    return sheet


def main(argv):
    import argparse
    import os
    import time
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=8)
    p.add_argument("--split", choices=["train", "test"], default="train")
    p.add_argument("--out", help="directory for a contact sheet PNG and captions.json")
    p.add_argument("--bench", type=int, default=0, help="time this many clips")
    p.add_argument("--heldout", action="store_true", help="print the held-out combinations")
    p.add_argument("--bench-set", metavar="DIR",
                   help="write a ProcBench set: --count held-out clips as DIR/procbench.json "
                        "(captions and full labels, tracks included) and DIR/NNNN-first.png")
    a = p.parse_args(argv)
    if a.bench_set:
        os.makedirs(a.bench_set, exist_ok=True)
        items = []
        for i in range(a.count):
            f, cap, lab = make_clip(a.seed, i, "test")
            name = f"{i:04d}-first.png"
            _write_png(os.path.join(a.bench_set, name), f[0])
            items.append({"index": i, "seed": a.seed, "caption": cap, "first_frame": name,
                          "label": lab})
        with open(os.path.join(a.bench_set, "procbench.json"), "w") as fh:
            json.dump({"frames": FRAMES, "fps": FPS, "items": items}, fh, indent=1)
        print(f"{a.count} held-out clips in {a.bench_set}")
        return 0
    if a.heldout:
        combos = heldout_combos()
        print(f"{len(combos)} held-out combinations")
        for c in combos:
            print(combo_key(*c))
        return 0
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        clips, caps = [], []
        for i in range(a.count):
            f, cap, lab = make_clip(a.seed, i, a.split)
            clips.append(f)
            caps.append({"caption": cap, "label": {k: v for k, v in lab.items() if k not in ("track", "size_px")}})
            print(cap)
        _write_png(os.path.join(a.out, "contact-sheet.png"), contact_sheet(clips))
        with open(os.path.join(a.out, "captions.json"), "w") as fh:
            json.dump(caps, fh, indent=1)
    if a.bench:
        t0 = time.perf_counter()
        for i in range(a.bench):
            make_clip(a.seed, i, a.split)
        dt = time.perf_counter() - t0
        print(f"{a.bench} clips in {dt:.2f} s: {a.bench / dt * 60:.0f} clips/min")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
