#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include "reel-backend-private.h"
#include "reel-render-error.h"

ReelTensor *
reel_tensor_ref (ReelTensor *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reel_tensor_unref (ReelTensor *self)
{
  ReelBackend *backend;

  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  backend = self->backend;
  if (self->storage != NULL)
    backend->klass->tensor_free (backend, self);
  g_free (self);
  reel_backend_unref (backend);
}

ReelBackend *
reel_tensor_get_backend (ReelTensor *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->backend;
}

guint
reel_tensor_get_n_dims (ReelTensor *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_dims;
}

int64_t
reel_tensor_get_dim (ReelTensor *self,
                     guint       dim)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (dim < self->n_dims, 0);

  return self->shape[dim];
}

int64_t
reel_tensor_get_n_elements (ReelTensor *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_elements;
}

gsize
reel_tensor_get_size (ReelTensor *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (gsize) self->n_elements * sizeof (float);
}

gboolean
reel_tensor_reshape (ReelTensor    *self,
                     guint          n_dims,
                     const int64_t *shape,
                     GError       **error)
{
  int64_t n = 1;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (shape != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_dims < 1 || n_dims > REEL_TENSOR_MAX_DIMS)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "Cannot reshape a tensor to %u dimensions: tensors have 1 to %d",
                   n_dims, REEL_TENSOR_MAX_DIMS);
      return FALSE;
    }

  for (guint i = 0; i < n_dims; i++)
    {
      if (shape[i] <= 0 || __builtin_mul_overflow (n, shape[i], &n))
        {
          g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                       "Cannot reshape a tensor: dimension %u has the invalid size %"
                       G_GINT64_FORMAT, i, shape[i]);
          return FALSE;
        }
    }

  if (n != self->n_elements)
    {
      g_autofree char *old_shape = reel_tensor_describe_shape (self);

      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "Cannot reshape a tensor of shape %s (%" G_GINT64_FORMAT " values) to one "
                   "of %" G_GINT64_FORMAT " values", old_shape, self->n_elements, n);
      return FALSE;
    }

  self->n_dims = n_dims;
  for (guint i = 0; i < REEL_TENSOR_MAX_DIMS; i++)
    self->shape[i] = i < n_dims ? shape[i] : 1;
  return TRUE;
}

char *
reel_tensor_describe_shape (ReelTensor *self)
{
  GString *s;

  g_return_val_if_fail (self != NULL, NULL);

  s = g_string_new ("[");
  for (guint i = 0; i < self->n_dims; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", self->shape[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}
