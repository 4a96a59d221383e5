#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "reel-render-error.h"
#include "reel-safetensors-writer.h"

typedef struct
{
  char *name;
  ReelSafetensorsDtype dtype;
  guint ndim;
  int64_t shape[REEL_SAFETENSORS_MAX_DIMS];
  GBytes *data;
} PendingTensor;

struct _ReelSafetensorsWriter
{
  GArray *tensors;              /* PendingTensor, in the order added */
  GHashTable *names;            /* set of names already added */
  GTree *metadata;              /* sorted, so that equal models give byte-identical files */
};

static void
pending_tensor_clear (gpointer data)
{
  PendingTensor *tensor = data;

  g_clear_pointer (&tensor->name, g_free);
  g_clear_pointer (&tensor->data, g_bytes_unref);
}

ReelSafetensorsWriter *
reel_safetensors_writer_new (void)
{
  ReelSafetensorsWriter *self = g_new0 (ReelSafetensorsWriter, 1);

  self->tensors = g_array_new (FALSE, TRUE, sizeof (PendingTensor));
  g_array_set_clear_func (self->tensors, pending_tensor_clear);
  self->names = g_hash_table_new (g_str_hash, g_str_equal);
  self->metadata = g_tree_new_full ((GCompareDataFunc) strcmp, NULL, g_free, g_free);
  return self;
}

void
reel_safetensors_writer_free (ReelSafetensorsWriter *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->tensors, g_array_unref);
  g_clear_pointer (&self->metadata, g_tree_destroy);
  g_free (self);
}

void
reel_safetensors_writer_set_metadata (ReelSafetensorsWriter *self,
                                      const char            *key,
                                      const char            *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (value != NULL);

  g_tree_replace (self->metadata, g_strdup (key), g_strdup (value));
}

static gboolean
check_tensor (ReelSafetensorsWriter *self,
              const char            *name,
              ReelSafetensorsDtype   dtype,
              guint                  ndim,
              const int64_t         *shape,
              gsize                 *n_elements,
              GError               **error)
{
  guint64 n = 1;

  if (g_str_equal (name, "__metadata__") || g_hash_table_contains (self->names, name))
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "Cannot add tensor “%s” to the model: %s", name,
                   g_hash_table_contains (self->names, name)
                   ? "a tensor of that name is already in it"
                   : "the name is reserved for the metadata");
      return FALSE;
    }
  if (ndim > REEL_SAFETENSORS_MAX_DIMS)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "Cannot add tensor “%s” to the model: it has %u dimensions, at most %d "
                   "can be loaded", name, ndim, REEL_SAFETENSORS_MAX_DIMS);
      return FALSE;
    }
  for (guint i = 0; i < ndim; i++)
    if (shape[i] < 0
        || !g_uint64_checked_mul (&n, n, (guint64) shape[i])
        || n > G_MAXSIZE / reel_safetensors_dtype_size (dtype))
      {
        g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                     "Cannot add tensor “%s” to the model: its shape is negative or too large",
                     name);
        return FALSE;
      }

  *n_elements = (gsize) n;
  return TRUE;
}

static void
append_tensor (ReelSafetensorsWriter *self,
               const char            *name,
               ReelSafetensorsDtype   dtype,
               guint                  ndim,
               const int64_t         *shape,
               GBytes                *data)
{
  PendingTensor tensor = { .name = g_strdup (name), .dtype = dtype, .ndim = ndim, .data = data };

  if (ndim > 0)
    memcpy (tensor.shape, shape, ndim * sizeof *shape);
  g_array_append_val (self->tensors, tensor);
  g_hash_table_add (self->names, g_array_index (self->tensors, PendingTensor,
                                                self->tensors->len - 1).name);
}

gboolean
reel_safetensors_writer_add (ReelSafetensorsWriter *self,
                             const char            *name,
                             ReelSafetensorsDtype   dtype,
                             guint                  ndim,
                             const int64_t         *shape,
                             const void            *data,
                             GError               **error)
{
  gsize n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (ndim == 0 || shape != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_tensor (self, name, dtype, ndim, shape, &n, error))
    return FALSE;
  g_return_val_if_fail (data != NULL || n == 0, FALSE);

  append_tensor (self, name, dtype, ndim, shape,
                 g_bytes_new (data, n * reel_safetensors_dtype_size (dtype)));
  return TRUE;
}

gboolean
reel_safetensors_writer_add_f32 (ReelSafetensorsWriter *self,
                                 const char            *name,
                                 ReelSafetensorsDtype   dtype,
                                 guint                  ndim,
                                 const int64_t         *shape,
                                 const float           *values,
                                 GError               **error)
{
  gsize n, element_size;
  guint8 *bytes;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (ndim == 0 || shape != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_tensor (self, name, dtype, ndim, shape, &n, error))
    return FALSE;
  g_return_val_if_fail (values != NULL || n == 0, FALSE);

  element_size = reel_safetensors_dtype_size (dtype);
  bytes = g_malloc (n * element_size);
  for (gsize i = 0; i < n; i++)
    {
      guint32 v32;
      guint16 v16;

      switch (dtype)
        {
        case REEL_SAFETENSORS_F32:
          memcpy (&v32, &values[i], 4);
          v32 = GUINT32_TO_LE (v32);
          memcpy (bytes + 4 * i, &v32, 4);
          break;
        case REEL_SAFETENSORS_F16:
          v16 = GUINT16_TO_LE (reel_float_to_half (values[i]));
          memcpy (bytes + 2 * i, &v16, 2);
          break;
        case REEL_SAFETENSORS_BF16:
          v16 = GUINT16_TO_LE (reel_float_to_bf16 (values[i]));
          memcpy (bytes + 2 * i, &v16, 2);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  append_tensor (self, name, dtype, ndim, shape, g_bytes_new_take (bytes, n * element_size));
  return TRUE;
}

static gboolean
add_metadata_member (gpointer key,
                     gpointer value,
                     gpointer user_data)
{
  json_builder_set_member_name (user_data, key);
  json_builder_add_string_value (user_data, value);
  return FALSE;
}

/* The length prefix and the JSON header, padded with spaces to a multiple of 8. */
static GBytes *
build_header (ReelSafetensorsWriter *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  GString *header;
  guint64 offset = 0, length;
  gsize json_length;

  json_builder_begin_object (builder);
  if (g_tree_nnodes (self->metadata) > 0)
    {
      json_builder_set_member_name (builder, "__metadata__");
      json_builder_begin_object (builder);
      g_tree_foreach (self->metadata, add_metadata_member, builder);
      json_builder_end_object (builder);
    }
  for (guint i = 0; i < self->tensors->len; i++)
    {
      const PendingTensor *tensor = &g_array_index (self->tensors, PendingTensor, i);
      gsize size = g_bytes_get_size (tensor->data);

      json_builder_set_member_name (builder, tensor->name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dtype");
      json_builder_add_string_value (builder, reel_safetensors_dtype_to_string (tensor->dtype));
      json_builder_set_member_name (builder, "shape");
      json_builder_begin_array (builder);
      for (guint d = 0; d < tensor->ndim; d++)
        json_builder_add_int_value (builder, tensor->shape[d]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "data_offsets");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, (gint64) offset);
      json_builder_add_int_value (builder, (gint64) (offset + size));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      offset += size;
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &json_length);

  header = g_string_sized_new (json_length + 16);
  length = GUINT64_TO_LE ((json_length + 7) / 8 * 8);
  g_string_append_len (header, (const char *) &length, 8);
  g_string_append_len (header, json, json_length);
  while (header->len % 8 != 0)
    g_string_append_c (header, ' ');
  return g_string_free_to_bytes (header);
}

GBytes *
reel_safetensors_writer_to_bytes (ReelSafetensorsWriter *self)
{
  g_autoptr(GBytes) header = NULL;
  GByteArray *file;

  g_return_val_if_fail (self != NULL, NULL);

  header = build_header (self);
  file = g_byte_array_new ();
  g_byte_array_append (file, g_bytes_get_data (header, NULL), g_bytes_get_size (header));
  for (guint i = 0; i < self->tensors->len; i++)
    {
      GBytes *data = g_array_index (self->tensors, PendingTensor, i).data;
      g_byte_array_append (file, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
    }
  return g_byte_array_free_to_bytes (file);
}

gboolean
reel_safetensors_writer_write (ReelSafetensorsWriter *self,
                               const char            *path,
                               GError               **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GBytes) header = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display_name = g_filename_display_name (path);
  file = g_file_new_for_path (path);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                           &local_error);
  if (stream == NULL)
    goto failed;

  /* Tensors go out one by one rather than through to_bytes(), so that writing a model needs
   * no second copy of it in memory. */
  header = build_header (self);
  if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), g_bytes_get_data (header, NULL),
                                  g_bytes_get_size (header), NULL, NULL, &local_error))
    goto failed;
  for (guint i = 0; i < self->tensors->len; i++)
    {
      GBytes *data = g_array_index (self->tensors, PendingTensor, i).data;

      if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), g_bytes_get_data (data, NULL),
                                      g_bytes_get_size (data), NULL, NULL, &local_error))
        goto failed;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &local_error))
    goto failed;
  return TRUE;

failed:
  /* A cancelled close makes GIO drop its temporary file instead of replacing the old model
   * with a truncated one. */
  if (stream != NULL)
    {
      g_autoptr(GCancellable) cancelled = g_cancellable_new ();
      g_cancellable_cancel (cancelled);
      g_output_stream_close (G_OUTPUT_STREAM (stream), cancelled, NULL);
    }
  g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_FAILED,
               "Cannot write the model to “%s”: %s. Check that the folder exists and that "
               "there is space on the disk.", display_name, local_error->message);
  return FALSE;
}
