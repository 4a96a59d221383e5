#pragma once

/* A tensor: fp32 values in a backend's memory, contiguous and row-major, with a shape of one
 * to five dimensions listed outermost first. The storage belongs to the backend that created
 * it (see reel-backend.h); the host reads and writes it only through reel_backend_upload() and
 * reel_backend_download(). Tensors are reference counted and keep their backend alive. */

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

#define REEL_TENSOR_MAX_DIMS 5

typedef struct _ReelBackend ReelBackend;
typedef struct _ReelTensor ReelTensor;

ReelTensor  *reel_tensor_ref            (ReelTensor *self);
void         reel_tensor_unref          (ReelTensor *self);

ReelBackend *reel_tensor_get_backend    (ReelTensor *self);
guint        reel_tensor_get_n_dims     (ReelTensor *self);
/* Size of dimension `dim` (0 is outermost); dim < n_dims. */
int64_t      reel_tensor_get_dim        (ReelTensor *self,
                                         guint       dim);
int64_t      reel_tensor_get_n_elements (ReelTensor *self);
/* Bytes of storage: n_elements · sizeof (float). */
gsize        reel_tensor_get_size       (ReelTensor *self);

/* Gives the tensor a new shape with the same number of elements; the values stay where they
 * are, so this is free. Fails with REEL_RENDER_ERROR_INVALID_ARGUMENT otherwise. */
gboolean     reel_tensor_reshape        (ReelTensor    *self,
                                         guint          n_dims,
                                         const int64_t *shape,
                                         GError       **error);

/* "[2, 3, 4]", for messages. */
char        *reel_tensor_describe_shape (ReelTensor *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelTensor, reel_tensor_unref)

G_END_DECLS
