#version 450
// Convolution as an implicit GEMM (reel_cpu_conv3d; reel_cpu_conv2d runs it with one frame
// and the batch in z): out[b, co, pos] = Σ_k weight[co, k] · x[b, im2col(k, pos)] + bias[co],
// k running over (ci, kt, kh, kw) and pos over the output's (t, h, w). The im2col matrix is
// never stored: each invocation owns an 8 (c_out) × 4 (positions) tile, gathers its four
// input values per k, and zero-pads outside the input. Causal temporal padding is a front
// padding of kt − 1 frames and no back padding.

layout (local_size_x = 16, local_size_y = 4) in;

layout (constant_id = 0) const bool HAS_BIAS = false;

layout (binding = 0) readonly buffer X { float x[]; };
layout (binding = 1) readonly buffer W { float weight[]; };
layout (binding = 2) readonly buffer Bias { float bias[]; };
layout (binding = 3) writeonly buffer Out { float o[]; };

layout (push_constant) uniform Push
{
  uint c_in, t, h, w;
  uint c_out, kt, kh, kw;
  uint st, sh, sw;
  uint pad_t, pad_h, pad_w;   // front padding of each axis
  uint to, ho, wo;
  uint z_per_batch;           // workgroups along z for one batch item (see main)
} p;

#define TM 8
#define TN 4

void main ()
{
  const uint n_pos = p.to * p.ho * p.wo;
  // Large outputs need more position groups than x allows; the rest go to z, beside the batch.
  const uint batch = gl_WorkGroupID.z / p.z_per_batch;
  const uint pos_group = (gl_WorkGroupID.z % p.z_per_batch) * gl_NumWorkGroups.x
                         + gl_WorkGroupID.x;
  const uint pos0 = (pos_group * gl_WorkGroupSize.x + gl_LocalInvocationID.x) * TN;
  const uint co0 = (gl_WorkGroupID.y * gl_WorkGroupSize.y + gl_LocalInvocationID.y) * TM;
  const uint k_size = p.c_in * p.kt * p.kh * p.kw;
  const uint x_base = batch * p.c_in * p.t * p.h * p.w;
  float acc[TM][TN];
  int it0[TN], iy0[TN], ix0[TN];
  uint w_row[TM];

  if (pos0 >= n_pos || co0 >= p.c_out)
    return;

  for (int j = 0; j < TN; j++)
    {
      const uint pos = min (pos0 + j, n_pos - 1);
      const uint ox = pos % p.wo, oy = (pos / p.wo) % p.ho, ot = pos / p.wo / p.ho;

      it0[j] = int (ot * p.st) - int (p.pad_t);
      iy0[j] = int (oy * p.sh) - int (p.pad_h);
      ix0[j] = int (ox * p.sw) - int (p.pad_w);
    }
  for (int i = 0; i < TM; i++)
    {
      w_row[i] = min (co0 + i, p.c_out - 1) * k_size;
      for (int j = 0; j < TN; j++)
        acc[i][j] = 0.0;
    }

  uint k = 0;
  for (uint ci = 0; ci < p.c_in; ci++)
    for (uint dt = 0; dt < p.kt; dt++)
      for (uint dy = 0; dy < p.kh; dy++)
        for (uint dx = 0; dx < p.kw; dx++, k++)
          {
            float xv[TN], wv[TM];

            for (int j = 0; j < TN; j++)
              {
                const int it = it0[j] + int (dt), iy = iy0[j] + int (dy);
                const int ix = ix0[j] + int (dx);
                const bool inside = it >= 0 && it < int (p.t) && iy >= 0 && iy < int (p.h)
                                    && ix >= 0 && ix < int (p.w);

                xv[j] = inside ? x[x_base + ((ci * p.t + uint (it)) * p.h + uint (iy)) * p.w
                                   + uint (ix)]
                               : 0.0;
              }
            for (int i = 0; i < TM; i++)
              wv[i] = weight[w_row[i] + k];
            for (int i = 0; i < TM; i++)
              for (int j = 0; j < TN; j++)
                acc[i][j] += wv[i] * xv[j];
          }

  for (int i = 0; i < TM; i++)
    {
      const uint co = co0 + i;

      if (co >= p.c_out)
        break;
      const float add = HAS_BIAS ? bias[co] : 0.0;
      for (int j = 0; j < TN; j++)
        if (pos0 + j < n_pos)
          o[(batch * p.c_out + co) * n_pos + pos0 + j] = acc[i][j] + add;
    }
}
