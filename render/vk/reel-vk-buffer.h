#pragma once

#include <glib.h>
#include <vulkan/vulkan.h>

#include "reel-vk-command.h"
#include "reel-vk-device.h"

G_BEGIN_DECLS

/* Tensors live in a few large VkBuffers carved into aligned ranges, because devices limit the
 * number of memory allocations and allocating is slow. Where the device has memory that is
 * both device-local and host-visible (integrated GPUs, lavapipe, resizable BAR) the ranges are
 * mapped and the host copies straight in; elsewhere copies go through a host-visible staging
 * buffer. */
typedef struct _ReelVkBufferPool ReelVkBufferPool;

typedef struct
{
  VkBuffer      buffer;         /* the block's buffer; bind it at offset */
  VkDeviceSize  offset;
  VkDeviceSize  size;
  guint8       *mapped;         /* host address of offset, or NULL when not host-visible */
  VkBufferView  view_vec4;      /* created on demand by reel_vk_allocation_get_view() */
  VkBufferView  view_float;
  gpointer      block;
} ReelVkAllocation;

ReelVkBufferPool *reel_vk_buffer_pool_new     (ReelVkDevice      *device);
void              reel_vk_buffer_pool_free    (ReelVkBufferPool  *self);

/* Fails with REEL_RENDER_ERROR_INVALID_ARGUMENT when size exceeds what the device can bind
 * (maxStorageBufferRange), OUT_OF_MEMORY when the device has no room. */
ReelVkAllocation *reel_vk_buffer_pool_alloc   (ReelVkBufferPool  *self,
                                               VkDeviceSize       size,
                                               GError           **error);
void              reel_vk_buffer_pool_release (ReelVkBufferPool  *self,
                                               ReelVkAllocation  *allocation);

/* A uniform texel buffer view of the allocation in format (R32G32B32A32_SFLOAT or
 * R32_SFLOAT); the vec4 view covers the whole vec4s only. */
VkBufferView      reel_vk_allocation_get_view (ReelVkBufferPool  *self,
                                               ReelVkAllocation  *allocation,
                                               VkFormat           format,
                                               GError           **error);

/* Host copies; the device must not be using the allocation (the backend syncs first).
 * `command` is used for staging copies on devices without host-visible device memory. */
gboolean          reel_vk_buffer_pool_write   (ReelVkBufferPool  *self,
                                               ReelVkCommand     *command,
                                               ReelVkAllocation  *allocation,
                                               const void        *data,
                                               VkDeviceSize       size,
                                               GError           **error);
gboolean          reel_vk_buffer_pool_read    (ReelVkBufferPool  *self,
                                               ReelVkCommand     *command,
                                               ReelVkAllocation  *allocation,
                                               void              *data,
                                               VkDeviceSize       size,
                                               GError           **error);

/* Bytes held in device memory blocks, for diagnostics. */
VkDeviceSize      reel_vk_buffer_pool_get_reserved (ReelVkBufferPool *self);

G_END_DECLS
