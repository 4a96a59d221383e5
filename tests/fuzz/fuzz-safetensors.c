#define G_LOG_DOMAIN "reel-fuzz"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "fuzz-target.h"
#include "reel-render-error.h"
#include "reel-safetensors.h"

/* Parses the input as a safetensors file and, when it is accepted, touches everything the
 * reader hands out, so that AddressSanitizer sees any tensor that points outside the input. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelSafetensors) st = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keys = NULL;
  const guint8 *previous_end = data;
  static gboolean initialised;

  /* A warning or critical from the parser on hostile input is a bug too. */
  if (!initialised)
    {
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      initialised = TRUE;
    }

  bytes = g_bytes_new_static (data, size);
  st = reel_safetensors_new_from_bytes (bytes, "fuzz.safetensors", &error);
  if (st == NULL)
    {
      g_assert_true (g_error_matches (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS));
      g_assert_nonnull (strstr (error->message, "fuzz.safetensors"));
      return 0;
    }
  g_assert_no_error (error);

  for (guint i = 0; i < reel_safetensors_get_n_tensors (st); i++)
    {
      const ReelSafetensorsTensor *info = reel_safetensors_get_tensor (st, i);
      g_autofree float *values = NULL;

      /* What the reader promises of an accepted file: tensors in data order, and no two that
       * hold bytes share any. */
      if (info->nbytes > 0)
        {
          g_assert_true (info->data >= previous_end);
          previous_end = info->data + info->nbytes;
        }

      g_assert_true (info->nbytes == (gsize) info->n_elements
                                * reel_safetensors_dtype_size (info->dtype));
      g_assert_true (info->data >= data && info->data + info->nbytes <= data + size);
      g_assert_nonnull (reel_safetensors_lookup (st, info->name));

      values = g_new (float, MAX (info->n_elements, 1));
      if (!reel_safetensors_read_f32 (st, info->name, values, &error))
        g_error ("%s", error->message);
    }

  keys = reel_safetensors_dup_metadata_keys (st);
  for (guint i = 0; keys[i] != NULL; i++)
    g_assert_nonnull (reel_safetensors_get_metadata (st, keys[i]));
  return 0;
}
