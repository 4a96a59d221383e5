#pragma once

/* The CPU backend's ops: plain C over contiguous row-major fp32 arrays, matrix products
 * through OpenBLAS. They are the reference that every Vulkan shader is tested against, and the
 * fast path where the only Vulkan device is a software one.
 *
 * Conventions: shapes are listed outermost first; "[S, H, D]" means S rows of H heads of D
 * values. Outputs never alias inputs unless the comment says "in place is fine". Sizes are
 * int64_t so that products of dimensions cannot overflow; callers check them against memory. */

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* c[M,N] = a[M,K] · b, where b is [K,N], or [N,K] when b_transposed (the layout of a linear
 * layer's weight). */
void reel_cpu_matmul (const float *a, const float *b, float *c,
                      int64_t m, int64_t n, int64_t k, gboolean b_transposed);

/* y[M,N] = x[M,K] · w[N,K]ᵀ + bias[N]; bias may be NULL. */
void reel_cpu_linear (const float *x, const float *w, const float *bias, float *y,
                      int64_t m, int64_t n, int64_t k);

typedef struct
{
  int64_t batch, c_in, h, w;        /* input [batch, c_in, h, w] */
  int64_t c_out, kh, kw;            /* weight [c_out, c_in, kh, kw] */
  int64_t stride_h, stride_w;
  int64_t pad_h, pad_w;             /* zero padding on both sides */
} ReelConv2dShape;

/* out [batch, c_out, ho, wo] with ho = (h + 2·pad_h − kh) / stride_h + 1 (likewise wo);
 * bias may be NULL. */
void reel_cpu_conv2d (const float *x, const float *weight, const float *bias, float *out,
                      const ReelConv2dShape *shape);

typedef struct
{
  int64_t c_in, t, h, w;            /* input [c_in, t, h, w] */
  int64_t c_out, kt, kh, kw;        /* weight [c_out, c_in, kt, kh, kw] */
  int64_t stride_t, stride_h, stride_w;
  int64_t pad_h, pad_w;             /* zero padding on both sides */
  int64_t pad_t;                    /* temporal zero padding, ignored when causal */
  gboolean causal;                  /* pad kt − 1 frames on the past side only (Wan's VAE) */
} ReelConv3dShape;

/* out [c_out, to, ho, wo]; to = (t + pad_front + pad_back − kt) / stride_t + 1 where the
 * padding is (kt − 1, 0) when causal, else (pad_t, pad_t). bias may be NULL. */
void reel_cpu_conv3d (const float *x, const float *weight, const float *bias, float *out,
                      const ReelConv3dShape *shape);

/* Multi-head attention: q [sq, heads, d], k and v [sk, heads, d], out [sq, heads, d];
 * softmax(q·kᵀ·scale)·v per head, no mask. Self-attention passes the same sk as sq;
 * cross-attention passes the context length. Computed blockwise with online softmax, so the
 * scratch memory is a fixed block whatever sq and sk; the exponentials are a polynomial
 * exp2 with relative error below 1e-6, and the result agrees with the direct formula to
 * float rounding (NMSE about 1e-13 on random inputs). Large calls run on as many threads of
 * their own as OpenBLAS would use, each calling sgemm single-threaded; meanwhile OpenBLAS is
 * switched to one thread process-wide, so an sgemm elsewhere in the process runs slower
 * (never wrongly) until the call returns. */
void reel_cpu_attention (const float *q, const float *k, const float *v, float *out,
                         int64_t sq, int64_t sk, int64_t heads, int64_t d, float scale);

/* Normalise each of `rows` rows of `dim` values, as PyTorch does: layer norm is
 * (x − mean) / √(var + eps) with the biased variance (divided by dim), RMS norm is
 * x / √(mean(x²) + eps); then ·weight (+ bias). The caller passes eps (Wan uses 1e-6 for
 * both, PyTorch's default is 1e-5). Statistics are accumulated in double. weight and bias
 * may be NULL (no affine). In place is fine. */
void reel_cpu_layer_norm (const float *x, const float *weight, const float *bias, float *y,
                          int64_t rows, int64_t dim, float eps);
void reel_cpu_rms_norm (const float *x, const float *weight, float *y,
                        int64_t rows, int64_t dim, float eps);

/* x [channels, spatial]; statistics over each group of channels/groups channels × spatial,
 * normalised like layer norm (biased variance, eps under the root), then the per-channel
 * weight and bias, which may be NULL. In place is fine. */
void reel_cpu_group_norm (const float *x, const float *weight, const float *bias, float *y,
                          int64_t channels, int64_t spatial, int64_t groups, float eps);

/* Activations over n values; in place is fine. gelu_tanh is PyTorch's approximate="tanh":
 * ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), computed as x·sigmoid(2u) (the same function,
 * without cancellation); silu is x·sigmoid(x). Absolute error below 2e-6 for |x| ≤ 12;
 * far from zero both tend to 0 and to x without overflow or NaN. */
void reel_cpu_gelu_tanh (const float *x, float *y, int64_t n);
void reel_cpu_silu (const float *x, float *y, int64_t n);

/* Softmax along the last axis of [rows, dim], with each row's maximum subtracted first so
 * that any finite input is safe; in place is fine. */
void reel_cpu_softmax (const float *x, float *y, int64_t rows, int64_t dim);

/* out[i] = a[i] + b[i % b_len] (likewise ·); b_len divides n, so a row vector broadcasts over
 * rows. In place (out == a) is fine. */
void reel_cpu_add (const float *a, const float *b, float *out, int64_t n, int64_t b_len);
void reel_cpu_mul (const float *a, const float *b, float *out, int64_t n, int64_t b_len);

/* adaLN: y[r, i] = x[r, i] · (1 + scale[i]) + shift[i] for x [rows, dim]; in place is fine. */
void reel_cpu_modulate (const float *x, const float *shift, const float *scale, float *y,
                        int64_t rows, int64_t dim);

/* 3-D rotary position embedding as in Wan 2.1. x [frames·height·width, heads, d] with tokens
 * in (frame, row, column) order. Each head's d channels split into parts of d − 4⌊d/6⌋,
 * 2⌊d/6⌋ and 2⌊d/6⌋ channels driven by the frame, row and column index; within a part of size
 * p, the pair (2i, 2i+1) is rotated as a complex number by pos · theta^(−2i/p):
 * y₂ᵢ = x₂ᵢ·cos − x₂ᵢ₊₁·sin, y₂ᵢ₊₁ = x₂ᵢ·sin + x₂ᵢ₊₁·cos, with the angles computed in double
 * as Wan does (theta is 10000 there). In place is fine. */
void reel_cpu_rope3d (const float *x, float *y, int64_t frames, int64_t height, int64_t width,
                      int64_t heads, int64_t d, float theta);

typedef enum
{
  REEL_RESIZE_NEAREST,              /* source ⌊dst·in/out⌋ (PyTorch mode="nearest") */
  REEL_RESIZE_BILINEAR,             /* half-pixel centres, edge clamp (PyTorch, no align) */
} ReelResizeMode;

/* x [channels, h, w] → y [channels, out_h, out_w]. Bilinear is F.interpolate(...,
 * mode="bilinear", align_corners=False): source coordinate (dst + ½)·in/out − ½, clamped
 * at 0, the two neighbours clamped to the last pixel. */
void reel_cpu_resize (const float *x, float *y, int64_t channels, int64_t h, int64_t w,
                      int64_t out_h, int64_t out_w, ReelResizeMode mode);

/* x [c, t, h, w] → tokens [(t/pt)·(h/ph)·(w/pw), pt·ph·pw·c] in (frame, row, column) order;
 * inside a token the channel index is innermost: feature = ((it·ph + ih)·pw + iw)·c + ci.
 * t, h and w are multiples of the patch. unpatchify is the exact inverse. */
void reel_cpu_patchify (const float *x, float *tokens, int64_t c, int64_t t, int64_t h,
                        int64_t w, int64_t pt, int64_t ph, int64_t pw);
void reel_cpu_unpatchify (const float *tokens, float *x, int64_t c, int64_t t, int64_t h,
                          int64_t w, int64_t pt, int64_t ph, int64_t pw);

/* View both inputs as [outer, inner] and join along the inner axis:
 * out [outer, a_inner + b_inner]. */
void reel_cpu_concat (const float *a, const float *b, float *out, int64_t outer,
                      int64_t a_inner, int64_t b_inner);

/* x [outer, dim, inner] → out [outer, len, inner], taking dim indices start … start+len−1. */
void reel_cpu_slice (const float *x, float *out, int64_t outer, int64_t dim, int64_t inner,
                     int64_t start, int64_t len);

/* 4-D permute: out's axis i is x's axis perm[i]. shape is x's shape. */
void reel_cpu_permute (const float *x, float *out, const int64_t shape[4], const int perm[4]);

G_END_DECLS
