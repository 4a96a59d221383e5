#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "reel-backend-private.h"
#include "reel-render-error.h"
#include "reel-shaders.h"
#include "reel-vk-backend.h"
#include "reel-vk-buffer.h"
#include "reel-vk-command.h"
#include "reel-vk-error.h"
#include "reel-vk-instance.h"
#include "reel-vk-ops.h"
#include "reel-vk-pipeline.h"
#include "reel-vk-profile.h"

/* Dispatches per batch. Each costs a descriptor set and a timestamp; past this many the batch
 * is submitted and a new one started, which costs one wait (the device runs one batch at a
 * time anyway). */
#define MAX_BATCH 512

/* A batch is recorded as chunks, each its own command buffer. A sync without a cancellable
 * submits them all at once; one with a cancellable submits them a chunk at a time with at most
 * MAX_IN_FLIGHT chunks queued on the device, checking the cancellable before each, so a cancel
 * stops the work after the chunks in flight. The device cannot abandon a submitted command
 * buffer, so a chunk is the cancel granularity. Each command buffer costs lavapipe 10–30 µs,
 * as much as a small dispatch, so small dispatches share one (up to CHUNK_DISPATCHES), while a
 * dispatch that binds HEAVY_BYTES or more (a matmul from 512³ up, attention, a convolution
 * chunk, any op over a quarter million values: each takes a millisecond or more) ends its
 * chunk, which makes the granularity one heavy dispatch. Measurements in render/vk/README.md.
 * REEL_VK_CHUNK overrides CHUNK_DISPATCHES (1 to MAX_BATCH) for those measurements; at
 * MAX_BATCH heavy dispatches no longer end chunks, which is the unchunked batch. */
#define CHUNK_DISPATCHES 16
#define HEAVY_BYTES      (G_GUINT64_CONSTANT (1) << 20)
#define MAX_IN_FLIGHT    2

/* Tile sizes of the shaders, for the group counts. */
#define MATMUL_TILE_N 256           /* 32 × 2 invocations × 16×8 values */
#define MATMUL_TILE_M 32
/* A convolution unfolds this many bytes of its input at a time (im2col.comp). */
#define CONV_CHUNK_BYTES (G_GUINT64_CONSTANT (32) << 20)
#define ATTN_GROUP    32            /* invocations per workgroup */
#define ELEMENTWISE   256
#define MAX_HEAD_DIM  512

typedef struct
{
  ReelBackend          parent;
  ReelVkInstance      *instance;
  ReelVkDevice        *device;
  ReelVkBufferPool    *pool;
  ReelVkCommand       *command;         /* for staging copies */
  GPtrArray           *chunks;          /* ReelVkCommand, created as batches need them */
  guint                n_chunks;        /* recorded in the batch being built */
  guint                chunk_size;
  guint                n_in_chunk;      /* dispatches in the chunk being recorded */
  gboolean             chunk_closed;    /* it ended with a heavy dispatch */
  ReelVkPipelineCache *cache;
  ReelVkProfile       *profile;         /* NULL without timestamp support */
  GHashTable          *pipelines;       /* key → ReelVkPipeline */
  VkDescriptorPool     descriptors;
  guint                n_dispatches;    /* in the batch being recorded */
  gboolean             batch_profiled;
  GPtrArray           *batch_ops;       /* op names of the batch, for the timings */
  GPtrArray           *deferred;        /* ReelVkAllocation freed while the batch may use it */
  ReelVkAllocation    *scratch;         /* a transposed weight or an unfolded conv input */
} ReelVkBackend;

/* A binding of a dispatch: a tensor read as a storage buffer (VK_FORMAT_UNDEFINED) or through
 * a texel view of the given format. */
typedef struct
{
  ReelVkAllocation *allocation;
  VkFormat          view;
} Bind;

#define STORAGE(t) ((Bind) { (t)->storage, VK_FORMAT_UNDEFINED })
#define TEXEL4(t)  ((Bind) { (t)->storage, VK_FORMAT_R32G32B32A32_SFLOAT })
#define TEXEL1(t)  ((Bind) { (t)->storage, VK_FORMAT_R32_SFLOAT })

static inline ReelVkBackend *
VK (ReelBackend *backend)
{
  return (ReelVkBackend *) backend;
}

static guint32
div_up (guint64 n,
        guint64 d)
{
  guint64 q = (n + d - 1) / d;

  /* Callers check sizes against the device first, so this only guards the cast. */
  g_assert (q <= G_MAXUINT32);
  return (guint32) q;
}

/* Sizes reach the shaders as 32-bit values. */
static gboolean
fits_u32 (const char *op,
          int64_t     value,
          GError    **error)
{
  if (value > G_MAXUINT32)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "%s: the size %" G_GINT64_FORMAT " is too large for the Vulkan backend",
                   op, value);
      return FALSE;
    }
  return TRUE;
}

/* ---- Batches ---- */

static void
release_deferred (ReelVkBackend *self)
{
  for (guint i = 0; i < self->deferred->len; i++)
    reel_vk_buffer_pool_release (self->pool, g_ptr_array_index (self->deferred, i));
  g_ptr_array_set_size (self->deferred, 0);
}

static inline ReelVkCommand *
chunk (ReelVkBackend *self,
       guint          i)
{
  return g_ptr_array_index (self->chunks, i);
}

static gboolean
batch_recording (ReelVkBackend *self)
{
  return self->n_chunks > 0;
}

/* Waits for a submitted chunk. The test hook of reel-backend-private.h turns a successful
 * wait into VK_ERROR_DEVICE_LOST here, after the device really finished, so the loss travels
 * the same reel_vk_check() path as a real one while the device stays safe to clean up. */
static gboolean
wait_chunk (ReelVkBackend  *self,
            ReelVkCommand  *command,
            GError        **error)
{
  if (!reel_vk_command_wait (command, error))
    return FALSE;
  if (self->parent.test_device_lost)
    {
      self->parent.test_device_lost = FALSE;
      reel_vk_check (VK_ERROR_DEVICE_LOST, error, "waiting for the device");
      return FALSE;
    }
  return TRUE;
}

/* Submits the chunks one at a time, at most MAX_IN_FLIGHT queued; stops submitting once
 * cancellable is cancelled and drops the rest. Returns with nothing pending on the device. */
static gboolean
run_chunks_cancellable (ReelVkBackend  *self,
                        GCancellable   *cancellable,
                        gboolean       *cancelled,
                        GError        **error)
{
  guint next = 0, done = 0;
  gboolean ok = TRUE;

  while (done < self->n_chunks)
    {
      if (ok && !*cancelled && next < self->n_chunks && next - done < MAX_IN_FLIGHT)
        {
          if (g_cancellable_is_cancelled (cancellable))
            *cancelled = TRUE;
          else if (reel_vk_command_submit (chunk (self, next), error))
            next++;
          else
            {
              /* Not pending: the wait below skips it. */
              ok = FALSE;
              next++;
            }
          continue;
        }
      if (done == next)
        break;
      /* In flight work is always waited for, also after an error, so that nothing is pending
       * when the batch is dropped; only the first error is reported. */
      if (chunk (self, done)->pending && !wait_chunk (self, chunk (self, done), ok ? error : NULL))
        ok = FALSE;
      done++;
    }

  for (guint i = next; i < self->n_chunks; i++)
    reel_vk_command_discard (chunk (self, i));
  return ok;
}

/* Runs the batch recorded so far and waits for it. On every path the batch is over
 * afterwards: nothing pending, its buffers ready to record, deferred frees done. */
static gboolean
flush (ReelVkBackend  *self,
       GCancellable   *cancellable,
       GError        **error)
{
  gboolean ok, cancelled = FALSE;

  if (!batch_recording (self))
    return TRUE;

  if (cancellable == NULL)
    {
      ok = reel_vk_command_submit_all ((ReelVkCommand **) self->chunks->pdata, self->n_chunks,
                                       error);
      if (ok)
        ok = wait_chunk (self, chunk (self, self->n_chunks - 1), error);
      else
        for (guint i = 0; i < self->n_chunks; i++)
          reel_vk_command_discard (chunk (self, i));
    }
  else
    ok = run_chunks_cancellable (self, cancellable, &cancelled, error);

  if (ok && (cancelled || g_cancellable_is_cancelled (cancellable)))
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_CANCELLED,
                   "The computation was cancelled");
      ok = FALSE;
      cancelled = TRUE;
    }

  if (ok && self->batch_profiled && self->profile != NULL)
    {
      g_autofree double *ms = g_new0 (double, self->batch_ops->len + 1);
      guint n = reel_vk_profile_read (self->profile, ms, self->batch_ops->len, error);

      ok = (n == self->batch_ops->len);
      for (guint i = 0; i < n; i++)
        reel_backend_add_timing (&self->parent, g_ptr_array_index (self->batch_ops, i), ms[i]);
    }

  self->n_chunks = 0;
  self->n_dispatches = 0;
  g_ptr_array_set_size (self->batch_ops, 0);
  release_deferred (self);
  return ok;
}

/* Starts the next chunk's command buffer. */
static gboolean
open_chunk (ReelVkBackend  *self,
            GError        **error)
{
  if (self->n_chunks == self->chunks->len)
    {
      ReelVkCommand *command = reel_vk_command_new (self->device, error);

      if (command == NULL)
        return FALSE;
      g_ptr_array_add (self->chunks, command);
    }
  if (!reel_vk_command_begin (chunk (self, self->n_chunks), error))
    return FALSE;
  self->n_chunks++;
  self->n_in_chunk = 0;
  self->chunk_closed = FALSE;
  return TRUE;
}

/* The command buffer the next dispatch goes into: a new batch, a new chunk, or the current
 * one. */
static VkCommandBuffer
next_dispatch_buffer (ReelVkBackend  *self,
                      GError        **error)
{
  if (self->n_dispatches >= MAX_BATCH && !flush (self, self->parent.cancellable, error))
    return VK_NULL_HANDLE;

  if (!batch_recording (self))
    {
      /* The previous batch finished, so its descriptor sets are free to recycle. */
      if (reel_vk_check (vkResetDescriptorPool (self->device->handle, self->descriptors, 0),
                         error, "recycling descriptor sets") < 0
          || !open_chunk (self, error))
        return VK_NULL_HANDLE;

      self->batch_profiled = self->parent.profiling && self->profile != NULL;
      if (self->batch_profiled)
        {
          VkCommandBuffer first = chunk (self, 0)->buffer;

          reel_vk_profile_reset (self->profile, first);
          reel_vk_profile_stamp (self->profile, first);
        }
    }
  else if ((self->chunk_closed || self->n_in_chunk >= self->chunk_size)
           && !open_chunk (self, error))
    return VK_NULL_HANDLE;

  return chunk (self, self->n_chunks - 1)->buffer;
}

static ReelVkPipeline *
get_pipeline (ReelVkBackend  *self,
              const char     *shader,
              const char     *bindings,
              guint32         push_size,
              const guint32  *spec,
              guint           n_spec,
              GError        **error)
{
  GString *key = g_string_new (shader);
  g_autofree char *key_str = NULL;
  ReelVkPipeline *pipeline;
  const guint32 *spirv;
  gsize spirv_size = 0;

  g_string_append_printf (key, "/%s", bindings);
  for (guint i = 0; i < n_spec; i++)
    g_string_append_printf (key, "/%u", spec[i]);
  key_str = g_string_free (key, FALSE);

  pipeline = g_hash_table_lookup (self->pipelines, key_str);
  if (pipeline != NULL)
    return pipeline;

  spirv = reel_shader_lookup (shader, &spirv_size);
  g_assert (spirv != NULL);
  pipeline = reel_vk_pipeline_new (self->device, self->cache, shader, spirv, spirv_size,
                                   bindings, push_size, spec, n_spec, error);
  if (pipeline == NULL)
    return NULL;
  g_hash_table_insert (self->pipelines, g_steal_pointer (&key_str), pipeline);
  return pipeline;
}

/* Spreads `groups` workgroups over x and y, as flat_index() in shaders/common/index.glsl
 * expects. */
static void
grid_1d (ReelVkBackend *self,
         guint64        groups,
         guint32       *gx,
         guint32       *gy)
{
  guint32 max_x = reel_vk_device_get_limits (self->device)->maxComputeWorkGroupCount[0];

  *gx = (guint32) MIN (groups, (guint64) max_x);
  *gy = div_up (groups, *gx);
}

static gboolean
dispatch (ReelVkBackend   *self,
          const char      *op,
          const char      *shader,
          const guint32   *spec,
          guint            n_spec,
          const Bind      *binds,
          guint            n_binds,
          const void      *push,
          guint32          push_size,
          guint32          gx,
          guint32          gy,
          guint32          gz,
          GError         **error)
{
  const VkPhysicalDeviceLimits *limits = reel_vk_device_get_limits (self->device);
  VkWriteDescriptorSet writes[REEL_VK_MAX_BINDINGS];
  VkDescriptorBufferInfo infos[REEL_VK_MAX_BINDINGS];
  VkBufferView views[REEL_VK_MAX_BINDINGS];
  char bindings[REEL_VK_MAX_BINDINGS + 1];
  ReelVkPipeline *pipeline;
  VkDescriptorSet set = VK_NULL_HANDLE;
  VkCommandBuffer cmd;
  VkResult result;
  const guint32 counts[3] = { gx, gy, gz };
  VkDeviceSize bound = 0;

  g_assert (n_binds <= REEL_VK_MAX_BINDINGS);

  for (int i = 0; i < 3; i++)
    {
      g_assert (counts[i] > 0);
      if (counts[i] > limits->maxComputeWorkGroupCount[i])
        {
          g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                       "%s: this size needs %u workgroups along axis %d, more than the %u "
                       "that the Vulkan device “%s” allows; use smaller inputs", op,
                       counts[i], i, limits->maxComputeWorkGroupCount[i],
                       self->device->physical.properties.deviceName);
          return FALSE;
        }
    }

  for (guint i = 0; i < n_binds; i++)
    bindings[i] = binds[i].view == VK_FORMAT_UNDEFINED ? 's' : 't';
  bindings[n_binds] = '\0';

  pipeline = get_pipeline (self, shader, bindings, push_size, spec, n_spec, error);
  if (pipeline == NULL)
    return FALSE;

  /* Views first: creating one can fail, and nothing is recorded yet. */
  for (guint i = 0; i < n_binds; i++)
    {
      ReelVkAllocation *allocation = binds[i].allocation;

      views[i] = VK_NULL_HANDLE;
      if (binds[i].view != VK_FORMAT_UNDEFINED)
        {
          views[i] = reel_vk_allocation_get_view (self->pool, allocation, binds[i].view, error);
          if (views[i] == VK_NULL_HANDLE)
            return FALSE;
        }
    }

  cmd = next_dispatch_buffer (self, error);
  if (cmd == VK_NULL_HANDLE)
    return FALSE;

  {
    const VkDescriptorSetAllocateInfo info = {
      .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
      .descriptorPool = self->descriptors,
      .descriptorSetCount = 1,
      .pSetLayouts = &pipeline->set_layout,
    };

    result = vkAllocateDescriptorSets (self->device->handle, &info, &set);
  }
  if (reel_vk_check (result, error, "allocating a descriptor set") < 0)
    return FALSE;

  for (guint i = 0; i < n_binds; i++)
    {
      ReelVkAllocation *allocation = binds[i].allocation;

      infos[i] = (VkDescriptorBufferInfo) {
        .buffer = allocation->buffer,
        .offset = allocation->offset,
        .range = allocation->size,
      };
      bound += allocation->size;
      writes[i] = (VkWriteDescriptorSet) {
        .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
        .dstSet = set,
        .dstBinding = i,
        .descriptorCount = 1,
        .descriptorType = pipeline->types[i],
        .pBufferInfo = views[i] == VK_NULL_HANDLE ? &infos[i] : NULL,
        .pTexelBufferView = views[i] != VK_NULL_HANDLE ? &views[i] : NULL,
      };
    }
  vkUpdateDescriptorSets (self->device->handle, n_binds, writes, 0, NULL);

  vkCmdBindPipeline (cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline->pipeline);
  vkCmdBindDescriptorSets (cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline->layout, 0, 1, &set,
                           0, NULL);
  if (push_size > 0)
    vkCmdPushConstants (cmd, pipeline->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, push_size, push);
  vkCmdDispatch (cmd, gx, gy, gz);

  /* Every op may read what the previous one wrote: a full compute-to-compute barrier. */
  {
    const VkMemoryBarrier barrier = {
      .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
      .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
      .dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT,
    };

    vkCmdPipelineBarrier (cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                          VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 1, &barrier, 0, NULL, 0,
                          NULL);
  }

  if (self->batch_profiled)
    reel_vk_profile_stamp (self->profile, cmd);
  g_ptr_array_add (self->batch_ops, (gpointer) op);
  self->n_dispatches++;
  self->n_in_chunk++;
  if (bound >= HEAVY_BYTES && self->chunk_size < MAX_BATCH)
    self->chunk_closed = TRUE;
  return TRUE;
}

/* ---- Tensors ---- */

static gboolean
vk_tensor_alloc (ReelBackend  *backend,
                 ReelTensor   *tensor,
                 GError      **error)
{
  ReelVkBackend *self = VK (backend);

  tensor->storage = reel_vk_buffer_pool_alloc (self->pool,
                                               (VkDeviceSize) tensor->n_elements * sizeof (float),
                                               error);
  return tensor->storage != NULL;
}

static void
vk_tensor_free (ReelBackend *backend,
                ReelTensor  *tensor)
{
  ReelVkBackend *self = VK (backend);

  if (batch_recording (self))
    g_ptr_array_add (self->deferred, tensor->storage);
  else
    reel_vk_buffer_pool_release (self->pool, tensor->storage);
  tensor->storage = NULL;
}

static gboolean
vk_upload (ReelBackend  *backend,
           ReelTensor   *tensor,
           const float  *data,
           GError      **error)
{
  ReelVkBackend *self = VK (backend);

  return flush (self, self->parent.cancellable, error)
         && reel_vk_buffer_pool_write (self->pool, self->command, tensor->storage, data,
                                       reel_tensor_get_size (tensor), error);
}

static gboolean
vk_download (ReelBackend  *backend,
             ReelTensor   *tensor,
             float        *data,
             GError      **error)
{
  ReelVkBackend *self = VK (backend);

  return flush (self, self->parent.cancellable, error)
         && reel_vk_buffer_pool_read (self->pool, self->command, tensor->storage, data,
                                      reel_tensor_get_size (tensor), error);
}

static gboolean
vk_sync (ReelBackend   *backend,
         GCancellable  *cancellable,
         GError       **error)
{
  return flush (VK (backend), cancellable != NULL ? cancellable : backend->cancellable, error);
}

/* ---- Ops ---- */

/* A scratch buffer of at least size bytes. One is enough: the barrier after every dispatch
 * orders each use after the previous one. */
static ReelVkAllocation *
get_scratch (ReelVkBackend  *self,
             VkDeviceSize    size,
             GError        **error)
{
  if (self->scratch != NULL && self->scratch->size >= size)
    return self->scratch;

  if (self->scratch != NULL)
    {
      if (batch_recording (self))
        g_ptr_array_add (self->deferred, self->scratch);
      else
        reel_vk_buffer_pool_release (self->pool, self->scratch);
    }
  self->scratch = reel_vk_buffer_pool_alloc (self->pool, size, error);
  return self->scratch;
}

static gboolean
record_matmul (ReelVkBackend *self, const char *op, ReelTensor *a, ReelTensor *b,
               ReelTensor *bias, ReelTensor *c, int64_t m, int64_t n, int64_t k,
               gboolean b_transposed, GError **error)
{
  gboolean vec4 = self->device->texel_vec4 && k % 4 == 0 && n % 4 == 0;
  const guint32 spec[] = { bias != NULL, FALSE };
  const ReelVkMatmulPush push = {
    (guint32) m, (guint32) n, (guint32) k, (guint32) n, (guint32) n, 0,
  };
  Bind b_bind = STORAGE (b);
  Bind binds[4];

  if (!vec4 && !self->device->texel_float)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "%s: the Vulkan device “%s” cannot read R32 texel buffers, so it needs "
                   "k and n to be multiples of 4", op,
                   self->device->physical.properties.deviceName);
      return FALSE;
    }

  /* The shader wants b as [K,N] so that neighbouring lanes read neighbouring values; a
   * transposed b is turned around first, which costs one pass over b against M passes in the
   * product. */
  if (b_transposed)
    {
      const ReelVkCopyPush transpose = {
        .n = (guint32) (n * k), .s0 = 1, .s1 = 1, .s2 = (guint32) n, .s3 = (guint32) k,
        .perm = 0 | 1 << 2 | 3 << 4 | 2 << 6,
      };
      Bind transpose_binds[3];
      guint32 gx, gy;

      b_bind.allocation = get_scratch (self, (VkDeviceSize) n * k * sizeof (float), error);
      if (b_bind.allocation == NULL)
        return FALSE;
      transpose_binds[0] = STORAGE (b);
      transpose_binds[1] = STORAGE (b);
      transpose_binds[2] = b_bind;
      grid_1d (self, div_up (n * k, ELEMENTWISE), &gx, &gy);
      if (!dispatch (self, "transpose", "permute", NULL, 0, transpose_binds, 3, &transpose,
                     sizeof transpose, gx, gy, 1, error))
        return FALSE;
    }

  binds[0] = vec4 ? TEXEL4 (a) : TEXEL1 (a);
  binds[1] = (Bind) { b_bind.allocation, vec4 ? VK_FORMAT_R32G32B32A32_SFLOAT
                                              : VK_FORMAT_R32_SFLOAT };
  binds[2] = STORAGE (c);
  /* Without a bias the binding still needs a buffer; the shader never reads it. */
  binds[3] = STORAGE (bias != NULL ? bias : c);

  return dispatch (self, op, vec4 ? "matmul_vec4" : "matmul_scalar", spec, G_N_ELEMENTS (spec),
                   binds, 4, &push, sizeof push, div_up (n, MATMUL_TILE_N),
                   div_up (m, MATMUL_TILE_M), 1, error);
}

static gboolean
vk_matmul (ReelBackend *backend, ReelTensor *a, ReelTensor *b, ReelTensor *c, int64_t m,
           int64_t n, int64_t k, gboolean b_transposed, GError **error)
{
  return record_matmul (VK (backend), "matmul", a, b, NULL, c, m, n, k, b_transposed, error);
}

static gboolean
vk_linear (ReelBackend *backend, ReelTensor *x, ReelTensor *w, ReelTensor *bias,
           ReelTensor *y, int64_t m, int64_t n, int64_t k, GError **error)
{
  return record_matmul (VK (backend), "linear", x, w, bias, y, m, n, k, TRUE, error);
}

/* A convolution as im2col + matmul, a chunk of whole output rows at a time: out[b, co, pos] =
 * weight [c_out, K] · col [K, chunk] with K = c_in·kt·kh·kw. The chunk keeps col within
 * CONV_CHUNK_BYTES; the scratch buffer is reused from chunk to chunk (the barrier after each
 * dispatch orders them). */
static gboolean
record_conv (ReelVkBackend *self, const char *op, ReelTensor *x, ReelTensor *weight,
             ReelTensor *bias, ReelTensor *out, ReelVkIm2colPush *unfold, int64_t c_out,
             int64_t to, int64_t batch, GError **error)
{
  int64_t k = (int64_t) unfold->c_in * unfold->kt * unfold->kh * unfold->kw;
  int64_t wo = unfold->wo, n_rows = to * unfold->ho, n_pos = n_rows * wo;
  int64_t x_size = (int64_t) unfold->c_in * unfold->t * unfold->h * unfold->w;
  int64_t chunk_rows, ldb_max;
  gboolean vec4 = self->device->texel_vec4 && k % 4 == 0;
  const guint32 spec[] = { bias != NULL, TRUE };
  ReelVkAllocation *col;

  if (!vec4 && !self->device->texel_float)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "%s: the Vulkan device “%s” needs c_in · kernel size to be a multiple of 4",
                   op, self->device->physical.properties.deviceName);
      return FALSE;
    }

  /* Whole rows, and at least a few of the matmul's column tiles per chunk even for a huge K. */
  chunk_rows = (int64_t) (CONV_CHUNK_BYTES / sizeof (float)) / k / wo;
  chunk_rows = CLAMP (chunk_rows, MAX (1, 1024 / wo), n_rows);
  ldb_max = (chunk_rows * wo + 3) / 4 * 4;
  if (!fits_u32 (op, k * ldb_max, error) || !fits_u32 (op, batch * c_out * n_pos, error))
    return FALSE;
  col = get_scratch (self, (VkDeviceSize) (k * ldb_max) * sizeof (float), error);
  if (col == NULL)
    return FALSE;

  for (int64_t b = 0; b < batch; b++)
    for (int64_t row = 0; row < n_rows; row += chunk_rows)
      {
        int64_t rows = MIN (chunk_rows, n_rows - row);
        int64_t width = rows * wo;
        int64_t ldb = (width + 3) / 4 * 4;
        const Bind unfold_binds[] = { STORAGE (x), { col, VK_FORMAT_UNDEFINED } };
        const ReelVkMatmulPush product = {
          .m = (guint32) c_out, .n = (guint32) width, .k = (guint32) k, .ldb = (guint32) ldb,
          .ldc = (guint32) n_pos, .c_off = (guint32) (b * c_out * n_pos + row * wo),
        };
        Bind product_binds[4];

        unfold->row_start = (guint32) row;
        unfold->n_rows = (guint32) rows;
        unfold->ldb = (guint32) ldb;
        unfold->x_off = (guint32) (b * x_size);
        /* One more group along x when the padding columns fall past the row's last group. */
        if (!dispatch (self, "im2col", "im2col", NULL, 0, unfold_binds, 2, unfold,
                       sizeof *unfold, div_up (wo + (ldb - width), 64), unfold->c_in,
                       (guint32) rows, error))
          return FALSE;

        product_binds[0] = vec4 ? TEXEL4 (weight) : TEXEL1 (weight);
        product_binds[1] = (Bind) { col, vec4 ? VK_FORMAT_R32G32B32A32_SFLOAT
                                              : VK_FORMAT_R32_SFLOAT };
        product_binds[2] = STORAGE (out);
        product_binds[3] = STORAGE (bias != NULL ? bias : out);
        if (!dispatch (self, op, vec4 ? "matmul_vec4" : "matmul_scalar", spec,
                       G_N_ELEMENTS (spec), product_binds, 4, &product, sizeof product,
                       div_up (width, MATMUL_TILE_N), div_up (c_out, MATMUL_TILE_M), 1, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
vk_conv2d (ReelBackend *backend, ReelTensor *x, ReelTensor *weight, ReelTensor *bias,
           ReelTensor *out, const ReelConv2dShape *s, GError **error)
{
  ReelVkIm2colPush unfold = {
    .c_in = (guint32) s->c_in, .t = 1, .h = (guint32) s->h, .w = (guint32) s->w,
    .kt = 1, .kh = (guint32) s->kh, .kw = (guint32) s->kw,
    .st = 1, .sh = (guint32) s->stride_h, .sw = (guint32) s->stride_w,
    .pad_t = 0, .pad_h = (guint32) s->pad_h, .pad_w = (guint32) s->pad_w,
    .ho = (guint32) ((s->h + 2 * s->pad_h - s->kh) / s->stride_h + 1),
    .wo = (guint32) ((s->w + 2 * s->pad_w - s->kw) / s->stride_w + 1),
  };

  return record_conv (VK (backend), "conv2d", x, weight, bias, out, &unfold, s->c_out, 1,
                      s->batch, error);
}

static gboolean
vk_conv3d (ReelBackend *backend, ReelTensor *x, ReelTensor *weight, ReelTensor *bias,
           ReelTensor *out, const ReelConv3dShape *s, GError **error)
{
  int64_t pad_front = s->causal ? s->kt - 1 : s->pad_t;
  int64_t pad_back = s->causal ? 0 : s->pad_t;
  ReelVkIm2colPush unfold = {
    .c_in = (guint32) s->c_in, .t = (guint32) s->t, .h = (guint32) s->h, .w = (guint32) s->w,
    .kt = (guint32) s->kt, .kh = (guint32) s->kh, .kw = (guint32) s->kw,
    .st = (guint32) s->stride_t, .sh = (guint32) s->stride_h, .sw = (guint32) s->stride_w,
    .pad_t = (guint32) pad_front, .pad_h = (guint32) s->pad_h, .pad_w = (guint32) s->pad_w,
    .ho = (guint32) ((s->h + 2 * s->pad_h - s->kh) / s->stride_h + 1),
    .wo = (guint32) ((s->w + 2 * s->pad_w - s->kw) / s->stride_w + 1),
  };
  int64_t to = (s->t + pad_front + pad_back - s->kt) / s->stride_t + 1;

  return record_conv (VK (backend), "conv3d", x, weight, bias, out, &unfold, s->c_out, to, 1,
                      error);
}

static gboolean
vk_attention (ReelBackend *backend, ReelTensor *q, ReelTensor *k, ReelTensor *v,
              ReelTensor *out, int64_t sq, int64_t sk, int64_t heads, int64_t d, float scale,
              GError **error)
{
  ReelVkBackend *self = VK (backend);
  gboolean vec4 = self->device->texel_vec4 && d % 4 == 0;
  guint32 rows = d <= 64 ? 8 : 4;
  const guint32 spec[] = { (guint32) ((d + 3) / 4), rows };
  const ReelVkAttentionPush push = {
    (guint32) sq, (guint32) sk, (guint32) heads, (guint32) d, scale,
  };
  const Bind binds[] = {
    vec4 ? TEXEL4 (q) : TEXEL1 (q),
    vec4 ? TEXEL4 (k) : TEXEL1 (k),
    vec4 ? TEXEL4 (v) : TEXEL1 (v),
    STORAGE (out),
  };

  /* The head's rows live in registers; past this the shader would spill beyond use. */
  if (d > MAX_HEAD_DIM)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "attention: the Vulkan backend handles heads of up to %d values, not %"
                   G_GINT64_FORMAT "; use the CPU backend", MAX_HEAD_DIM, d);
      return FALSE;
    }
  if (!vec4 && !self->device->texel_float)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "attention: the Vulkan device “%s” needs a head size that is a multiple "
                   "of 4", self->device->physical.properties.deviceName);
      return FALSE;
    }

  return dispatch (self, "attention", vec4 ? "attention_vec4" : "attention_scalar", spec,
                   G_N_ELEMENTS (spec), binds, G_N_ELEMENTS (binds), &push, sizeof push,
                   div_up (sq, ATTN_GROUP * rows), (guint32) heads, 1, error);
}

static gboolean
record_norm (ReelVkBackend *self, const char *op, const char *shader, ReelTensor *x,
             ReelTensor *weight, ReelTensor *bias, ReelTensor *y, int64_t rows, int64_t dim,
             int64_t spatial, int64_t group_channels, float eps, GError **error)
{
  const guint32 spec[] = { weight != NULL, bias != NULL };
  const ReelVkNormPush push = {
    (guint32) rows, (guint32) dim, (guint32) spatial, (guint32) group_channels, eps,
  };
  const Bind binds[] = {
    STORAGE (x),
    STORAGE (weight != NULL ? weight : x),
    STORAGE (bias != NULL ? bias : x),
    STORAGE (y),
  };
  guint32 gx, gy;

  if (!fits_u32 (op, rows, error) || !fits_u32 (op, dim, error))
    return FALSE;
  grid_1d (self, (guint64) rows, &gx, &gy);
  return dispatch (self, op, shader, spec, G_N_ELEMENTS (spec), binds, G_N_ELEMENTS (binds),
                   &push, sizeof push, gx, gy, 1, error);
}

static gboolean
vk_layer_norm (ReelBackend *backend, ReelTensor *x, ReelTensor *weight, ReelTensor *bias,
               ReelTensor *y, int64_t rows, int64_t dim, float eps, GError **error)
{
  return record_norm (VK (backend), "layer_norm", "layer_norm", x, weight, bias, y, rows, dim,
                      1, 1, eps, error);
}

static gboolean
vk_rms_norm (ReelBackend *backend, ReelTensor *x, ReelTensor *weight, ReelTensor *y,
             int64_t rows, int64_t dim, float eps, GError **error)
{
  return record_norm (VK (backend), "rms_norm", "rms_norm", x, weight, NULL, y, rows, dim, 1,
                      1, eps, error);
}

static gboolean
vk_group_norm (ReelBackend *backend, ReelTensor *x, ReelTensor *weight, ReelTensor *bias,
               ReelTensor *y, int64_t channels, int64_t spatial, int64_t groups, float eps,
               GError **error)
{
  int64_t group_channels = channels / groups;

  return record_norm (VK (backend), "group_norm", "group_norm", x, weight, bias, y, groups,
                      group_channels * spatial, spatial, group_channels, eps, error);
}

/* One invocation per value of n, for the 1-D ops. */
static gboolean
record_1d (ReelVkBackend *self, const char *op, const char *shader, const guint32 *spec,
           guint n_spec, const Bind *binds, guint n_binds, const void *push, guint32 push_size,
           int64_t n, GError **error)
{
  guint32 gx, gy;

  if (!fits_u32 (op, n, error))
    return FALSE;
  grid_1d (self, div_up (n, ELEMENTWISE), &gx, &gy);
  return dispatch (self, op, shader, spec, n_spec, binds, n_binds, push, push_size, gx, gy, 1,
                   error);
}

static gboolean
vk_gelu_tanh (ReelBackend *backend, ReelTensor *x, ReelTensor *y, int64_t n, GError **error)
{
  const ReelVkUnaryPush push = { (guint32) n };
  const Bind binds[] = { STORAGE (x), STORAGE (y) };

  return record_1d (VK (backend), "gelu_tanh", "gelu_tanh", NULL, 0, binds, 2, &push,
                    sizeof push, n, error);
}

static gboolean
vk_silu (ReelBackend *backend, ReelTensor *x, ReelTensor *y, int64_t n, GError **error)
{
  const ReelVkUnaryPush push = { (guint32) n };
  const Bind binds[] = { STORAGE (x), STORAGE (y) };

  return record_1d (VK (backend), "silu", "silu", NULL, 0, binds, 2, &push, sizeof push, n,
                    error);
}

static gboolean
vk_softmax (ReelBackend *backend, ReelTensor *x, ReelTensor *y, int64_t rows, int64_t dim,
            GError **error)
{
  ReelVkBackend *self = VK (backend);
  const ReelVkSoftmaxPush push = { (guint32) rows, (guint32) dim };
  const Bind binds[] = { STORAGE (x), STORAGE (y) };
  guint32 gx, gy;

  if (!fits_u32 ("softmax", rows, error) || !fits_u32 ("softmax", dim, error))
    return FALSE;
  grid_1d (self, (guint64) rows, &gx, &gy);
  return dispatch (self, "softmax", "softmax", NULL, 0, binds, 2, &push, sizeof push, gx, gy, 1,
                   error);
}

static gboolean
vk_add (ReelBackend *backend, ReelTensor *a, ReelTensor *b, ReelTensor *out, int64_t n,
        int64_t b_len, GError **error)
{
  const ReelVkBinaryPush push = { (guint32) n, (guint32) b_len };
  const Bind binds[] = { STORAGE (a), STORAGE (b), STORAGE (out) };

  return record_1d (VK (backend), "add", "add", NULL, 0, binds, 3, &push, sizeof push, n,
                    error);
}

static gboolean
vk_mul (ReelBackend *backend, ReelTensor *a, ReelTensor *b, ReelTensor *out, int64_t n,
        int64_t b_len, GError **error)
{
  const ReelVkBinaryPush push = { (guint32) n, (guint32) b_len };
  const Bind binds[] = { STORAGE (a), STORAGE (b), STORAGE (out) };

  return record_1d (VK (backend), "mul", "mul", NULL, 0, binds, 3, &push, sizeof push, n,
                    error);
}

static gboolean
vk_modulate (ReelBackend *backend, ReelTensor *x, ReelTensor *shift, ReelTensor *scale,
             ReelTensor *y, int64_t rows, int64_t dim, GError **error)
{
  const ReelVkModulatePush push = { (guint32) (rows * dim), (guint32) dim };
  const Bind binds[] = { STORAGE (x), STORAGE (shift), STORAGE (scale), STORAGE (y) };

  return record_1d (VK (backend), "modulate", "modulate", NULL, 0, binds, 4, &push,
                    sizeof push, rows * dim, error);
}

static gboolean
vk_rope3d (ReelBackend *backend, ReelTensor *x, ReelTensor *y, int64_t frames, int64_t height,
           int64_t width, int64_t heads, int64_t d, float theta, GError **error)
{
  int64_t n_pairs = frames * height * width * heads * d / 2;
  const ReelVkRopePush push = {
    (guint32) n_pairs, (guint32) height, (guint32) width, (guint32) heads, (guint32) d,
    (float) log ((double) theta),
  };
  const Bind binds[] = { STORAGE (x), STORAGE (y) };

  return record_1d (VK (backend), "rope3d", "rope3d", NULL, 0, binds, 2, &push, sizeof push,
                    n_pairs, error);
}

static gboolean
vk_resize (ReelBackend *backend, ReelTensor *x, ReelTensor *y, int64_t channels, int64_t h,
           int64_t w, int64_t out_h, int64_t out_w, ReelResizeMode mode, GError **error)
{
  const guint32 spec[] = { mode == REEL_RESIZE_BILINEAR };
  const ReelVkResizePush push = {
    (guint32) (channels * out_h * out_w), (guint32) h, (guint32) w, (guint32) out_h,
    (guint32) out_w, (float) h / (float) out_h, (float) w / (float) out_w,
  };
  const Bind binds[] = { STORAGE (x), STORAGE (y) };

  return record_1d (VK (backend), "resize", "resize", spec, 1, binds, 2, &push, sizeof push,
                    channels * out_h * out_w, error);
}

static gboolean
record_patchify (ReelVkBackend *self, const char *op, gboolean inverse, ReelTensor *src,
                 ReelTensor *dst, int64_t c, int64_t t, int64_t h, int64_t w, int64_t pt,
                 int64_t ph, int64_t pw, GError **error)
{
  const guint32 spec[] = { inverse };
  const ReelVkPatchifyPush push = {
    (guint32) (c * t * h * w), (guint32) c, (guint32) t, (guint32) h, (guint32) w,
    (guint32) pt, (guint32) ph, (guint32) pw,
  };
  const Bind binds[] = { STORAGE (src), STORAGE (dst) };

  return record_1d (self, op, "patchify", spec, 1, binds, 2, &push, sizeof push, c * t * h * w,
                    error);
}

static gboolean
vk_patchify (ReelBackend *backend, ReelTensor *x, ReelTensor *tokens, int64_t c, int64_t t,
             int64_t h, int64_t w, int64_t pt, int64_t ph, int64_t pw, GError **error)
{
  return record_patchify (VK (backend), "patchify", FALSE, x, tokens, c, t, h, w, pt, ph, pw,
                          error);
}

static gboolean
vk_unpatchify (ReelBackend *backend, ReelTensor *tokens, ReelTensor *x, int64_t c, int64_t t,
               int64_t h, int64_t w, int64_t pt, int64_t ph, int64_t pw, GError **error)
{
  return record_patchify (VK (backend), "unpatchify", TRUE, tokens, x, c, t, h, w, pt, ph, pw,
                          error);
}

static gboolean
vk_concat (ReelBackend *backend, ReelTensor *a, ReelTensor *b, ReelTensor *out, int64_t outer,
           int64_t a_inner, int64_t b_inner, GError **error)
{
  const ReelVkCopyPush push = {
    .n = (guint32) (outer * (a_inner + b_inner)), .s0 = (guint32) a_inner,
    .s1 = (guint32) b_inner,
  };
  const Bind binds[] = { STORAGE (a), STORAGE (b), STORAGE (out) };

  return record_1d (VK (backend), "concat", "concat", NULL, 0, binds, 3, &push, sizeof push,
                    outer * (a_inner + b_inner), error);
}

static gboolean
vk_slice (ReelBackend *backend, ReelTensor *x, ReelTensor *out, int64_t outer, int64_t dim,
          int64_t inner, int64_t start, int64_t len, GError **error)
{
  const ReelVkCopyPush push = {
    .n = (guint32) (outer * len * inner), .s0 = (guint32) dim, .s1 = (guint32) inner,
    .s2 = (guint32) start, .s3 = (guint32) len,
  };
  const Bind binds[] = { STORAGE (x), STORAGE (x), STORAGE (out) };

  return record_1d (VK (backend), "slice", "slice", NULL, 0, binds, 3, &push, sizeof push,
                    outer * len * inner, error);
}

static gboolean
vk_permute (ReelBackend *backend, ReelTensor *x, ReelTensor *out, const int64_t shape[4],
            const int perm[4], GError **error)
{
  const ReelVkCopyPush push = {
    .n = (guint32) (shape[0] * shape[1] * shape[2] * shape[3]),
    .s0 = (guint32) shape[0], .s1 = (guint32) shape[1], .s2 = (guint32) shape[2],
    .s3 = (guint32) shape[3],
    .perm = (guint32) (perm[0] | perm[1] << 2 | perm[2] << 4 | perm[3] << 6),
  };
  const Bind binds[] = { STORAGE (x), STORAGE (x), STORAGE (out) };

  return record_1d (VK (backend), "permute", "permute", NULL, 0, binds, 3, &push, sizeof push,
                    x->n_elements, error);
}

/* ---- Life cycle ---- */

static void
vk_finalize (ReelBackend *backend)
{
  ReelVkBackend *self = VK (backend);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer pipeline;

  /* A lost device runs nothing more: the batch is dropped and the cache not read back. Its
   * objects can still be destroyed, as Vulkan allows after a loss. */
  if (backend->lost_error != NULL)
    {
      for (guint i = 0; self->chunks != NULL && i < self->n_chunks; i++)
        reel_vk_command_discard (chunk (self, i));
      self->n_chunks = 0;
    }
  else
    {
      if (self->chunks != NULL && !flush (self, NULL, &error))
        {
          g_debug ("Dropping the last batch: %s", error->message);
          g_clear_error (&error);
        }
      if (self->cache != NULL && !reel_vk_pipeline_cache_save (self->cache, &error))
        g_debug ("Could not save the pipeline cache: %s", error->message);
    }

  if (self->pipelines != NULL)
    {
      g_hash_table_iter_init (&iter, self->pipelines);
      while (g_hash_table_iter_next (&iter, NULL, &pipeline))
        reel_vk_pipeline_free (self->device, pipeline);
      g_hash_table_unref (self->pipelines);
    }
  if (self->scratch != NULL)
    reel_vk_buffer_pool_release (self->pool, self->scratch);
  if (self->deferred != NULL)
    {
      release_deferred (self);
      g_ptr_array_unref (self->deferred);
    }
  g_clear_pointer (&self->batch_ops, g_ptr_array_unref);
  if (self->descriptors != VK_NULL_HANDLE)
    vkDestroyDescriptorPool (self->device->handle, self->descriptors, NULL);
  g_clear_pointer (&self->profile, reel_vk_profile_free);
  g_clear_pointer (&self->cache, reel_vk_pipeline_cache_free);
  g_clear_pointer (&self->chunks, g_ptr_array_unref);
  g_clear_pointer (&self->command, reel_vk_command_free);
  g_clear_pointer (&self->pool, reel_vk_buffer_pool_free);
  g_clear_pointer (&self->device, reel_vk_device_unref);
  g_clear_pointer (&self->instance, reel_vk_instance_unref);
}

static const ReelBackendClass vk_backend_class = {
  .finalize = vk_finalize,
  .tensor_alloc = vk_tensor_alloc,
  .tensor_free = vk_tensor_free,
  .upload = vk_upload,
  .download = vk_download,
  .sync = vk_sync,
  .matmul = vk_matmul,
  .linear = vk_linear,
  .conv2d = vk_conv2d,
  .conv3d = vk_conv3d,
  .attention = vk_attention,
  .layer_norm = vk_layer_norm,
  .rms_norm = vk_rms_norm,
  .group_norm = vk_group_norm,
  .gelu_tanh = vk_gelu_tanh,
  .silu = vk_silu,
  .softmax = vk_softmax,
  .add = vk_add,
  .mul = vk_mul,
  .modulate = vk_modulate,
  .rope3d = vk_rope3d,
  .resize = vk_resize,
  .patchify = vk_patchify,
  .unpatchify = vk_unpatchify,
  .concat = vk_concat,
  .slice = vk_slice,
  .permute = vk_permute,
};

ReelBackend *
reel_vk_backend_new (const char  *device_preference,
                     GError     **error)
{
  g_autoptr(ReelBackend) backend = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *name = NULL;
  const ReelVkPhysicalDevice *physical;
  ReelVkBackend *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (ReelVkBackend, 1);
  backend = &self->parent;
  reel_backend_init (backend, &vk_backend_class, REEL_BACKEND_VULKAN, NULL);

  self->instance = reel_vk_instance_new (error);
  if (self->instance == NULL)
    return NULL;
  devices = reel_vk_list_physical_devices (self->instance, error);
  if (devices == NULL)
    return NULL;
  physical = reel_vk_choose_physical_device (devices, device_preference, NULL, error);
  if (physical == NULL)
    return NULL;
  self->device = reel_vk_device_new (self->instance, physical, error);
  if (self->device == NULL)
    return NULL;

  name = g_strdup_printf ("vulkan (%s)", physical->properties.deviceName);
  g_free (backend->name);
  backend->name = g_steal_pointer (&name);

  self->pool = reel_vk_buffer_pool_new (self->device);
  self->pipelines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->batch_ops = g_ptr_array_new ();
  self->deferred = g_ptr_array_new ();
  self->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_vk_command_free);
  self->chunk_size = CHUNK_DISPATCHES;
  {
    const char *env = g_getenv ("REEL_VK_CHUNK");
    guint64 value;

    if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, MAX_BATCH, &value, NULL))
      self->chunk_size = (guint) value;
  }

  self->command = reel_vk_command_new (self->device, error);
  if (self->command == NULL)
    return NULL;
  self->cache = reel_vk_pipeline_cache_new (self->device, NULL, error);
  if (self->cache == NULL)
    return NULL;

  {
    const VkDescriptorPoolSize sizes[] = {
      { VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, MAX_BATCH * 4 },
      { VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER, MAX_BATCH * 3 },
    };
    const VkDescriptorPoolCreateInfo info = {
      .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
      .maxSets = MAX_BATCH,
      .poolSizeCount = G_N_ELEMENTS (sizes),
      .pPoolSizes = sizes,
    };

    if (reel_vk_check (vkCreateDescriptorPool (self->device->handle, &info, NULL,
                                               &self->descriptors),
                       error, "creating the descriptor pool") < 0)
      return NULL;
  }

  self->profile = reel_vk_profile_new (self->device, MAX_BATCH + 1, error);
  if (self->profile == NULL && error != NULL && *error != NULL)
    return NULL;

  return g_steal_pointer (&backend);
}

ReelVkDevice *
reel_vk_backend_get_device (ReelBackend *backend)
{
  g_return_val_if_fail (backend != NULL && backend->kind == REEL_BACKEND_VULKAN, NULL);

  return VK (backend)->device;
}

guint
reel_vk_backend_get_n_validation_messages (ReelBackend *backend)
{
  g_return_val_if_fail (backend != NULL && backend->kind == REEL_BACKEND_VULKAN, 0);

  return reel_vk_instance_get_n_validation_messages (VK (backend)->instance);
}

const char *
reel_vk_backend_get_pipeline_cache_path (ReelBackend *backend)
{
  g_return_val_if_fail (backend != NULL && backend->kind == REEL_BACKEND_VULKAN, NULL);

  return reel_vk_pipeline_cache_get_path (VK (backend)->cache);
}

gsize
reel_vk_backend_get_pipeline_cache_loaded_size (ReelBackend *backend)
{
  g_return_val_if_fail (backend != NULL && backend->kind == REEL_BACKEND_VULKAN, 0);

  return reel_vk_pipeline_cache_get_loaded_size (VK (backend)->cache);
}

gboolean
reel_vk_backend_save_pipeline_cache (ReelBackend  *backend,
                                     GError      **error)
{
  g_return_val_if_fail (backend != NULL && backend->kind == REEL_BACKEND_VULKAN, FALSE);

  return reel_vk_pipeline_cache_save (VK (backend)->cache, error);
}
