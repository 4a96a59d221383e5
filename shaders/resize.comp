#version 450
// x [channels, h, w] → y [channels, out_h, out_w] (reel_cpu_resize). Nearest takes
// floor(dst · in / out); bilinear uses half-pixel centres clamped at the edges (PyTorch's
// align_corners=False). One invocation per output value.

#extension GL_GOOGLE_include_directive : require

layout (local_size_x = 256) in;

layout (constant_id = 0) const bool BILINEAR = false;

layout (binding = 0) readonly buffer X { float x[]; };
layout (binding = 1) writeonly buffer Y { float y[]; };

layout (push_constant) uniform Push
{
  uint n;
  uint h, w, out_h, out_w;
  float scale_h, scale_w;   // in / out
} p;

#include "index.glsl"

void main ()
{
  const uint i = flat_index ();

  if (i >= p.n)
    return;

  const uint ox = i % p.out_w;
  const uint oy = (i / p.out_w) % p.out_h;
  const uint c = i / p.out_w / p.out_h;
  const uint base = c * p.h * p.w;

  if (!BILINEAR)
    {
      const uint sy = min (uint (float (oy) * p.scale_h), p.h - 1);
      const uint sx = min (uint (float (ox) * p.scale_w), p.w - 1);

      y[i] = x[base + sy * p.w + sx];
      return;
    }

  const float fy = max ((float (oy) + 0.5) * p.scale_h - 0.5, 0.0);
  const float fx = max ((float (ox) + 0.5) * p.scale_w - 0.5, 0.0);
  const uint y0 = min (uint (fy), p.h - 1), x0 = min (uint (fx), p.w - 1);
  const uint y1 = min (y0 + 1, p.h - 1), x1 = min (x0 + 1, p.w - 1);
  const float ly = fy - float (y0), lx = fx - float (x0);
  const float top = mix (x[base + y0 * p.w + x0], x[base + y0 * p.w + x1], lx);
  const float bottom = mix (x[base + y1 * p.w + x0], x[base + y1 * p.w + x1], lx);

  y[i] = mix (top, bottom, ly);
}
