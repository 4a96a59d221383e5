#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cpu/reel-cpu-backend.h"
#include "reel-render-error.h"
#include "reel-safetensors.h"
#include "reel-safetensors-writer.h"

/* Each malformed file and a phrase that only its specific problem produces. */
static const struct
{
  const char *file;
  const char *expected;
} malformed[] = {
  { "empty.safetensors", "expected at least 8 bytes for the header length, found 0" },
  { "four-bytes.safetensors", "expected at least 8 bytes for the header length, found 4" },
  { "header-past-eof.safetensors", "expected at least 1008 bytes for the header, found 27" },
  { "header-too-large.safetensors", "more than the 100 MB limit" },
  { "not-json.safetensors", "header is not valid JSON" },
  { "json-array.safetensors", "header is an array, not a JSON object" },
  { "json-string.safetensors", "header is a string, not a JSON object" },
  { "missing-dtype.safetensors", "tensor “w” has no “dtype”" },
  { "missing-shape.safetensors", "tensor “w” has no “shape”" },
  { "missing-offsets.safetensors", "tensor “w” has no “data_offsets”" },
  { "dtype-not-string.safetensors", "“dtype” of tensor “w” is an integer, not a string" },
  { "unknown-dtype.safetensors", "unknown dtype “F13”" },
  { "unsupported-dtype.safetensors", "has dtype I64, which Reel does not load" },
  { "entry-not-object.safetensors", "entry for tensor “w” is a string, not an object" },
  { "shape-not-array.safetensors", "“shape” of tensor “w” is an integer, not an array" },
  { "shape-float-dim.safetensors", "dimension 0 of tensor “w” is a fractional number" },
  { "negative-dim.safetensors", "dimension 0 of tensor “w” is negative (-2)" },
  { "huge-dim.safetensors", "is 2199023255552, too large for any real model" },
  { "shape-overflow.safetensors", "has more elements than any file can hold" },
  { "too-many-dims.safetensors", "tensor “w” has 9 dimensions" },
  { "negative-offset.safetensors", "data offset 0 of tensor “w” is negative or too large (-8)" },
  { "offset-overflow.safetensors", "data offset 1 of tensor “w” is negative or too large" },
  { "float-offsets.safetensors", "data offset 0 of tensor “w” is a fractional number" },
  { "offsets-not-pair.safetensors", "“data_offsets” of tensor “w” are not a pair" },
  { "begin-after-end.safetensors", "begins at byte 16 but ends before it, at 8" },
  { "size-mismatch.safetensors", "holds 16 bytes, but dtype F32 and shape [3] need 3 × 4" },
  { "dtype-size-mismatch.safetensors", "holds 16 bytes, but dtype F16 and shape [4] need 4 × 2" },
  { "end-past-file.safetensors", "the file is truncated: expected 128 bytes, found 96" },
  { "overlapping-ranges.safetensors", "tensors “a” (bytes 0–16) and “b” (bytes 8–24) overlap" },
  { "duplicate-name.safetensors", "header names “w” twice" },
  { "metadata-not-object.safetensors", "“__metadata__” is an array, not an object of strings" },
  { "metadata-non-string.safetensors", "metadata value “heads” is an integer" },
  { "deep-nesting.safetensors", "nests deeper than 16 levels" },
};

static void
test_malformed_corpus (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "safetensors-malformed", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *entry;
  guint n_files = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *path = g_build_filename (dir_path, malformed[i].file, NULL);
      g_autoptr(ReelSafetensors) st = NULL;
      g_autoptr(GError) local_error = NULL;

      g_test_message ("%s", malformed[i].file);
      st = reel_safetensors_open (path, &local_error);
      g_assert_null (st);
      g_assert_error (local_error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS);
      g_assert_nonnull (strstr (local_error->message, malformed[i].file));
      if (strstr (local_error->message, malformed[i].expected) == NULL)
        g_error ("%s: “%s” not in “%s”", malformed[i].file, malformed[i].expected,
                 local_error->message);
    }

  /* Every file in the corpus must be listed above with the error it is there to provoke. */
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      gboolean listed = FALSE;

      if (!g_str_has_suffix (entry, ".safetensors"))
        continue;
      for (gsize i = 0; i < G_N_ELEMENTS (malformed); i++)
        listed |= g_str_equal (entry, malformed[i].file);
      if (!listed)
        g_error ("%s is in the malformed corpus but not in this test", entry);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, G_N_ELEMENTS (malformed));
  g_assert_cmpuint (n_files, >=, 15);
}

static char *
temp_path (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reel-safetensors-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, name, NULL);
}

static void
remove_temp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_round_trip (void)
{
  g_autoptr(ReelSafetensorsWriter) writer = reel_safetensors_writer_new ();
  g_autoptr(ReelSafetensors) st = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = temp_path ("model.safetensors");
  g_auto(GStrv) keys = NULL;
  const float matrix[6] = { 1.0f, -2.5f, 3.25f, 0.0f, 1e-3f, -7e5f };
  const float halves[4] = { 0.5f, -1.0f, 2048.0f, 0.099975586f };
  const float brains[4] = { 1.0f, -3.0f, 0.15625f, 3.0e38f };
  const float scalar = 42.0f;
  const int64_t matrix_shape[2] = { 2, 3 };
  const int64_t vector_shape[1] = { 4 };
  const int64_t square_shape[2] = { 2, 2 };
  const int64_t empty_shape[2] = { 0, 5 };
  const ReelSafetensorsTensor *info;
  float out[6];

  reel_safetensors_writer_set_metadata (writer, "format", "pt");
  reel_safetensors_writer_set_metadata (writer, "num_heads", "12");
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "blocks.0.ffn.0.weight",
                                                  REEL_SAFETENSORS_F32, 2, matrix_shape, matrix,
                                                  &error));
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "empty", REEL_SAFETENSORS_F32, 2,
                                                  empty_shape, NULL, &error));
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "half", REEL_SAFETENSORS_F16, 1,
                                                  vector_shape, halves, &error));
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "brain", REEL_SAFETENSORS_BF16, 2,
                                                  square_shape, brains, &error));
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "scalar", REEL_SAFETENSORS_F32, 0,
                                                  NULL, &scalar, &error));
  g_assert_no_error (error);
  g_assert_true (reel_safetensors_writer_write (writer, path, &error));
  g_assert_no_error (error);

  st = reel_safetensors_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (st);
  g_assert_cmpuint (reel_safetensors_get_n_tensors (st), ==, 5);

  /* Tensors come in file order, which is the order the writer was given. */
  g_assert_cmpstr (reel_safetensors_get_tensor (st, 0)->name, ==, "blocks.0.ffn.0.weight");
  g_assert_cmpstr (reel_safetensors_get_tensor (st, 4)->name, ==, "scalar");

  info = reel_safetensors_lookup (st, "blocks.0.ffn.0.weight");
  g_assert_nonnull (info);
  g_assert_cmpint (info->dtype, ==, REEL_SAFETENSORS_F32);
  g_assert_cmpuint (info->ndim, ==, 2);
  g_assert_cmpint (info->shape[0], ==, 2);
  g_assert_cmpint (info->shape[1], ==, 3);
  g_assert_cmpint (info->n_elements, ==, 6);
  g_assert_cmpuint (info->nbytes, ==, 24);
  g_assert_true (reel_safetensors_read_f32 (st, "blocks.0.ffn.0.weight", out, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out, sizeof matrix, matrix, sizeof matrix);

  info = reel_safetensors_lookup (st, "empty");
  g_assert_cmpuint (info->ndim, ==, 2);
  g_assert_cmpint (info->n_elements, ==, 0);
  g_assert_cmpuint (info->nbytes, ==, 0);
  g_assert_true (reel_safetensors_read_f32 (st, "empty", NULL, &error));

  /* Values chosen to be exact in the narrower type: conversion must give them back. */
  info = reel_safetensors_lookup (st, "half");
  g_assert_cmpint (info->dtype, ==, REEL_SAFETENSORS_F16);
  g_assert_cmpuint (info->nbytes, ==, 8);
  g_assert_true (reel_safetensors_read_f32 (st, "half", out, &error));
  g_assert_cmpmem (out, sizeof halves, halves, sizeof halves);

  info = reel_safetensors_lookup (st, "brain");
  g_assert_cmpint (info->dtype, ==, REEL_SAFETENSORS_BF16);
  g_assert_true (reel_safetensors_read_f32 (st, "brain", out, &error));
  g_assert_cmpfloat (out[0], ==, 1.0f);
  g_assert_cmpfloat (out[1], ==, -3.0f);
  g_assert_cmpfloat (out[2], ==, 0.15625f);
  /* 3e38 is not a bfloat16; it rounds to the nearest one. */
  g_assert_cmpfloat (out[3], ==, reel_bf16_to_float (reel_float_to_bf16 (3.0e38f)));
  g_assert_cmpfloat (fabsf (out[3] - 3.0e38f) / 3.0e38f, <, 1.0f / 256);

  info = reel_safetensors_lookup (st, "scalar");
  g_assert_cmpuint (info->ndim, ==, 0);
  g_assert_cmpint (info->n_elements, ==, 1);
  g_assert_true (reel_safetensors_read_f32 (st, "scalar", out, &error));
  g_assert_cmpfloat (out[0], ==, 42.0f);

  /* The writer pads the header so that data starts 8-byte aligned in the file. */
  info = reel_safetensors_get_tensor (st, 0);
  g_assert_cmpuint (GPOINTER_TO_SIZE (info->data) % 8, ==, 0);

  g_assert_cmpstr (reel_safetensors_get_metadata (st, "format"), ==, "pt");
  g_assert_cmpstr (reel_safetensors_get_metadata (st, "num_heads"), ==, "12");
  g_assert_null (reel_safetensors_get_metadata (st, "missing"));
  keys = reel_safetensors_dup_metadata_keys (st);
  g_assert_cmpuint (g_strv_length (keys), ==, 2);
  g_assert_cmpstr (keys[0], ==, "format");
  g_assert_cmpstr (keys[1], ==, "num_heads");

  g_assert_false (reel_safetensors_read_f32 (st, "blocks.1.ffn.0.weight", out, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS);
  g_assert_nonnull (strstr (error->message, "no tensor named “blocks.1.ffn.0.weight”"));
  g_assert_nonnull (strstr (error->message, "model.safetensors"));

  g_clear_pointer (&st, reel_safetensors_unref);
  remove_temp (path);
}

static GBytes *
file_with_raw_u16 (const char            *name,
                   ReelSafetensorsDtype   dtype,
                   const guint16         *bits,
                   int64_t                n)
{
  g_autoptr(ReelSafetensorsWriter) writer = reel_safetensors_writer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree guint16 *le = g_new (guint16, n);

  for (int64_t i = 0; i < n; i++)
    le[i] = GUINT16_TO_LE (bits[i]);
  g_assert_true (reel_safetensors_writer_add (writer, name, dtype, 1, &n, le, &error));
  g_assert_no_error (error);
  return reel_safetensors_writer_to_bytes (writer);
}

static void
test_half_conversion (void)
{
  static const struct
  {
    guint16 bits;
    float value;
  } halves[] = {
    { 0x0000, 0.0f },
    { 0x3c00, 1.0f },
    { 0xc000, -2.0f },
    { 0x3555, 0.333251953125f },
    { 0x7bff, 65504.0f },
    { 0x0400, 0x1p-14f },           /* smallest normal */
    { 0x0001, 0x1p-24f },           /* smallest subnormal */
    { 0x03ff, 1023 * 0x1p-24f },    /* largest subnormal */
    { 0x8001, -0x1p-24f },
  };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelSafetensors) st = NULL;
  g_autoptr(GError) error = NULL;
  guint16 bits[G_N_ELEMENTS (halves) + 4];
  float out[G_N_ELEMENTS (halves) + 4];
  gsize n = G_N_ELEMENTS (halves);

  for (gsize i = 0; i < n; i++)
    bits[i] = halves[i].bits;
  bits[n] = 0x7c00;                 /* +inf */
  bits[n + 1] = 0xfc00;             /* −inf */
  bits[n + 2] = 0x7e00;             /* NaN */
  bits[n + 3] = 0x8000;             /* −0 */

  bytes = file_with_raw_u16 ("h", REEL_SAFETENSORS_F16, bits, n + 4);
  st = reel_safetensors_new_from_bytes (bytes, "halves.safetensors", &error);
  g_assert_no_error (error);
  g_assert_true (reel_safetensors_read_f32 (st, "h", out, &error));
  g_assert_no_error (error);

  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (out[i], ==, halves[i].value);
  g_assert_true (isinf (out[n]) && out[n] > 0);
  g_assert_true (isinf (out[n + 1]) && out[n + 1] < 0);
  g_assert_true (isnan (out[n + 2]));
  g_assert_cmpfloat (out[n + 3], ==, 0.0f);
  g_assert_true (signbit (out[n + 3]));

  /* Every half survives a round trip through fp32 bit for bit (NaNs stay NaN). */
  for (guint32 h = 0; h <= 0xffff; h++)
    {
      float f = reel_half_to_float ((guint16) h);

      if (isnan (f))
        g_assert_true (isnan (reel_half_to_float (reel_float_to_half (f))));
      else
        g_assert_cmphex (reel_float_to_half (f), ==, h);
    }

  /* Rounding: to nearest, ties to even, overflow to infinity, underflow to zero. */
  g_assert_cmphex (reel_float_to_half (1.0f + 0x1p-11f), ==, 0x3c00);
  g_assert_cmphex (reel_float_to_half (1.0f + 3 * 0x1p-11f), ==, 0x3c02);
  g_assert_cmphex (reel_float_to_half (65519.0f), ==, 0x7bff);
  g_assert_cmphex (reel_float_to_half (65520.0f), ==, 0x7c00);
  g_assert_cmphex (reel_float_to_half (-1e9f), ==, 0xfc00);
  g_assert_cmphex (reel_float_to_half (0x1p-25f), ==, 0x0000);
  g_assert_cmphex (reel_float_to_half (0x1.0002p-25f), ==, 0x0001);
  g_assert_cmphex (reel_float_to_half (3 * 0x1p-25f), ==, 0x0002);
  g_assert_cmphex (reel_float_to_half (0x1.ffcp-15f), ==, 0x0400);
}

static void
test_bf16_conversion (void)
{
  static const struct
  {
    guint16 bits;
    float value;
  } brains[] = {
    { 0x3f80, 1.0f },
    { 0xc040, -3.0f },
    { 0x3e20, 0.15625f },
    { 0x7f7f, 0x1.fep127f },        /* largest finite */
    { 0x0080, 0x1p-126f },          /* smallest normal */
    { 0x0001, 0x1p-133f },          /* smallest subnormal */
  };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelSafetensors) st = NULL;
  g_autoptr(GError) error = NULL;
  guint16 bits[G_N_ELEMENTS (brains) + 2];
  float out[G_N_ELEMENTS (brains) + 2];
  gsize n = G_N_ELEMENTS (brains);

  for (gsize i = 0; i < n; i++)
    bits[i] = brains[i].bits;
  bits[n] = 0xff80;                 /* −inf */
  bits[n + 1] = 0x7fc0;             /* NaN */

  bytes = file_with_raw_u16 ("b", REEL_SAFETENSORS_BF16, bits, n + 2);
  st = reel_safetensors_new_from_bytes (bytes, "brains.safetensors", &error);
  g_assert_no_error (error);
  g_assert_true (reel_safetensors_read_f32 (st, "b", out, &error));
  g_assert_no_error (error);

  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (out[i], ==, brains[i].value);
  g_assert_true (isinf (out[n]) && out[n] < 0);
  g_assert_true (isnan (out[n + 1]));

  for (guint32 b = 0; b <= 0xffff; b++)
    {
      float f = reel_bf16_to_float ((guint16) b);

      if (isnan (f))
        g_assert_true (isnan (reel_bf16_to_float (reel_float_to_bf16 (f))));
      else
        g_assert_cmphex (reel_float_to_bf16 (f), ==, b);
    }
  g_assert_cmphex (reel_float_to_bf16 (1.0f + 0x1p-8f), ==, 0x3f80);
  g_assert_cmphex (reel_float_to_bf16 (1.0f + 3 * 0x1p-8f), ==, 0x3f82);
}

static void
test_wan_prefix (void)
{
  g_autoptr(ReelSafetensorsWriter) writer = reel_safetensors_writer_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelSafetensors) st = NULL;
  g_autoptr(GError) error = NULL;
  const float q[2] = { 1.0f, 2.0f };
  const float head[2] = { 3.0f, 4.0f };
  const int64_t shape[1] = { 2 };
  float out[2];
  const char *prefixed = "model.diffusion_model.blocks.0.self_attn.q.weight";

  /* Repackaged Wan files prefix their names and ours do not: a lookup must find a tensor
   * under either spelling, whichever the file uses. */
  g_assert_true (reel_safetensors_writer_add_f32 (writer, prefixed, REEL_SAFETENSORS_F32, 1,
                                                  shape, q, &error));
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "head.head.weight",
                                                  REEL_SAFETENSORS_F32, 1, shape, head, &error));
  bytes = reel_safetensors_writer_to_bytes (writer);
  st = reel_safetensors_new_from_bytes (bytes, "wan.safetensors", &error);
  g_assert_no_error (error);

  g_assert_true (reel_safetensors_lookup (st, "blocks.0.self_attn.q.weight")
                 == reel_safetensors_lookup (st,
                                             "model.diffusion_model.blocks.0.self_attn.q.weight"));
  g_assert_nonnull (reel_safetensors_lookup (st, "blocks.0.self_attn.q.weight"));
  g_assert_true (reel_safetensors_read_f32 (st, "blocks.0.self_attn.q.weight", out, &error));
  g_assert_cmpfloat (out[1], ==, 2.0f);
  g_assert_true (reel_safetensors_read_f32 (st, "model.diffusion_model.head.head.weight", out,
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (out[0], ==, 3.0f);
  g_assert_null (reel_safetensors_lookup (st, "blocks.0.self_attn.k.weight"));
  g_assert_null (reel_safetensors_lookup (st, "model.diffusion_model."));
}

/* Cutting a valid file anywhere must give an error, never a crash or a partial model. */
static void
test_every_truncation (void)
{
  g_autoptr(ReelSafetensorsWriter) writer = reel_safetensors_writer_new ();
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GError) error = NULL;
  const float values[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  const int64_t shape[2] = { 2, 4 };
  gsize size;

  reel_safetensors_writer_set_metadata (writer, "format", "pt");
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "a", REEL_SAFETENSORS_F16, 2, shape,
                                                  values, &error));
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "b", REEL_SAFETENSORS_F32, 2, shape,
                                                  values, &error));
  whole = reel_safetensors_writer_to_bytes (writer);
  size = g_bytes_get_size (whole);

  for (gsize cut = 0; cut < size; cut++)
    {
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (whole, 0, cut);
      g_autoptr(ReelSafetensors) st = NULL;
      g_autoptr(GError) local_error = NULL;

      st = reel_safetensors_new_from_bytes (part, "cut.safetensors", &local_error);
      g_assert_null (st);
      g_assert_error (local_error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS);
      g_assert_nonnull (strstr (local_error->message, "cut.safetensors"));
    }
}

static void
test_zero_size_tensors_overlap_nothing (void)
{
  /* A safetensors writer may place empty tensors at any offset, including inside another
   * tensor's range; they hold no bytes, so this is not an overlap. */
  static const char header[] =
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
    "\"e\":{\"dtype\":\"F16\",\"shape\":[3,0],\"data_offsets\":[8,8]}}";
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelSafetensors) st = NULL;
  g_autoptr(GError) error = NULL;
  guint64 length = GUINT64_TO_LE (sizeof header - 1);
  guint8 data[16] = { 0 };

  g_byte_array_append (file, (const guint8 *) &length, 8);
  g_byte_array_append (file, (const guint8 *) header, sizeof header - 1);
  g_byte_array_append (file, data, sizeof data);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&file));

  st = reel_safetensors_new_from_bytes (bytes, "empty-inside.safetensors", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_safetensors_get_n_tensors (st), ==, 2);
  g_assert_cmpint (reel_safetensors_lookup (st, "e")->n_elements, ==, 0);
}

static GBytes *
file_with_header (const char *header)
{
  GByteArray *file = g_byte_array_new ();
  guint64 length = GUINT64_TO_LE (strlen (header));

  g_byte_array_append (file, (const guint8 *) &length, 8);
  g_byte_array_append (file, (const guint8 *) header, strlen (header));
  return g_byte_array_free_to_bytes (file);
}

static void
test_deep_nesting (void)
{
  const gsize depth = 1000000;
  GString *header = g_string_new ("{\"w\":");
  g_autofree char *text = NULL;
  g_autoptr(GBytes) deep = NULL;
  g_autoptr(GBytes) quoted = NULL;
  g_autoptr(ReelSafetensors) st = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *brackets = g_strnfill (40, '[');

  /* json-glib recurses once per level: without the reader's own depth check, this header
   * overflows the stack. */
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (header, '[');
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (header, ']');
  g_string_append_c (header, '}');
  text = g_string_free (header, FALSE);
  deep = file_with_header (text);
  st = reel_safetensors_new_from_bytes (deep, "deep.safetensors", &error);
  g_assert_null (st);
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS);
  g_assert_nonnull (strstr (error->message, "nests deeper than"));
  g_clear_error (&error);

  /* Brackets inside strings are not nesting, and escaped quotes do not end a string. */
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf ("{\"__metadata__\":{\"note\":\"\\\"%s\"}}", brackets);
  quoted = file_with_header (text);
  st = reel_safetensors_new_from_bytes (quoted, "quoted.safetensors", &error);
  g_assert_no_error (error);
  g_assert_nonnull (st);
  g_assert_true (g_str_has_suffix (reel_safetensors_get_metadata (st, "note"), "[[["));
  g_assert_cmpuint (reel_safetensors_get_n_tensors (st), ==, 0);
}

static void
test_writer_rejects (void)
{
  g_autoptr(ReelSafetensorsWriter) writer = reel_safetensors_writer_new ();
  g_autoptr(GError) error = NULL;
  const float v = 1.0f;
  const int64_t one = 1, negative = -1;

  g_assert_true (reel_safetensors_writer_add_f32 (writer, "w", REEL_SAFETENSORS_F32, 1, &one,
                                                  &v, &error));
  g_assert_false (reel_safetensors_writer_add_f32 (writer, "w", REEL_SAFETENSORS_F16, 1, &one,
                                                   &v, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "already"));
  g_clear_error (&error);
  g_assert_false (reel_safetensors_writer_add_f32 (writer, "__metadata__",
                                                   REEL_SAFETENSORS_F32, 1, &one, &v, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (reel_safetensors_writer_add_f32 (writer, "n", REEL_SAFETENSORS_F32, 1,
                                                   &negative, &v, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT);
}

static void
test_sha256 (void)
{
  /* FIPS 180-2's first example: SHA-256("abc"). */
  static const char abc_sha256[] =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  g_autofree char *path = temp_path ("abc.safetensors");
  g_autofree char *upper = g_ascii_strup (abc_sha256, -1);
  g_autofree char *wrong = g_strdup (abc_sha256);
  g_autofree char *missing = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "abc", 3, &error));
  g_assert_no_error (error);

  g_assert_true (reel_safetensors_verify_sha256 (path, abc_sha256, &error));
  g_assert_no_error (error);
  g_assert_true (reel_safetensors_verify_sha256 (path, upper, &error));
  g_assert_no_error (error);

  wrong[63] = 'e';
  g_assert_false (reel_safetensors_verify_sha256 (path, wrong, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS);
  g_assert_nonnull (strstr (error->message, "abc.safetensors"));
  g_assert_nonnull (strstr (error->message, abc_sha256));
  g_assert_nonnull (strstr (error->message, "Download the model again"));
  g_clear_error (&error);

  g_assert_false (reel_safetensors_verify_sha256 (path, "ba7816bf", &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "model card"));
  g_clear_error (&error);

  missing = g_strconcat (path, ".missing", NULL);
  g_assert_false (reel_safetensors_verify_sha256 (missing, abc_sha256, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS);
  g_clear_error (&error);
  g_assert_null (reel_safetensors_open (missing, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS);
  g_assert_nonnull (strstr (error->message, "abc.safetensors.missing"));

  remove_temp (path);
}

static void
test_load_on_backend (void)
{
  g_autoptr(ReelSafetensorsWriter) writer = reel_safetensors_writer_new ();
  g_autoptr(ReelBackend) backend = reel_cpu_backend_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelSafetensors) st = NULL;
  g_autoptr(ReelTensor) matrix = NULL;
  g_autoptr(ReelTensor) deep = NULL;
  g_autoptr(ReelTensor) scalar = NULL;
  g_autoptr(GError) error = NULL;
  const int64_t matrix_shape[2] = { 3, 4 };
  const int64_t deep_shape[7] = { 2, 1, 3, 1, 1, 2, 2 };
  const int64_t empty_shape[1] = { 0 };
  float values[24], out[24];

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    values[i] = (float) i * 0.5f - 3.0f;
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "model.diffusion_model.m",
                                                  REEL_SAFETENSORS_F16, 2, matrix_shape, values,
                                                  &error));
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "deep", REEL_SAFETENSORS_BF16, 7,
                                                  deep_shape, values, &error));
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "s", REEL_SAFETENSORS_F32, 0, NULL,
                                                  values + 7, &error));
  g_assert_true (reel_safetensors_writer_add_f32 (writer, "e", REEL_SAFETENSORS_F32, 1,
                                                  empty_shape, NULL, &error));
  bytes = reel_safetensors_writer_to_bytes (writer);
  st = reel_safetensors_new_from_bytes (bytes, "backend.safetensors", &error);
  g_assert_no_error (error);

  /* Halves of multiples of 0.5 in this range are exact in f16 and bf16. */
  matrix = reel_safetensors_load_tensor (st, backend, "m", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_tensor_get_n_dims (matrix), ==, 2);
  g_assert_cmpint (reel_tensor_get_dim (matrix, 0), ==, 3);
  g_assert_cmpint (reel_tensor_get_dim (matrix, 1), ==, 4);
  g_assert_true (reel_backend_download (backend, matrix, out, &error));
  g_assert_cmpmem (out, 12 * sizeof (float), values, 12 * sizeof (float));

  /* Seven dimensions fold their three leading ones into the first of five. */
  deep = reel_safetensors_load_tensor (st, backend, "deep", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_tensor_get_n_dims (deep), ==, 5);
  g_assert_cmpint (reel_tensor_get_dim (deep, 0), ==, 6);
  g_assert_cmpint (reel_tensor_get_dim (deep, 1), ==, 1);
  g_assert_cmpint (reel_tensor_get_dim (deep, 2), ==, 1);
  g_assert_cmpint (reel_tensor_get_dim (deep, 3), ==, 2);
  g_assert_cmpint (reel_tensor_get_dim (deep, 4), ==, 2);
  g_assert_true (reel_backend_download (backend, deep, out, &error));
  g_assert_cmpmem (out, sizeof values, values, sizeof values);

  scalar = reel_safetensors_load_tensor (st, backend, "s", &error);
  g_assert_no_error (error);
  g_assert_cmpint (reel_tensor_get_n_elements (scalar), ==, 1);
  g_assert_true (reel_backend_download (backend, scalar, out, &error));
  g_assert_cmpfloat (out[0], ==, values[7]);

  g_assert_null (reel_safetensors_load_tensor (st, backend, "e", &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS);
  g_assert_nonnull (strstr (error->message, "tensor “e” is empty (shape [0])"));
  g_clear_error (&error);
  g_assert_null (reel_safetensors_load_tensor (st, backend, "missing", &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS);
  g_assert_nonnull (strstr (error->message, "no tensor named “missing”"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/safetensors/malformed-corpus", test_malformed_corpus);
  g_test_add_func ("/safetensors/round-trip", test_round_trip);
  g_test_add_func ("/safetensors/half-conversion", test_half_conversion);
  g_test_add_func ("/safetensors/bf16-conversion", test_bf16_conversion);
  g_test_add_func ("/safetensors/wan-prefix", test_wan_prefix);
  g_test_add_func ("/safetensors/every-truncation", test_every_truncation);
  g_test_add_func ("/safetensors/zero-size-tensors", test_zero_size_tensors_overlap_nothing);
  g_test_add_func ("/safetensors/deep-nesting", test_deep_nesting);
  g_test_add_func ("/safetensors/writer-rejects", test_writer_rejects);
  g_test_add_func ("/safetensors/sha256", test_sha256);
  g_test_add_func ("/safetensors/load-on-backend", test_load_on_backend);

  return g_test_run ();
}
