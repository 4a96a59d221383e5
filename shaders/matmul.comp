#version 450
// c[M,N] = a[M,K] · b (+ bias[N]), b being [K,N] or, when B_TRANSPOSED, [N,K]
// (reel_cpu_matmul, reel_cpu_linear).
//
// Written for lavapipe, which runs each invocation as one SIMD lane on the CPU: every
// invocation owns an 8×8 tile of c in registers and streams a and b through texel buffers,
// so each loaded value feeds 8 FMAs and there are no barriers at all. With -DVEC4 the inputs
// are R32G32B32A32 views read four k at a time (K, and N when b is not transposed, must be
// multiples of 4); without it they are R32 views read one value at a time, for any size.
// Rows and columns past the edge are clamped on load and skipped on store.

layout (local_size_x = 8, local_size_y = 8) in;

layout (constant_id = 0) const bool B_TRANSPOSED = false;
layout (constant_id = 1) const bool HAS_BIAS = false;

layout (binding = 0) uniform samplerBuffer a;
layout (binding = 1) uniform samplerBuffer b;
layout (binding = 2) writeonly buffer C { float c[]; };
layout (binding = 3) readonly buffer Bias { float bias[]; };

layout (push_constant) uniform Push
{
  uint m, n, k;
} p;

#define TM 8
#define TN 8

void main ()
{
  const uint row0 = (gl_WorkGroupID.y * gl_WorkGroupSize.y + gl_LocalInvocationID.y) * TM;
  const uint col0 = (gl_WorkGroupID.x * gl_WorkGroupSize.x + gl_LocalInvocationID.x) * TN;
  float acc[TM][TN];
  int a_row[TM];
  int b_idx[TN];

  if (row0 >= p.m || col0 >= p.n)
    return;

  for (int i = 0; i < TM; i++)
    for (int j = 0; j < TN; j++)
      acc[i][j] = 0.0;

#ifdef VEC4
  const int k4 = int (p.k / 4);

  for (int i = 0; i < TM; i++)
    a_row[i] = int (min (row0 + i, p.m - 1)) * k4;

  if (B_TRANSPOSED)
    {
      for (int j = 0; j < TN; j++)
        b_idx[j] = int (min (col0 + j, p.n - 1)) * k4;

      for (int kk = 0; kk < k4; kk++)
        {
          vec4 av[TM], bv[TN];

          for (int i = 0; i < TM; i++)
            av[i] = texelFetch (a, a_row[i] + kk);
          for (int j = 0; j < TN; j++)
            bv[j] = texelFetch (b, b_idx[j] + kk);
          for (int i = 0; i < TM; i++)
            for (int j = 0; j < TN; j++)
              acc[i][j] += dot (av[i], bv[j]);
        }
    }
  else
    {
      const int n4 = int (p.n / 4);
      // The two vec4 column groups of this tile; the second may lie past the edge.
      const int cb0 = int (col0 / 4);
      const int cb1 = min (cb0 + 1, n4 - 1);

      for (int kk = 0; kk < k4; kk++)
        {
          vec4 av[TM];

          for (int i = 0; i < TM; i++)
            av[i] = texelFetch (a, a_row[i] + kk);
          for (int q = 0; q < 4; q++)
            {
              const int brow = (kk * 4 + q) * n4;
              const vec4 b0 = texelFetch (b, brow + cb0);
              const vec4 b1 = texelFetch (b, brow + cb1);

              for (int i = 0; i < TM; i++)
                {
                  const float s = av[i][q];

                  acc[i][0] += s * b0.x;
                  acc[i][1] += s * b0.y;
                  acc[i][2] += s * b0.z;
                  acc[i][3] += s * b0.w;
                  acc[i][4] += s * b1.x;
                  acc[i][5] += s * b1.y;
                  acc[i][6] += s * b1.z;
                  acc[i][7] += s * b1.w;
                }
            }
        }
    }
#else
  const int k = int (p.k);

  for (int i = 0; i < TM; i++)
    a_row[i] = int (min (row0 + i, p.m - 1)) * k;
  for (int j = 0; j < TN; j++)
    b_idx[j] = B_TRANSPOSED ? int (min (col0 + j, p.n - 1)) * k : int (min (col0 + j, p.n - 1));

  for (int kk = 0; kk < k; kk++)
    {
      float av[TM], bv[TN];

      for (int i = 0; i < TM; i++)
        av[i] = texelFetch (a, a_row[i] + kk).x;
      for (int j = 0; j < TN; j++)
        bv[j] = texelFetch (b, B_TRANSPOSED ? b_idx[j] + kk : kk * int (p.n) + b_idx[j]).x;
      for (int i = 0; i < TM; i++)
        for (int j = 0; j < TN; j++)
          acc[i][j] += av[i] * bv[j];
    }
#endif

  for (int j = 0; j < TN; j++)
    if (col0 + j < p.n)
      {
        const float add = HAS_BIAS ? bias[col0 + j] : 0.0;

        for (int i = 0; i < TM; i++)
          if (row0 + i < p.m)
            c[(row0 + i) * p.n + col0 + j] = acc[i][j] + add;
      }
}
