#pragma once

/* Host mirrors of the shaders' push-constant blocks (shaders/<op>.comp), field for field.
 * Vulkan guarantees only 128 bytes of push constants. */

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint32 m, n, k;
  guint32 ldb, ldc, c_off;
} ReelVkMatmulPush;                     /* matmul.comp */

typedef struct
{
  guint32 c_in, t, h, w;
  guint32 kt, kh, kw;
  guint32 st, sh, sw;
  guint32 pad_t, pad_h, pad_w;
  guint32 ho, wo;
  guint32 row_start, n_rows, ldb;
  guint32 x_off;
} ReelVkIm2colPush;                     /* im2col.comp */

typedef struct
{
  guint32 sq, sk, heads, d;
  float   scale;
} ReelVkAttentionPush;                  /* attention.comp */

typedef struct
{
  guint32 rows, dim, spatial, group_channels;
  float   eps;
} ReelVkNormPush;                       /* norm.comp */

typedef struct
{
  guint32 n;
} ReelVkUnaryPush;                      /* unary.comp */

typedef struct
{
  guint32 n, b_len;
} ReelVkBinaryPush;                     /* binary.comp */

typedef struct
{
  guint32 n, dim;
} ReelVkModulatePush;                   /* modulate.comp */

typedef struct
{
  guint32 rows, dim;
} ReelVkSoftmaxPush;                    /* softmax.comp */

typedef struct
{
  guint32 n_pairs, height, width, heads, d;
  float   log_theta;
} ReelVkRopePush;                       /* rope3d.comp */

typedef struct
{
  guint32 n, h, w, out_h, out_w;
  float   scale_h, scale_w;
} ReelVkResizePush;                     /* resize.comp */

typedef struct
{
  guint32 n, c, t, h, w, pt, ph, pw;
} ReelVkPatchifyPush;                   /* patchify.comp */

typedef struct
{
  guint32 n, s0, s1, s2, s3, perm;
} ReelVkCopyPush;                       /* copy.comp */

G_STATIC_ASSERT (sizeof (ReelVkMatmulPush) <= 128);
G_STATIC_ASSERT (sizeof (ReelVkIm2colPush) <= 128);
G_STATIC_ASSERT (sizeof (ReelVkAttentionPush) <= 128);
G_STATIC_ASSERT (sizeof (ReelVkNormPush) <= 128);
G_STATIC_ASSERT (sizeof (ReelVkUnaryPush) <= 128);
G_STATIC_ASSERT (sizeof (ReelVkBinaryPush) <= 128);
G_STATIC_ASSERT (sizeof (ReelVkModulatePush) <= 128);
G_STATIC_ASSERT (sizeof (ReelVkSoftmaxPush) <= 128);
G_STATIC_ASSERT (sizeof (ReelVkRopePush) <= 128);
G_STATIC_ASSERT (sizeof (ReelVkResizePush) <= 128);
G_STATIC_ASSERT (sizeof (ReelVkPatchifyPush) <= 128);
G_STATIC_ASSERT (sizeof (ReelVkCopyPush) <= 128);

G_END_DECLS
