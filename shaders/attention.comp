#version 450
// Multi-head attention, softmax(q·kᵀ·scale)·v per head (reel_cpu_attention), tiled with an
// online softmax so memory stays linear in the sequence lengths: nothing of size sq × sk is
// ever stored. q [sq, heads, d], k and v [sk, heads, d].
//
// Each invocation keeps R query rows and their running outputs in registers and streams the
// keys and values in blocks of BK: one loaded key or value row feeds R rows, and the running
// maximum rescales the outputs once per block rather than once per key. D4 is d / 4 rounded
// up; with -DVEC4 the inputs are R32G32B32A32 texel views (d a multiple of 4), otherwise R32
// views read a value at a time with the tail of each row zero-filled.

layout (local_size_x = 32) in;

layout (constant_id = 0) const int D4 = 16;
// Query rows per invocation: more rows reuse each loaded key more often, but the driver's
// compile time and register use grow with R × D4, so the host picks 8 for short heads and 4
// for long ones.
layout (constant_id = 1) const int R = 8;

layout (binding = 0) uniform samplerBuffer q_buf;
layout (binding = 1) uniform samplerBuffer k_buf;
layout (binding = 2) uniform samplerBuffer v_buf;
layout (binding = 3) writeonly buffer Out { float o[]; };

layout (push_constant) uniform Push
{
  uint sq, sk, heads, d;
  float scale;
} p;

#define BK 8
#define NEG_BIG -1.0e30

vec4 load_row (samplerBuffer buf, uint token, int c)
{
  const uint row = token * p.heads + gl_WorkGroupID.y;
#ifdef VEC4
  return texelFetch (buf, int (row) * D4 + c);
#else
  // Branch-free: the tail past d reads the row's last value and masks it to zero, which
  // keeps the unrolled shader small enough to compile in reasonable time.
  const int base = int (row * p.d), last = int (p.d) - 1;
  const ivec4 e = c * 4 + ivec4 (0, 1, 2, 3);

  return vec4 (texelFetch (buf, base + min (e.x, last)).x,
               texelFetch (buf, base + min (e.y, last)).x,
               texelFetch (buf, base + min (e.z, last)).x,
               texelFetch (buf, base + min (e.w, last)).x)
         * vec4 (lessThanEqual (e, ivec4 (last)));
#endif
}

void main ()
{
  const uint r0 = gl_GlobalInvocationID.x * R;
  vec4 q[R][D4], acc[R][D4];
  float m[R], l[R];

  if (r0 >= p.sq)
    return;

  for (int r = 0; r < R; r++)
    {
      const uint row = min (r0 + r, p.sq - 1);

      for (int c = 0; c < D4; c++)
        {
          q[r][c] = load_row (q_buf, row, c) * p.scale;
          acc[r][c] = vec4 (0.0);
        }
      m[r] = NEG_BIG;
      l[r] = 0.0;
    }

  for (uint j0 = 0; j0 < p.sk; j0 += BK)
    {
      float s[R][BK];

      for (int b = 0; b < BK; b++)
        {
          const uint key = min (j0 + b, p.sk - 1);

          for (int r = 0; r < R; r++)
            s[r][b] = 0.0;
          for (int c = 0; c < D4; c++)
            {
              const vec4 kv = load_row (k_buf, key, c);

              for (int r = 0; r < R; r++)
                s[r][b] += dot (q[r][c], kv);
            }
          if (j0 + b >= p.sk)
            for (int r = 0; r < R; r++)
              s[r][b] = NEG_BIG;
        }

      for (int r = 0; r < R; r++)
        {
          float block_max = s[r][0];

          for (int b = 1; b < BK; b++)
            block_max = max (block_max, s[r][b]);

          const float new_max = max (m[r], block_max);
          const float alpha = exp (m[r] - new_max);

          l[r] *= alpha;
          for (int c = 0; c < D4; c++)
            acc[r][c] *= alpha;
          for (int b = 0; b < BK; b++)
            {
              s[r][b] = exp (s[r][b] - new_max);
              l[r] += s[r][b];
            }
          m[r] = new_max;
        }

      for (int b = 0; b < BK; b++)
        {
          const uint key = min (j0 + b, p.sk - 1);

          for (int c = 0; c < D4; c++)
            {
              const vec4 vv = load_row (v_buf, key, c);

              for (int r = 0; r < R; r++)
                acc[r][c] += s[r][b] * vv;
            }
        }
    }

  for (int r = 0; r < R; r++)
    {
      if (r0 + r >= p.sq)
        break;

      const uint base = ((r0 + r) * p.heads + gl_WorkGroupID.y) * p.d;
      const float inv = 1.0 / l[r];

      for (int c = 0; c < D4; c++)
        for (int e = 0; e < 4; e++)
          if (c * 4 + e < int (p.d))
            o[base + c * 4 + e] = acc[r][c][e] * inv;
    }
}
