#version 450
// Softmax along rows of `dim` values (reel_cpu_softmax), one workgroup per row. In place is
// fine.

#extension GL_GOOGLE_include_directive : require

#define REDUCE_SIZE 128
layout (local_size_x = REDUCE_SIZE) in;

layout (binding = 0) readonly buffer X { float x[]; };
layout (binding = 1) writeonly buffer Y { float y[]; };

layout (push_constant) uniform Push
{
  uint rows, dim;
} p;

#include "index.glsl"
#include "reduce.glsl"

void main ()
{
  const uint row = flat_group ();
  const uint t = gl_LocalInvocationID.x;

  if (row >= p.rows)
    return;

  const uint base = row * p.dim;
  float m = -3.402823466e38;

  for (uint i = t; i < p.dim; i += REDUCE_SIZE)
    m = max (m, x[base + i]);
  m = workgroup_max (m);

  float s = 0.0;
  for (uint i = t; i < p.dim; i += REDUCE_SIZE)
    s += exp (x[base + i] - m);
  const float inv = 1.0 / workgroup_sum (s);

  for (uint i = t; i < p.dim; i += REDUCE_SIZE)
    y[base + i] = exp (x[base + i] - m) * inv;
}
