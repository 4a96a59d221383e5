#version 450
// adaLN: y[r, i] = x[r, i] · (1 + scale[i]) + shift[i] (reel_cpu_modulate). In place is fine.

#extension GL_GOOGLE_include_directive : require

layout (local_size_x = 256) in;

layout (binding = 0) readonly buffer X { float x[]; };
layout (binding = 1) readonly buffer Shift { float shift[]; };
layout (binding = 2) readonly buffer Scale { float scale[]; };
layout (binding = 3) writeonly buffer Y { float y[]; };

layout (push_constant) uniform Push
{
  uint n, dim;
} p;

#include "index.glsl"

void main ()
{
  const uint i = flat_index ();

  if (i >= p.n)
    return;
  const uint c = i % p.dim;
  y[i] = x[i] * (1.0 + scale[c]) + shift[c];
}
