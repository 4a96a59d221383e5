#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <string.h>

#include "reel-render-error.h"
#include "reel-vk-buffer.h"
#include "reel-vk-error.h"

/* Blocks shared by small tensors; larger ones get a block of their own. */
#define BLOCK_SIZE      (G_GUINT64_CONSTANT (64) << 20)
#define DEDICATED_SIZE  (BLOCK_SIZE / 4)

#define BUFFER_USAGE (VK_BUFFER_USAGE_STORAGE_BUFFER_BIT \
                      | VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT \
                      | VK_BUFFER_USAGE_TRANSFER_SRC_BIT \
                      | VK_BUFFER_USAGE_TRANSFER_DST_BIT)

typedef struct
{
  VkDeviceSize offset, size;
} Range;

typedef struct
{
  VkBuffer        buffer;
  VkDeviceMemory  memory;
  VkDeviceSize    size;
  guint8         *mapped;
  GArray         *free_ranges;   /* Range, sorted by offset, never adjacent */
  guint           n_live;
} Block;

struct _ReelVkBufferPool
{
  ReelVkDevice  *device;
  VkDeviceSize   alignment;
  int            memory_type;       /* for tensors */
  gboolean       host_visible;      /* … and whether the host can map it */
  int            staging_type;      /* host-visible type for staging copies */
  GPtrArray     *blocks;            /* Block */
  VkDeviceSize   reserved;
};

static int
find_memory_type (ReelVkDevice          *device,
                  VkMemoryPropertyFlags  wanted)
{
  for (uint32_t i = 0; i < device->memory.memoryTypeCount; i++)
    if ((device->memory.memoryTypes[i].propertyFlags & wanted) == wanted)
      return (int) i;
  return -1;
}

ReelVkBufferPool *
reel_vk_buffer_pool_new (ReelVkDevice *device)
{
  ReelVkBufferPool *self = g_new0 (ReelVkBufferPool, 1);
  const VkPhysicalDeviceLimits *limits = reel_vk_device_get_limits (device);
  const VkMemoryPropertyFlags host = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT
                                     | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;

  self->device = reel_vk_device_ref (device);
  /* 16 keeps every tensor vec4-aligned for the shaders' vec4 texel views. */
  self->alignment = MAX (16, MAX (limits->minStorageBufferOffsetAlignment,
                                  limits->minTexelBufferOffsetAlignment));
  self->blocks = g_ptr_array_new ();

  self->memory_type = find_memory_type (device, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT | host);
  self->host_visible = self->memory_type >= 0;
  if (self->memory_type < 0)
    self->memory_type = find_memory_type (device, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  if (self->memory_type < 0)
    {
      self->memory_type = find_memory_type (device, host);
      self->host_visible = TRUE;
    }
  /* REEL_VK_STAGING=1 copies through staging buffers even where memory could be mapped, so
   * that the path discrete GPUs take is tested on lavapipe too. */
  if (g_strcmp0 (g_getenv ("REEL_VK_STAGING"), "1") == 0)
    self->host_visible = FALSE;
  self->staging_type = find_memory_type (device, host);
  /* Vulkan requires a host-visible coherent type, so there always is one. */
  g_assert (self->memory_type >= 0 && self->staging_type >= 0);
  return self;
}

static void
block_free (ReelVkBufferPool *self,
            Block            *block)
{
  VkDevice device = self->device->handle;

  if (block->mapped != NULL)
    vkUnmapMemory (device, block->memory);
  vkDestroyBuffer (device, block->buffer, NULL);
  vkFreeMemory (device, block->memory, NULL);
  self->reserved -= block->size;
  g_array_unref (block->free_ranges);
  g_free (block);
}

void
reel_vk_buffer_pool_free (ReelVkBufferPool *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->blocks->len; i++)
    block_free (self, g_ptr_array_index (self->blocks, i));
  g_ptr_array_unref (self->blocks);
  reel_vk_device_unref (self->device);
  g_free (self);
}

/* Creates a buffer with memory of type `type` bound; maps it when `map`. */
static gboolean
create_buffer (ReelVkDevice    *device,
               VkDeviceSize     size,
               int              type,
               gboolean         map,
               VkBuffer        *buffer,
               VkDeviceMemory  *memory,
               guint8         **mapped,
               GError         **error)
{
  VkMemoryRequirements requirements;
  const VkBufferCreateInfo buffer_info = {
    .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
    .size = size,
    .usage = BUFFER_USAGE,
    .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
  };
  void *pointer = NULL;

  *buffer = VK_NULL_HANDLE;
  *memory = VK_NULL_HANDLE;
  *mapped = NULL;

  if (reel_vk_check (vkCreateBuffer (device->handle, &buffer_info, NULL, buffer), error,
                     "creating a buffer") < 0)
    return FALSE;

  vkGetBufferMemoryRequirements (device->handle, *buffer, &requirements);
  if (!(requirements.memoryTypeBits & (1u << type)))
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_FAILED,
                   "The Vulkan device “%s” cannot place storage buffers in its memory type %d",
                   device->physical.properties.deviceName, type);
      goto fail;
    }

  {
    const VkMemoryAllocateInfo memory_info = {
      .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
      .allocationSize = requirements.size,
      .memoryTypeIndex = (uint32_t) type,
    };
    g_autofree char *what = g_strdup_printf ("allocating %.1f MiB of device memory",
                                             requirements.size / 1048576.0);

    if (reel_vk_check (vkAllocateMemory (device->handle, &memory_info, NULL, memory), error,
                       what) < 0)
      goto fail;
  }

  if (reel_vk_check (vkBindBufferMemory (device->handle, *buffer, *memory, 0), error,
                     "binding buffer memory") < 0)
    goto fail;
  if (map && reel_vk_check (vkMapMemory (device->handle, *memory, 0, VK_WHOLE_SIZE, 0,
                                         &pointer),
                            error, "mapping device memory") < 0)
    goto fail;
  *mapped = pointer;
  return TRUE;

fail:
  if (*buffer != VK_NULL_HANDLE)
    vkDestroyBuffer (device->handle, *buffer, NULL);
  if (*memory != VK_NULL_HANDLE)
    vkFreeMemory (device->handle, *memory, NULL);
  *buffer = VK_NULL_HANDLE;
  *memory = VK_NULL_HANDLE;
  return FALSE;
}

static Block *
block_new (ReelVkBufferPool  *self,
           VkDeviceSize       size,
           GError           **error)
{
  g_autofree Block *block = g_new0 (Block, 1);
  Range all = { 0, size };

  if (!create_buffer (self->device, size, self->memory_type, self->host_visible,
                      &block->buffer, &block->memory, &block->mapped, error))
    return NULL;
  block->size = size;
  block->free_ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  g_array_append_val (block->free_ranges, all);
  self->reserved += size;
  g_ptr_array_add (self->blocks, block);
  return g_steal_pointer (&block);
}

/* First fit; returns FALSE when no free range is large enough. */
static gboolean
block_take (Block        *block,
            VkDeviceSize  size,
            VkDeviceSize *offset)
{
  for (guint i = 0; i < block->free_ranges->len; i++)
    {
      Range *r = &g_array_index (block->free_ranges, Range, i);

      if (r->size >= size)
        {
          *offset = r->offset;
          r->offset += size;
          r->size -= size;
          if (r->size == 0)
            g_array_remove_index (block->free_ranges, i);
          block->n_live++;
          return TRUE;
        }
    }
  return FALSE;
}

static void
block_give_back (Block        *block,
                 VkDeviceSize  offset,
                 VkDeviceSize  size)
{
  GArray *ranges = block->free_ranges;
  Range freed = { offset, size };
  guint i = 0;

  while (i < ranges->len && g_array_index (ranges, Range, i).offset < offset)
    i++;
  g_array_insert_val (ranges, i, freed);

  /* Merge with the following range, then with the preceding one. */
  if (i + 1 < ranges->len)
    {
      Range *r = &g_array_index (ranges, Range, i), *next = r + 1;

      if (r->offset + r->size == next->offset)
        {
          r->size += next->size;
          g_array_remove_index (ranges, i + 1);
        }
    }
  if (i > 0)
    {
      Range *prev = &g_array_index (ranges, Range, i - 1), *r = prev + 1;

      if (prev->offset + prev->size == r->offset)
        {
          prev->size += r->size;
          g_array_remove_index (ranges, i);
        }
    }
  block->n_live--;
}

ReelVkAllocation *
reel_vk_buffer_pool_alloc (ReelVkBufferPool  *self,
                           VkDeviceSize       size,
                           GError           **error)
{
  const VkPhysicalDeviceLimits *limits = reel_vk_device_get_limits (self->device);
  VkDeviceSize rounded, offset = 0;
  ReelVkAllocation *allocation;
  Block *block = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (size > limits->maxStorageBufferRange)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "A tensor of %.1f MiB is larger than the %.1f MiB that the Vulkan device "
                   "“%s” can bind at once (maxStorageBufferRange). Render at a smaller size, "
                   "split the work, or use the CPU backend",
                   size / 1048576.0, limits->maxStorageBufferRange / 1048576.0,
                   self->device->physical.properties.deviceName);
      return NULL;
    }

  rounded = (size + self->alignment - 1) / self->alignment * self->alignment;

  if (rounded <= DEDICATED_SIZE)
    for (guint i = 0; i < self->blocks->len && block == NULL; i++)
      {
        Block *candidate = g_ptr_array_index (self->blocks, i);

        if (candidate->size == BLOCK_SIZE && block_take (candidate, rounded, &offset))
          block = candidate;
      }

  if (block == NULL)
    {
      block = block_new (self, rounded <= DEDICATED_SIZE ? BLOCK_SIZE : rounded, error);
      if (block == NULL)
        return NULL;
      if (!block_take (block, rounded, &offset))
        g_assert_not_reached ();
    }

  allocation = g_new0 (ReelVkAllocation, 1);
  allocation->buffer = block->buffer;
  allocation->offset = offset;
  allocation->size = size;
  allocation->mapped = block->mapped != NULL ? block->mapped + offset : NULL;
  allocation->block = block;
  return allocation;
}

void
reel_vk_buffer_pool_release (ReelVkBufferPool *self,
                             ReelVkAllocation *allocation)
{
  Block *block;
  VkDeviceSize rounded;

  g_return_if_fail (self != NULL);
  g_return_if_fail (allocation != NULL);

  block = allocation->block;
  rounded = (allocation->size + self->alignment - 1) / self->alignment * self->alignment;
  if (allocation->view_vec4 != VK_NULL_HANDLE)
    vkDestroyBufferView (self->device->handle, allocation->view_vec4, NULL);
  if (allocation->view_float != VK_NULL_HANDLE)
    vkDestroyBufferView (self->device->handle, allocation->view_float, NULL);
  block_give_back (block, allocation->offset, rounded);
  g_free (allocation);

  /* Dedicated blocks go at once; one empty shared block stays for the next tensors. */
  if (block->n_live == 0)
    {
      gboolean keep = FALSE;

      if (block->size == BLOCK_SIZE)
        {
          keep = TRUE;
          for (guint i = 0; i < self->blocks->len; i++)
            {
              Block *other = g_ptr_array_index (self->blocks, i);

              if (other != block && other->size == BLOCK_SIZE && other->n_live == 0)
                keep = FALSE;
            }
        }
      if (!keep)
        {
          g_ptr_array_remove_fast (self->blocks, block);
          block_free (self, block);
        }
    }
}

VkBufferView
reel_vk_allocation_get_view (ReelVkBufferPool  *self,
                             ReelVkAllocation  *allocation,
                             VkFormat           format,
                             GError           **error)
{
  VkBufferView *view;
  VkDeviceSize texel, range;

  g_return_val_if_fail (format == VK_FORMAT_R32G32B32A32_SFLOAT || format == VK_FORMAT_R32_SFLOAT,
                        VK_NULL_HANDLE);

  if (format == VK_FORMAT_R32G32B32A32_SFLOAT)
    view = &allocation->view_vec4, texel = 16;
  else
    view = &allocation->view_float, texel = 4;

  if (*view != VK_NULL_HANDLE)
    return *view;

  range = allocation->size / texel * texel;
  if (range == 0
      || range / texel > reel_vk_device_get_limits (self->device)->maxTexelBufferElements)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "A tensor of %" G_GUINT64_FORMAT " bytes cannot be read as a texel buffer "
                   "on “%s” (maxTexelBufferElements is %u)", (guint64) allocation->size,
                   self->device->physical.properties.deviceName,
                   reel_vk_device_get_limits (self->device)->maxTexelBufferElements);
      return VK_NULL_HANDLE;
    }

  {
    const VkBufferViewCreateInfo info = {
      .sType = VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO,
      .buffer = allocation->buffer,
      .format = format,
      .offset = allocation->offset,
      .range = range,
    };

    if (reel_vk_check (vkCreateBufferView (self->device->handle, &info, NULL, view), error,
                       "creating a texel buffer view") < 0)
      return VK_NULL_HANDLE;
  }
  return *view;
}

static gboolean
staged_copy (ReelVkBufferPool  *self,
             ReelVkCommand     *command,
             ReelVkAllocation  *allocation,
             const void        *in,
             void              *out,
             VkDeviceSize       size,
             GError           **error)
{
  VkBuffer staging = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  guint8 *mapped = NULL;
  gboolean ok = FALSE;

  if (!create_buffer (self->device, size, self->staging_type, TRUE, &staging, &memory, &mapped,
                      error))
    return FALSE;

  if (in != NULL)
    memcpy (mapped, in, size);

  if (reel_vk_command_begin (command, error))
    {
      const VkBufferCopy region = {
        .srcOffset = in != NULL ? 0 : allocation->offset,
        .dstOffset = in != NULL ? allocation->offset : 0,
        .size = size,
      };

      if (in != NULL)
        vkCmdCopyBuffer (command->buffer, staging, allocation->buffer, 1, &region);
      else
        vkCmdCopyBuffer (command->buffer, allocation->buffer, staging, 1, &region);
      ok = reel_vk_command_submit_and_wait (command, NULL, error);
    }

  if (ok && out != NULL)
    memcpy (out, mapped, size);

  vkUnmapMemory (self->device->handle, memory);
  vkDestroyBuffer (self->device->handle, staging, NULL);
  vkFreeMemory (self->device->handle, memory, NULL);
  return ok;
}

gboolean
reel_vk_buffer_pool_write (ReelVkBufferPool  *self,
                           ReelVkCommand     *command,
                           ReelVkAllocation  *allocation,
                           const void        *data,
                           VkDeviceSize       size,
                           GError           **error)
{
  g_return_val_if_fail (size <= allocation->size, FALSE);

  if (allocation->mapped != NULL)
    {
      memcpy (allocation->mapped, data, size);
      return TRUE;
    }
  return staged_copy (self, command, allocation, data, NULL, size, error);
}

gboolean
reel_vk_buffer_pool_read (ReelVkBufferPool  *self,
                          ReelVkCommand     *command,
                          ReelVkAllocation  *allocation,
                          void              *data,
                          VkDeviceSize       size,
                          GError           **error)
{
  g_return_val_if_fail (size <= allocation->size, FALSE);

  if (allocation->mapped != NULL)
    {
      memcpy (data, allocation->mapped, size);
      return TRUE;
    }
  return staged_copy (self, command, allocation, NULL, data, size, error);
}

VkDeviceSize
reel_vk_buffer_pool_get_reserved (ReelVkBufferPool *self)
{
  return self->reserved;
}
