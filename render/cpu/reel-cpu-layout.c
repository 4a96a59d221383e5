#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "reel-cpu-ops.h"

/* Ops that only move values. Each copies whole contiguous runs with memcpy where the layout
 * has them, and otherwise walks the output in order so writes stay sequential. */

/* Nearest follows PyTorch's mode="nearest": source index ⌊dst · in/out⌋ (clamped), the
 * same as OpenCV's INTER_NEAREST. Bilinear follows mode="bilinear", align_corners=False:
 * source coordinate (dst + ½)·in/out − ½, clamped at 0 below, neighbours clamped at the edge;
 * this is what Wan's and most diffusion code's F.interpolate calls do. */
typedef struct
{
  int64_t i0, i1;
  float   frac;
} ResizeTap;

static ResizeTap *
resize_taps (int64_t        in,
             int64_t        out,
             ReelResizeMode mode)
{
  ResizeTap *taps = g_new (ResizeTap, (gsize) out);
  const double scale = (double) in / (double) out;

  for (int64_t i = 0; i < out; i++)
    {
      if (mode == REEL_RESIZE_NEAREST)
        {
          int64_t src = MIN ((int64_t) floor ((double) i * scale), in - 1);

          taps[i] = (ResizeTap) { src, src, 0.0f };
        }
      else
        {
          double src = MAX (((double) i + 0.5) * scale - 0.5, 0.0);
          int64_t i0 = MIN ((int64_t) src, in - 1);

          taps[i] = (ResizeTap) { i0, MIN (i0 + 1, in - 1), (float) (src - (double) i0) };
        }
    }
  return taps;
}

void
reel_cpu_resize (const float    *x,
                 float          *y,
                 int64_t         channels,
                 int64_t         h,
                 int64_t         w,
                 int64_t         out_h,
                 int64_t         out_w,
                 ReelResizeMode  mode)
{
  g_autofree ResizeTap *ty = resize_taps (h, out_h, mode);
  g_autofree ResizeTap *tx = resize_taps (w, out_w, mode);

  for (int64_t c = 0; c < channels; c++)
    {
      const float *xc = x + c * h * w;
      float *yc = y + c * out_h * out_w;

      for (int64_t oy = 0; oy < out_h; oy++)
        {
          const float *r0 = xc + ty[oy].i0 * w, *r1 = xc + ty[oy].i1 * w;
          const float fy = ty[oy].frac;
          float *yr = yc + oy * out_w;

          for (int64_t ox = 0; ox < out_w; ox++)
            {
              const ResizeTap t = tx[ox];
              float top = r0[t.i0] + (r0[t.i1] - r0[t.i0]) * t.frac;
              float bottom = r1[t.i0] + (r1[t.i1] - r1[t.i0]) * t.frac;

              yr[ox] = top + (bottom - top) * fy;
            }
        }
    }
}

/* Patchify and unpatchify are one walk with the copy direction as a flag: for every token
 * and every (it, ih, iw) inside its patch, the c channels are strided by t·h·w in x and
 * contiguous in the token. */
static void
patch_walk (float   *x,
            float   *tokens,
            int64_t  c,
            int64_t  t,
            int64_t  h,
            int64_t  w,
            int64_t  pt,
            int64_t  ph,
            int64_t  pw,
            gboolean to_tokens)
{
  const int64_t plane = t * h * w;
  float *tok = tokens;

  for (int64_t ot = 0; ot < t / pt; ot++)
    for (int64_t oy = 0; oy < h / ph; oy++)
      for (int64_t ox = 0; ox < w / pw; ox++)
        for (int64_t it = 0; it < pt; it++)
          for (int64_t iy = 0; iy < ph; iy++)
            for (int64_t ix = 0; ix < pw; ix++)
              {
                float *px = x + ((ot * pt + it) * h + oy * ph + iy) * w + ox * pw + ix;

                if (to_tokens)
                  for (int64_t ci = 0; ci < c; ci++)
                    tok[ci] = px[ci * plane];
                else
                  for (int64_t ci = 0; ci < c; ci++)
                    px[ci * plane] = tok[ci];
                tok += c;
              }
}

void
reel_cpu_patchify (const float *x,
                   float       *tokens,
                   int64_t      c,
                   int64_t      t,
                   int64_t      h,
                   int64_t      w,
                   int64_t      pt,
                   int64_t      ph,
                   int64_t      pw)
{
  g_return_if_fail (t % pt == 0 && h % ph == 0 && w % pw == 0);

  /* patch_walk only reads x when to_tokens is set. */
  patch_walk ((float *) x, tokens, c, t, h, w, pt, ph, pw, TRUE);
}

void
reel_cpu_unpatchify (const float *tokens,
                     float       *x,
                     int64_t      c,
                     int64_t      t,
                     int64_t      h,
                     int64_t      w,
                     int64_t      pt,
                     int64_t      ph,
                     int64_t      pw)
{
  g_return_if_fail (t % pt == 0 && h % ph == 0 && w % pw == 0);

  patch_walk (x, (float *) tokens, c, t, h, w, pt, ph, pw, FALSE);
}

void
reel_cpu_concat (const float *a,
                 const float *b,
                 float       *out,
                 int64_t      outer,
                 int64_t      a_inner,
                 int64_t      b_inner)
{
  const int64_t row = a_inner + b_inner;

  for (int64_t o = 0; o < outer; o++)
    {
      memcpy (out + o * row, a + o * a_inner, (size_t) a_inner * sizeof (float));
      memcpy (out + o * row + a_inner, b + o * b_inner, (size_t) b_inner * sizeof (float));
    }
}

void
reel_cpu_slice (const float *x,
                float       *out,
                int64_t      outer,
                int64_t      dim,
                int64_t      inner,
                int64_t      start,
                int64_t      len)
{
  g_return_if_fail (start >= 0 && len >= 0 && start + len <= dim);

  for (int64_t o = 0; o < outer; o++)
    memcpy (out + o * len * inner, x + (o * dim + start) * inner,
            (size_t) (len * inner) * sizeof (float));
}

void
reel_cpu_permute (const float   *x,
                  float         *out,
                  const int64_t  shape[4],
                  const int      perm[4])
{
  int64_t x_stride[4], s[4], st[4];

  x_stride[3] = 1;
  for (int i = 2; i >= 0; i--)
    x_stride[i] = x_stride[i + 1] * shape[i + 1];
  /* Output axis i walks x's axis perm[i]. */
  for (int i = 0; i < 4; i++)
    {
      g_return_if_fail (perm[i] >= 0 && perm[i] < 4);
      s[i] = shape[perm[i]];
      st[i] = x_stride[perm[i]];
    }

  for (int64_t i0 = 0; i0 < s[0]; i0++)
    for (int64_t i1 = 0; i1 < s[1]; i1++)
      for (int64_t i2 = 0; i2 < s[2]; i2++)
        {
          const float *src = x + i0 * st[0] + i1 * st[1] + i2 * st[2];

          if (st[3] == 1)
            {
              memcpy (out, src, (size_t) s[3] * sizeof (float));
            }
          else
            {
              for (int64_t i3 = 0; i3 < s[3]; i3++)
                out[i3] = src[i3 * st[3]];
            }
          out += s[3];
        }
}
