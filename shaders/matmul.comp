#version 450
// c[M,N] = a[M,K] · b[K,N] (+ bias): reel_cpu_matmul, reel_cpu_linear once the host has
// transposed the weight, and the convolutions once im2col.comp has unfolded a chunk of the
// input (see reel-vk-backend.c). b's rows are ldb apart and c's rows ldc apart, from c_off on,
// so that a convolution can write one chunk of output positions into place. The bias is per
// column, or per row with BIAS_PER_ROW (a convolution's per-channel bias).
//
// Written for lavapipe, which runs each invocation as one SIMD lane on the CPU: every
// invocation owns a TM×TN tile of c in registers and streams a and b through texel buffers,
// so each loaded value feeds 8 or 16 FMAs and there are no barriers at all (16×8 measured
// faster than 8×8 and 8×16 there; larger tiles spill). Neighbouring lanes read neighbouring
// columns of b, which keeps their loads in the same cache lines (reading b along k, as a
// transposed b would need, is a third slower). With -DVEC4 the inputs are R32G32B32A32 views
// read four values at a time (K and N must be multiples of 4); without it they are R32 views
// read one value at a time, for any size. Rows and columns past the edge are clamped on load
// and skipped on store.

#extension GL_EXT_control_flow_attributes : require

layout (local_size_x = 32, local_size_y = 2) in;

layout (constant_id = 0) const bool HAS_BIAS = false;
layout (constant_id = 1) const bool BIAS_PER_ROW = false;

layout (binding = 0) uniform samplerBuffer a;
layout (binding = 1) uniform samplerBuffer b;
layout (binding = 2) writeonly buffer C { float c[]; };
layout (binding = 3) readonly buffer Bias { float bias[]; };

layout (push_constant) uniform Push
{
  uint m, n, k;
  uint ldb, ldc, c_off;
} p;

#define TM 16
#define TN 8

void main ()
{
  const uint row0 = (gl_WorkGroupID.y * gl_WorkGroupSize.y + gl_LocalInvocationID.y) * TM;
  const uint col0 = (gl_WorkGroupID.x * gl_WorkGroupSize.x + gl_LocalInvocationID.x) * TN;
  float acc[TM][TN];
  int a_row[TM];

  if (row0 >= p.m || col0 >= p.n)
    return;

  [[unroll]] for (int i = 0; i < TM; i++)
    [[unroll]] for (int j = 0; j < TN; j++)
      acc[i][j] = 0.0;

#ifdef VEC4
  const int k4 = int (p.k / 4);
  const int n4 = int (p.ldb / 4);
  // The vec4 column groups of this tile; the last ones may lie past the edge.
  int cb[TN / 4];

  [[unroll]] for (int i = 0; i < TM; i++)
    a_row[i] = int (min (row0 + i, p.m - 1)) * k4;
  [[unroll]] for (int g = 0; g < TN / 4; g++)
    cb[g] = min (int (col0 / 4) + g, n4 - 1);

  for (int kk = 0; kk < k4; kk++)
    {
      vec4 av[TM];

      [[unroll]] for (int i = 0; i < TM; i++)
        av[i] = texelFetch (a, a_row[i] + kk);
      [[unroll]] for (int q = 0; q < 4; q++)
        {
          const int brow = (kk * 4 + q) * n4;
          vec4 bv[TN / 4];

          [[unroll]] for (int g = 0; g < TN / 4; g++)
            bv[g] = texelFetch (b, brow + cb[g]);
          [[unroll]] for (int i = 0; i < TM; i++)
            [[unroll]] for (int g = 0; g < TN / 4; g++)
              {
                acc[i][4 * g] = fma (av[i][q], bv[g].x, acc[i][4 * g]);
                acc[i][4 * g + 1] = fma (av[i][q], bv[g].y, acc[i][4 * g + 1]);
                acc[i][4 * g + 2] = fma (av[i][q], bv[g].z, acc[i][4 * g + 2]);
                acc[i][4 * g + 3] = fma (av[i][q], bv[g].w, acc[i][4 * g + 3]);
              }
        }
    }
#else
  const int k = int (p.k);
  int b_col[TN];

  [[unroll]] for (int i = 0; i < TM; i++)
    a_row[i] = int (min (row0 + i, p.m - 1)) * k;
  [[unroll]] for (int j = 0; j < TN; j++)
    b_col[j] = int (min (col0 + j, p.n - 1));

  for (int kk = 0; kk < k; kk++)
    {
      float av[TM], bv[TN];

      [[unroll]] for (int i = 0; i < TM; i++)
        av[i] = texelFetch (a, a_row[i] + kk).x;
      [[unroll]] for (int j = 0; j < TN; j++)
        bv[j] = texelFetch (b, kk * int (p.ldb) + b_col[j]).x;
      [[unroll]] for (int i = 0; i < TM; i++)
        [[unroll]] for (int j = 0; j < TN; j++)
          acc[i][j] = fma (av[i], bv[j], acc[i][j]);
    }
#endif

  [[unroll]] for (int j = 0; j < TN; j++)
    if (col0 + j < p.n)
      {
        [[unroll]] for (int i = 0; i < TM; i++)
          if (row0 + i < p.m)
            {
              float v = acc[i][j];

              if (HAS_BIAS)
                v += BIAS_PER_ROW ? bias[row0 + i] : bias[col0 + j];
              c[p.c_off + (row0 + i) * p.ldc + col0 + j] = v;
            }
      }
}
