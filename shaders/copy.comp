#version 450
// Data movement, one invocation per output value:
//   -DCONCAT   out [outer, a_inner + b_inner] from a [outer, a_inner] and b [outer, b_inner]
//   -DSLICE    out [outer, len, inner] = x [outer, dim, inner] at start … start + len − 1
//   -DPERMUTE  4-D permute, out's axis i being x's axis perm[i]
// (reel_cpu_concat, reel_cpu_slice, reel_cpu_permute).

#extension GL_GOOGLE_include_directive : require

layout (local_size_x = 256) in;

layout (binding = 0) readonly buffer A { float a[]; };
layout (binding = 1) readonly buffer B { float b[]; };
layout (binding = 2) writeonly buffer Out { float o[]; };

layout (push_constant) uniform Push
{
  uint n;
  uint s0, s1, s2, s3;   // CONCAT: a_inner, b_inner; SLICE: dim, inner, start, len;
                         // PERMUTE: x's shape
  uint perm;             // PERMUTE: perm[i] in bits 2i … 2i+1
} p;

#include "index.glsl"

void main ()
{
  const uint i = flat_index ();

  if (i >= p.n)
    return;

#if defined(CONCAT)
  const uint width = p.s0 + p.s1;
  const uint row = i / width, col = i % width;

  o[i] = col < p.s0 ? a[row * p.s0 + col] : b[row * p.s1 + col - p.s0];
#elif defined(SLICE)
  const uint inner = i % p.s1;
  const uint l = (i / p.s1) % p.s3;
  const uint outer = i / p.s1 / p.s3;

  o[i] = a[(outer * p.s0 + p.s2 + l) * p.s1 + inner];
#elif defined(PERMUTE)
  const uint shape[4] = uint[4] (p.s0, p.s1, p.s2, p.s3);
  uint stride[4];
  uint perm[4];
  uint rest = i, src = 0;

  stride[3] = 1;
  stride[2] = p.s3;
  stride[1] = p.s3 * p.s2;
  stride[0] = p.s3 * p.s2 * p.s1;
  for (int k = 0; k < 4; k++)
    perm[k] = (p.perm >> (2 * k)) & 3u;
  // Walk out's axes from the innermost: out axis k has x's size shape[perm[k]].
  for (int k = 3; k >= 0; k--)
    {
      const uint size = shape[perm[k]];

      src += (rest % size) * stride[perm[k]];
      rest /= size;
    }
  o[i] = a[src];
#else
#error "define CONCAT, SLICE or PERMUTE"
#endif
}
