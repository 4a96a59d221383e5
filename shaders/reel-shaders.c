#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <string.h>

#include "reel-shaders.h"

/* One array per variant of shaders/meson.build; glslc wrote each initialiser. */
static const guint32 matmul_vec4[] =
#include "matmul_vec4.spv.h"
;
static const guint32 matmul_scalar[] =
#include "matmul_scalar.spv.h"
;
static const guint32 im2col[] =
#include "im2col.spv.h"
;
static const guint32 attention_vec4[] =
#include "attention_vec4.spv.h"
;
static const guint32 attention_scalar[] =
#include "attention_scalar.spv.h"
;
static const guint32 layer_norm[] =
#include "layer_norm.spv.h"
;
static const guint32 rms_norm[] =
#include "rms_norm.spv.h"
;
static const guint32 group_norm[] =
#include "group_norm.spv.h"
;
static const guint32 gelu_tanh[] =
#include "gelu_tanh.spv.h"
;
static const guint32 silu[] =
#include "silu.spv.h"
;
static const guint32 softmax[] =
#include "softmax.spv.h"
;
static const guint32 add[] =
#include "add.spv.h"
;
static const guint32 mul[] =
#include "mul.spv.h"
;
static const guint32 modulate[] =
#include "modulate.spv.h"
;
static const guint32 rope3d[] =
#include "rope3d.spv.h"
;
static const guint32 resize[] =
#include "resize.spv.h"
;
static const guint32 patchify[] =
#include "patchify.spv.h"
;
static const guint32 concat[] =
#include "concat.spv.h"
;
static const guint32 slice[] =
#include "slice.spv.h"
;
static const guint32 permute[] =
#include "permute.spv.h"
;

static const struct
{
  const char    *name;
  const guint32 *words;
  gsize          size;
} shaders[] = {
#define SHADER(n) { #n, n, sizeof n }
  SHADER (matmul_vec4),
  SHADER (matmul_scalar),
  SHADER (im2col),
  SHADER (attention_vec4),
  SHADER (attention_scalar),
  SHADER (layer_norm),
  SHADER (rms_norm),
  SHADER (group_norm),
  SHADER (gelu_tanh),
  SHADER (silu),
  SHADER (softmax),
  SHADER (add),
  SHADER (mul),
  SHADER (modulate),
  SHADER (rope3d),
  SHADER (resize),
  SHADER (patchify),
  SHADER (concat),
  SHADER (slice),
  SHADER (permute),
#undef SHADER
};

const guint32 *
reel_shader_lookup (const char *name,
                    gsize      *size)
{
  for (gsize i = 0; i < G_N_ELEMENTS (shaders); i++)
    if (strcmp (shaders[i].name, name) == 0)
      {
        *size = shaders[i].size;
        return shaders[i].words;
      }
  return NULL;
}
