#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "reel-backend.h"
#include "reel-render-error.h"
#include "reel-safetensors.h"

/* The reference implementation refuses larger headers; so do we, before parsing anything. */
#define MAX_HEADER_BYTES (100u * 1000u * 1000u)
/* No real checkpoint has a dimension near this, and it keeps every product of a handful of
 * dimensions far from overflowing before the checked multiplication even runs. */
#define MAX_DIM ((int64_t) 1 << 40)
/* A valid header nests three levels deep (root, tensor entry, shape); json-glib's parser
 * recurses once per level, so a hostile header of nested brackets would overflow the stack. */
#define MAX_JSON_DEPTH 16

#define WAN_PREFIX "model.diffusion_model."

typedef struct
{
  ReelSafetensorsTensor info;
  guint64 begin;
  guint64 end;
} Entry;

struct _ReelSafetensors
{
  gatomicrefcount ref_count;
  char *display_name;
  GBytes *bytes;
  GArray *entries;              /* Entry, sorted by begin */
  GStringChunk *names;          /* storage for every Entry's name */
  GHashTable *by_name;          /* name → index + 1 */
  GHashTable *metadata;         /* string → string */
};

static const struct
{
  const char *name;
  ReelSafetensorsDtype dtype;
  gsize size;
} supported_dtypes[] = {
  { "F32", REEL_SAFETENSORS_F32, 4 },
  { "F16", REEL_SAFETENSORS_F16, 2 },
  { "BF16", REEL_SAFETENSORS_BF16, 2 },
};

/* Valid safetensors dtypes that Reel does not load: named separately so that the message can
 * say "convert the model" rather than "the file is damaged". */
static const char * const other_dtypes[] = {
  "F64", "I64", "I32", "I16", "I8", "U64", "U32", "U16", "U8", "BOOL", "F8_E4M3", "F8_E5M2",
  "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64",
};

const char *
reel_safetensors_dtype_to_string (ReelSafetensorsDtype dtype)
{
  for (gsize i = 0; i < G_N_ELEMENTS (supported_dtypes); i++)
    if (supported_dtypes[i].dtype == dtype)
      return supported_dtypes[i].name;
  g_return_val_if_reached (NULL);
}

gsize
reel_safetensors_dtype_size (ReelSafetensorsDtype dtype)
{
  for (gsize i = 0; i < G_N_ELEMENTS (supported_dtypes); i++)
    if (supported_dtypes[i].dtype == dtype)
      return supported_dtypes[i].size;
  g_return_val_if_reached (0);
}

static float
float_from_bits (guint32 bits)
{
  float f;

  memcpy (&f, &bits, sizeof f);
  return f;
}

static guint32
bits_from_float (float f)
{
  guint32 bits;

  memcpy (&bits, &f, sizeof bits);
  return bits;
}

float
reel_half_to_float (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16;
  guint32 exponent = (h >> 10) & 0x1f;
  guint32 mantissa = h & 0x3ff;

  if (exponent == 0)
    {
      /* Zero or subnormal: mantissa · 2⁻²⁴, exact in fp32. */
      float magnitude = (float) mantissa * 0x1p-24f;
      return sign ? -magnitude : magnitude;
    }
  if (exponent == 31)
    return float_from_bits (sign | 0x7f800000 | (mantissa << 13));
  return float_from_bits (sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
}

float
reel_bf16_to_float (guint16 b)
{
  return float_from_bits ((guint32) b << 16);
}

guint16
reel_float_to_half (float f)
{
  guint32 x = bits_from_float (f);
  guint32 sign = (x >> 16) & 0x8000;
  guint32 magnitude = x & 0x7fffffff;
  guint32 rounded, rest;

  if (magnitude > 0x7f800000)
    return (guint16) (sign | 0x7e00 | ((magnitude >> 13) & 0x3ff));
  /* 65520 is halfway between the largest half (65504) and infinity, and ties go to even,
   * which is infinity. */
  if (magnitude >= 0x477ff000)
    return (guint16) (sign | 0x7c00);
  if (magnitude < 0x38800000)
    {
      /* Below the smallest normal half, 2⁻¹⁴: the result is a subnormal in units of 2⁻²⁴. */
      guint32 exponent = magnitude >> 23;
      guint32 mantissa = (magnitude & 0x7fffff) | 0x800000;
      guint32 shift, halfway;

      if (exponent < 102)
        return (guint16) sign;
      shift = 126 - exponent;
      rounded = mantissa >> shift;
      rest = mantissa & ((1u << shift) - 1);
      halfway = 1u << (shift - 1);
      if (rest > halfway || (rest == halfway && (rounded & 1)))
        rounded++;
      return (guint16) (sign | rounded);
    }

  rounded = magnitude - ((guint32) (127 - 15) << 23);
  rest = rounded & 0x1fff;
  rounded >>= 13;
  if (rest > 0x1000 || (rest == 0x1000 && (rounded & 1)))
    rounded++;
  return (guint16) (sign | rounded);
}

guint16
reel_float_to_bf16 (float f)
{
  guint32 x = bits_from_float (f);

  if ((x & 0x7fffffff) > 0x7f800000)
    return (guint16) ((x >> 16) | 0x0040);
  return (guint16) ((x + 0x7fff + ((x >> 16) & 1)) >> 16);
}

void
reel_safetensors_convert_to_f32 (ReelSafetensorsDtype  dtype,
                                 const void           *src,
                                 float                *dst,
                                 gsize                 n)
{
  const guint8 *p = src;

  /* An empty tensor may come with no buffer at all, and memcpy must not see a NULL one. */
  if (n == 0)
    return;

  switch (dtype)
    {
    case REEL_SAFETENSORS_F32:
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
      memcpy (dst, src, n * sizeof (float));
#else
      for (gsize i = 0; i < n; i++)
        {
          guint32 v;
          memcpy (&v, p + 4 * i, 4);
          dst[i] = float_from_bits (GUINT32_FROM_LE (v));
        }
#endif
      break;

    case REEL_SAFETENSORS_F16:
      for (gsize i = 0; i < n; i++)
        {
          guint16 v;
          memcpy (&v, p + 2 * i, 2);
          dst[i] = reel_half_to_float (GUINT16_FROM_LE (v));
        }
      break;

    case REEL_SAFETENSORS_BF16:
      for (gsize i = 0; i < n; i++)
        {
          guint16 v;
          memcpy (&v, p + 2 * i, 2);
          dst[i] = reel_bf16_to_float (GUINT16_FROM_LE (v));
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Every rejection goes through here so that each message has the same shape: which file,
 * what is wrong, then what to do. */
G_GNUC_PRINTF (3, 4)
static void
set_bad (GError    **error,
         const char *display_name,
         const char *format,
         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS,
               "Cannot load weights from “%s”: %s", display_name, what);
}

/* Rejects nesting deeper than MAX_JSON_DEPTH before json-glib's recursive parser sees it.
 * Strings are skipped so that brackets inside names do not count. */
static gboolean
json_depth_ok (const char *text,
               gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

typedef struct
{
  GHashTable *counts;           /* JsonObject* → members parsed so far */
  char *duplicate;              /* the first key seen twice in one object */
} DuplicateScan;

/* json-glib keeps the last of two members with the same name without a word; a second
 * "object-member" emission that does not grow the object is how we notice. */
static void
object_member_cb (JsonParser *parser,
                  JsonObject *object,
                  const char *member_name,
                  gpointer    user_data)
{
  DuplicateScan *scan = user_data;
  guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (scan->counts, object)) + 1;

  g_hash_table_insert (scan->counts, object, GUINT_TO_POINTER (seen));
  if (seen > json_object_get_size (object) && scan->duplicate == NULL)
    scan->duplicate = g_strdup (member_name);
}

static const char *
node_kind (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_DOUBLE:
      return "a fractional number";
    case G_TYPE_INT64:
      return "an integer";
    default:
      return "a value of unknown type";
    }
}

static gboolean
node_is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
parse_metadata (ReelSafetensors *self,
                JsonNode        *node,
                GError         **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_bad (error, self->display_name,
               "its “__metadata__” is %s, not an object of strings. Re-export the model.",
               node_kind (node));
      return FALSE;
    }

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          set_bad (error, self->display_name,
                   "metadata value “%s” is %s, but metadata values must be strings. "
                   "Re-export the model.", key, node_kind (value));
          return FALSE;
        }
      g_hash_table_insert (self->metadata, g_strdup (key), g_strdup (json_node_get_string (value)));
    }
  return TRUE;
}

static char *
format_shape (const ReelSafetensorsTensor *info)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < info->ndim; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? ", " : "", info->shape[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static gboolean
parse_dtype (ReelSafetensors *self,
             const char      *name,
             JsonObject      *object,
             Entry           *entry,
             GError         **error)
{
  JsonNode *node = json_object_get_member (object, "dtype");
  const char *dtype;

  if (node == NULL)
    {
      set_bad (error, self->display_name,
               "tensor “%s” has no “dtype”. Re-export the model.", name);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_bad (error, self->display_name,
               "the “dtype” of tensor “%s” is %s, not a string. Re-export the model.",
               name, node_kind (node));
      return FALSE;
    }

  dtype = json_node_get_string (node);
  for (gsize i = 0; i < G_N_ELEMENTS (supported_dtypes); i++)
    if (g_strcmp0 (dtype, supported_dtypes[i].name) == 0)
      {
        entry->info.dtype = supported_dtypes[i].dtype;
        return TRUE;
      }
  for (gsize i = 0; i < G_N_ELEMENTS (other_dtypes); i++)
    if (g_strcmp0 (dtype, other_dtypes[i]) == 0)
      {
        set_bad (error, self->display_name,
                 "tensor “%s” has dtype %s, which Reel does not load. "
                 "Convert the model to F32, F16 or BF16.", name, dtype);
        return FALSE;
      }
  set_bad (error, self->display_name,
           "tensor “%s” has the unknown dtype “%s” (Reel loads F32, F16 and BF16). "
           "Re-export the model.", name, dtype);
  return FALSE;
}

static gboolean
parse_shape (ReelSafetensors *self,
             const char      *name,
             JsonObject      *object,
             Entry           *entry,
             GError         **error)
{
  JsonNode *node = json_object_get_member (object, "shape");
  JsonArray *array;
  guint ndim;

  if (node == NULL)
    {
      set_bad (error, self->display_name,
               "tensor “%s” has no “shape”. Re-export the model.", name);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_bad (error, self->display_name,
               "the “shape” of tensor “%s” is %s, not an array. Re-export the model.",
               name, node_kind (node));
      return FALSE;
    }

  array = json_node_get_array (node);
  ndim = json_array_get_length (array);
  if (ndim > REEL_SAFETENSORS_MAX_DIMS)
    {
      set_bad (error, self->display_name,
               "tensor “%s” has %u dimensions; Reel loads at most %d. Re-export the model.",
               name, ndim, REEL_SAFETENSORS_MAX_DIMS);
      return FALSE;
    }

  entry->info.ndim = ndim;
  entry->info.n_elements = 1;
  for (guint i = 0; i < ndim; i++)
    {
      JsonNode *dim = json_array_get_element (array, i);
      int64_t value;

      if (!node_is_int (dim))
        {
          set_bad (error, self->display_name,
                   "dimension %u of tensor “%s” is %s, not an integer. Re-export the model.",
                   i, name, node_kind (dim));
          return FALSE;
        }
      value = json_node_get_int (dim);
      /* json-glib turns integers beyond the range of int64 into negative ones, so this also
       * catches absurdly large dimensions. */
      if (value < 0)
        {
          set_bad (error, self->display_name,
                   "dimension %u of tensor “%s” is negative (%" G_GINT64_FORMAT "). "
                   "Re-export the model.", i, name, value);
          return FALSE;
        }
      if (value > MAX_DIM)
        {
          set_bad (error, self->display_name,
                   "dimension %u of tensor “%s” is %" G_GINT64_FORMAT ", too large for any "
                   "real model. Re-export the model.", i, name, value);
          return FALSE;
        }
      entry->info.shape[i] = value;
    }

  for (guint i = 0; i < ndim; i++)
    {
      guint64 product;

      if (!g_uint64_checked_mul (&product, (guint64) entry->info.n_elements,
                                 (guint64) entry->info.shape[i])
          || product > G_MAXINT64)
        {
          g_autofree char *shape = format_shape (&entry->info);
          set_bad (error, self->display_name,
                   "the shape %s of tensor “%s” has more elements than any file can hold. "
                   "Re-export the model.", shape, name);
          return FALSE;
        }
      entry->info.n_elements = (int64_t) product;
    }
  return TRUE;
}

static gboolean
parse_offsets (ReelSafetensors *self,
               const char      *name,
               JsonObject      *object,
               guint64          data_size,
               Entry           *entry,
               GError         **error)
{
  JsonNode *node = json_object_get_member (object, "data_offsets");
  JsonArray *array;
  int64_t offsets[2];
  guint64 expected;

  if (node == NULL)
    {
      set_bad (error, self->display_name,
               "tensor “%s” has no “data_offsets”. Re-export the model.", name);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) != 2)
    {
      set_bad (error, self->display_name,
               "the “data_offsets” of tensor “%s” are not a pair [begin, end]. "
               "Re-export the model.", name);
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!node_is_int (element))
        {
          set_bad (error, self->display_name,
                   "data offset %u of tensor “%s” is %s, not an integer. Re-export the model.",
                   i, name, node_kind (element));
          return FALSE;
        }
      offsets[i] = json_node_get_int (element);
      if (offsets[i] < 0)
        {
          set_bad (error, self->display_name,
                   "data offset %u of tensor “%s” is negative or too large "
                   "(%" G_GINT64_FORMAT "). Re-export the model.", i, name, offsets[i]);
          return FALSE;
        }
    }

  if (offsets[0] > offsets[1])
    {
      set_bad (error, self->display_name,
               "tensor “%s” begins at byte %" G_GINT64_FORMAT " but ends before it, at "
               "%" G_GINT64_FORMAT ". Re-export the model.", name, offsets[0], offsets[1]);
      return FALSE;
    }

  entry->begin = (guint64) offsets[0];
  entry->end = (guint64) offsets[1];

  if (!g_uint64_checked_mul (&expected, (guint64) entry->info.n_elements,
                             reel_safetensors_dtype_size (entry->info.dtype))
      || expected != entry->end - entry->begin)
    {
      g_autofree char *shape = format_shape (&entry->info);
      set_bad (error, self->display_name,
               "tensor “%s” holds %" G_GUINT64_FORMAT " bytes, but dtype %s and shape %s need "
               "%" G_GINT64_FORMAT " × %" G_GSIZE_FORMAT " bytes. Re-export the model.",
               name, entry->end - entry->begin,
               reel_safetensors_dtype_to_string (entry->info.dtype), shape,
               entry->info.n_elements, reel_safetensors_dtype_size (entry->info.dtype));
      return FALSE;
    }

  if (entry->end > data_size)
    {
      set_bad (error, self->display_name,
               "tensor “%s” ends past the end of the data, so the file is truncated: expected "
               "%" G_GUINT64_FORMAT " bytes, found %" G_GSIZE_FORMAT ". "
               "Download or export the model again.",
               name, g_bytes_get_size (self->bytes) - data_size + entry->end,
               g_bytes_get_size (self->bytes));
      return FALSE;
    }

  entry->info.nbytes = (gsize) (entry->end - entry->begin);
  return TRUE;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = a, *eb = b;

  if (ea->begin != eb->begin)
    return ea->begin < eb->begin ? -1 : 1;
  if (ea->end != eb->end)
    return ea->end < eb->end ? -1 : 1;
  return 0;
}

static gboolean
parse_header (ReelSafetensors *self,
              const char      *header,
              gsize            header_size,
              const guint8    *data,
              guint64          data_size,
              GError         **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autofree char *duplicate = NULL;
  DuplicateScan scan;
  JsonNode *root;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  const Entry *last_nonempty = NULL;

  if (!json_depth_ok (header, header_size))
    {
      set_bad (error, self->display_name,
               "its header nests deeper than %d levels, which no safetensors file does. "
               "Re-export the model.", MAX_JSON_DEPTH);
      return FALSE;
    }

  counts = g_hash_table_new (NULL, NULL);
  scan = (DuplicateScan) { .counts = counts, .duplicate = NULL };
  parser = json_parser_new ();
  g_signal_connect (parser, "object-member", G_CALLBACK (object_member_cb), &scan);
  if (!json_parser_load_from_data (parser, header, (gssize) header_size, &json_error))
    {
      g_free (scan.duplicate);
      set_bad (error, self->display_name,
               "its header is not valid JSON (%s). Re-export the model.", json_error->message);
      return FALSE;
    }
  duplicate = g_steal_pointer (&scan.duplicate);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_bad (error, self->display_name,
               "its header is %s, not a JSON object. Re-export the model.",
               root ? node_kind (root) : "empty");
      return FALSE;
    }
  if (duplicate != NULL)
    {
      set_bad (error, self->display_name,
               "its header names “%s” twice. Re-export the model.", duplicate);
      return FALSE;
    }

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &node))
    {
      Entry entry = { 0 };

      if (g_str_equal (name, "__metadata__"))
        {
          if (!parse_metadata (self, node, error))
            return FALSE;
          continue;
        }
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_bad (error, self->display_name,
                   "the entry for tensor “%s” is %s, not an object. Re-export the model.",
                   name, node_kind (node));
          return FALSE;
        }
      if (!parse_dtype (self, name, json_node_get_object (node), &entry, error)
          || !parse_shape (self, name, json_node_get_object (node), &entry, error)
          || !parse_offsets (self, name, json_node_get_object (node), data_size, &entry, error))
        return FALSE;

      entry.info.name = g_string_chunk_insert (self->names, name);
      entry.info.data = data + entry.begin;
      g_array_append_val (self->entries, entry);
    }

  g_array_sort (self->entries, compare_entries);
  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);

      /* Empty tensors occupy no bytes and so overlap nothing. */
      if (entry->begin == entry->end)
        continue;
      if (last_nonempty != NULL && entry->begin < last_nonempty->end)
        {
          set_bad (error, self->display_name,
                   "tensors “%s” (bytes %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT ") and “%s” "
                   "(bytes %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT ") overlap. "
                   "Re-export the model.",
                   last_nonempty->info.name, last_nonempty->begin, last_nonempty->end,
                   entry->info.name, entry->begin, entry->end);
          return FALSE;
        }
      last_nonempty = entry;
    }

  for (guint i = 0; i < self->entries->len; i++)
    g_hash_table_insert (self->by_name,
                         (gpointer) g_array_index (self->entries, Entry, i).info.name,
                         GUINT_TO_POINTER (i + 1));
  return TRUE;
}

ReelSafetensors *
reel_safetensors_new_from_bytes (GBytes     *bytes,
                                 const char *display_name,
                                 GError    **error)
{
  g_autoptr(ReelSafetensors) self = NULL;
  const guint8 *contents;
  gsize size;
  guint64 header_size;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (ReelSafetensors, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->display_name = g_strdup (display_name);
  self->bytes = g_bytes_ref (bytes);
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  self->names = g_string_chunk_new (4096);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  contents = g_bytes_get_data (bytes, &size);
  if (size < 8)
    {
      set_bad (error, self->display_name,
               "the file is truncated: expected at least 8 bytes for the header length, "
               "found %" G_GSIZE_FORMAT ". Download or export the model again.", size);
      return NULL;
    }

  memcpy (&header_size, contents, sizeof header_size);
  header_size = GUINT64_FROM_LE (header_size);
  if (header_size > MAX_HEADER_BYTES)
    {
      set_bad (error, self->display_name,
               "its header claims %" G_GUINT64_FORMAT " bytes, more than the 100 MB limit of "
               "the format; this is not a safetensors file, or it is damaged. "
               "Re-export the model.", header_size);
      return NULL;
    }
  if (header_size > size - 8)
    {
      set_bad (error, self->display_name,
               "the file is truncated: expected at least %" G_GUINT64_FORMAT " bytes for the "
               "header, found %" G_GSIZE_FORMAT ". Download or export the model again.",
               header_size + 8, size);
      return NULL;
    }

  if (!parse_header (self, (const char *) contents + 8, (gsize) header_size,
                     contents + 8 + header_size, size - 8 - header_size, error))
    return NULL;

  return g_steal_pointer (&self);
}

ReelSafetensors *
reel_safetensors_open (const char *path,
                       GError    **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display_name = g_filename_display_name (path);
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      set_bad (error, display_name, "%s. Check that the model is installed.",
               local_error->message);
      return NULL;
    }

  /* The bytes keep the mapping alive for as long as any tensor pointer is in use. */
  bytes = g_mapped_file_get_bytes (mapped);
  return reel_safetensors_new_from_bytes (bytes, display_name, error);
}

ReelSafetensors *
reel_safetensors_ref (ReelSafetensors *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reel_safetensors_unref (ReelSafetensors *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->names, g_string_chunk_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->display_name, g_free);
  g_free (self);
}

const char *
reel_safetensors_get_display_name (ReelSafetensors *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->display_name;
}

guint
reel_safetensors_get_n_tensors (ReelSafetensors *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->entries->len;
}

const ReelSafetensorsTensor *
reel_safetensors_get_tensor (ReelSafetensors *self,
                             guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return &g_array_index (self->entries, Entry, index).info;
}

static const ReelSafetensorsTensor *
lookup_exact (ReelSafetensors *self,
              const char      *name)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_name, name));

  return index ? &g_array_index (self->entries, Entry, index - 1).info : NULL;
}

const ReelSafetensorsTensor *
reel_safetensors_lookup (ReelSafetensors *self,
                         const char      *name)
{
  const ReelSafetensorsTensor *found;
  g_autofree char *prefixed = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if ((found = lookup_exact (self, name)) != NULL)
    return found;
  if (g_str_has_prefix (name, WAN_PREFIX))
    return lookup_exact (self, name + strlen (WAN_PREFIX));

  prefixed = g_strconcat (WAN_PREFIX, name, NULL);
  return lookup_exact (self, prefixed);
}

const char *
reel_safetensors_get_metadata (ReelSafetensors *self,
                               const char      *key)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->metadata, key);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
reel_safetensors_dup_metadata_keys (ReelSafetensors *self)
{
  g_autoptr(GPtrArray) keys = NULL;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (self != NULL, NULL);

  keys = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, self->metadata);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, g_strdup (key));
  g_ptr_array_sort (keys, compare_strings);
  g_ptr_array_add (keys, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&keys), FALSE);
}

gboolean
reel_safetensors_read_f32 (ReelSafetensors *self,
                           const char      *name,
                           float           *dst,
                           GError         **error)
{
  const ReelSafetensorsTensor *info;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = reel_safetensors_lookup (self, name);
  if (info == NULL)
    {
      set_bad (error, self->display_name,
               "it has no tensor named “%s”. The file is not the model Reel expects; "
               "check that the right model is installed.", name);
      return FALSE;
    }
  g_return_val_if_fail (dst != NULL || info->n_elements == 0, FALSE);

  reel_safetensors_convert_to_f32 (info->dtype, info->data, dst, (gsize) info->n_elements);
  return TRUE;
}

ReelTensor *
reel_safetensors_load_tensor (ReelSafetensors *self,
                              ReelBackend     *backend,
                              const char      *name,
                              GError         **error)
{
  const ReelSafetensorsTensor *info;
  g_autoptr(ReelTensor) tensor = NULL;
  g_autofree float *values = NULL;
  int64_t shape[REEL_TENSOR_MAX_DIMS] = { 1 };
  guint n_dims = 1, fold = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (backend != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = reel_safetensors_lookup (self, name);
  if (info == NULL)
    {
      set_bad (error, self->display_name,
               "it has no tensor named “%s”. The file is not the model Reel expects; "
               "check that the right model is installed.", name);
      return NULL;
    }
  if (info->n_elements == 0)
    {
      g_autofree char *described = format_shape (info);
      set_bad (error, self->display_name,
               "tensor “%s” is empty (shape %s), so no model can use it. Re-export the model.",
               name, described);
      return NULL;
    }

  if (info->ndim > 0)
    {
      if (info->ndim > REEL_TENSOR_MAX_DIMS)
        fold = info->ndim - REEL_TENSOR_MAX_DIMS;
      n_dims = info->ndim - fold;
      shape[0] = 1;
      for (guint i = 0; i <= fold; i++)
        shape[0] *= info->shape[i];
      for (guint i = fold + 1; i < info->ndim; i++)
        shape[i - fold] = info->shape[i];
    }

  values = g_try_malloc_n ((gsize) info->n_elements, sizeof (float));
  if (values == NULL)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_OUT_OF_MEMORY,
                   "Cannot load tensor “%s” from “%s”: its %" G_GINT64_FORMAT " values do not "
                   "fit in memory. Close other programs or use a smaller model.",
                   name, self->display_name, info->n_elements);
      return NULL;
    }
  reel_safetensors_convert_to_f32 (info->dtype, info->data, values, (gsize) info->n_elements);

  tensor = reel_backend_new_tensor (backend, n_dims, shape, error);
  if (tensor == NULL || !reel_backend_upload (backend, tensor, values, error))
    {
      g_prefix_error (error, "Cannot load tensor “%s” from “%s”: ", name, self->display_name);
      return NULL;
    }
  return g_steal_pointer (&tensor);
}

gboolean
reel_safetensors_verify_sha256 (const char *path,
                                const char *expected_hex,
                                GError    **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = NULL;
  g_autofree guint8 *buffer = NULL;
  const gsize buffer_size = 1 << 20;
  const char *actual;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (expected_hex != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display_name = g_filename_display_name (path);
  if (strlen (expected_hex) != 64 || strspn (expected_hex, "0123456789abcdefABCDEF") != 64)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "Cannot verify “%s”: the expected SHA-256 “%s” is not 64 hexadecimal "
                   "digits. Fix the model card.", display_name, expected_hex);
      return FALSE;
    }

  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      set_bad (error, display_name, "%s. Check that the model is installed.",
               local_error->message);
      return FALSE;
    }

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  buffer = g_malloc (buffer_size);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, buffer_size, NULL,
                                      &local_error);
      if (n < 0)
        {
          set_bad (error, display_name, "reading it failed: %s.", local_error->message);
          return FALSE;
        }
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, n);
    }

  actual = g_checksum_get_string (checksum);
  if (g_ascii_strcasecmp (actual, expected_hex) != 0)
    {
      set_bad (error, display_name,
               "its SHA-256 is %s but the model card expects %s, so the file is damaged or a "
               "different version. Download the model again.", actual, expected_hex);
      return FALSE;
    }
  return TRUE;
}
