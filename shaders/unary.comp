#version 450
// y = f(x) over n values: -DOP_GELU is the tanh approximation (reel_cpu_gelu_tanh), -DOP_SILU
// is x·sigmoid(x) (reel_cpu_silu). In place is fine.

#extension GL_GOOGLE_include_directive : require

layout (local_size_x = 256) in;

layout (binding = 0) readonly buffer X { float x[]; };
layout (binding = 1) writeonly buffer Y { float y[]; };

layout (push_constant) uniform Push
{
  uint n;
} p;

#include "index.glsl"

void main ()
{
  const uint i = flat_index ();

  if (i >= p.n)
    return;

  const float v = x[i];
#if defined(OP_GELU)
  // tanh of a clamped argument: some drivers build tanh from exp, which overflows past ±44.
  const float u = clamp (0.7978845608028654 * (v + 0.044715 * v * v * v), -15.0, 15.0);
  y[i] = 0.5 * v * (1.0 + tanh (u));
#elif defined(OP_SILU)
  y[i] = v / (1.0 + exp (-v));
#else
#error "define OP_GELU or OP_SILU"
#endif
}
