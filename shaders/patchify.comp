#version 450
// x [c, t, h, w] ↔ tokens [(t/pt)·(h/ph)·(w/pw), pt·ph·pw·c] (reel_cpu_patchify, and with
// INVERSE reel_cpu_unpatchify). One invocation per value, walking the token layout; both
// directions are plain gathers.

#extension GL_GOOGLE_include_directive : require

layout (local_size_x = 256) in;

layout (constant_id = 0) const bool INVERSE = false;

layout (binding = 0) readonly buffer In { float src[]; };
layout (binding = 1) writeonly buffer Out { float dst[]; };

layout (push_constant) uniform Push
{
  uint n;
  uint c, t, h, w;
  uint pt, ph, pw;
} p;

#include "index.glsl"

void main ()
{
  const uint i = flat_index ();

  if (i >= p.n)
    return;

  const uint features = p.pt * p.ph * p.pw * p.c;
  const uint token = i / features;
  uint f = i % features;
  const uint ci = f % p.c;
  f /= p.c;
  const uint iw = f % p.pw;
  f /= p.pw;
  const uint ih = f % p.ph;
  const uint it = f / p.ph;
  const uint gw = p.w / p.pw, gh = p.h / p.ph;
  const uint tw = token % gw;
  const uint th = (token / gw) % gh;
  const uint tt = token / gw / gh;
  const uint xi = ((ci * p.t + tt * p.pt + it) * p.h + th * p.ph + ih) * p.w + tw * p.pw + iw;

  if (INVERSE)
    dst[xi] = src[i];
  else
    dst[i] = src[xi];
}
