#version 450
// out[i] = a[i] ∘ b[i % b_len] with ∘ = + (-DOP_ADD) or · (-DOP_MUL): reel_cpu_add and
// reel_cpu_mul. In place (out = a) is fine.

#extension GL_GOOGLE_include_directive : require

layout (local_size_x = 256) in;

layout (binding = 0) readonly buffer A { float a[]; };
layout (binding = 1) readonly buffer B { float b[]; };
layout (binding = 2) writeonly buffer Out { float o[]; };

layout (push_constant) uniform Push
{
  uint n, b_len;
} p;

#include "index.glsl"

void main ()
{
  const uint i = flat_index ();

  if (i >= p.n)
    return;
#if defined(OP_ADD)
  o[i] = a[i] + b[i % p.b_len];
#elif defined(OP_MUL)
  o[i] = a[i] * b[i % p.b_len];
#else
#error "define OP_ADD or OP_MUL"
#endif
}
