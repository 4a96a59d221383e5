#pragma once

#include <gio/gio.h>
#include <vulkan/vulkan.h>

#include "reel-vk-device.h"

G_BEGIN_DECLS

/* One command buffer with its pool and fence: recorded, submitted to the compute queue,
 * waited for, and recorded again. The engine waits for every submission before it records
 * the next, so one is all it needs. */
typedef struct
{
  ReelVkDevice    *device;
  VkCommandPool    pool;
  VkCommandBuffer  buffer;
  VkFence          fence;
  gboolean         recording;
} ReelVkCommand;

ReelVkCommand *reel_vk_command_new             (ReelVkDevice   *device,
                                                GError        **error);
void           reel_vk_command_free            (ReelVkCommand  *self);

/* Starts recording unless already recording. */
gboolean       reel_vk_command_begin           (ReelVkCommand  *self,
                                                GError        **error);
/* Ends recording, submits, and waits for the fence. The device cannot abandon work it has
 * started, so a cancellation is only reported (REEL_RENDER_ERROR_CANCELLED) once the
 * submission finished. */
gboolean       reel_vk_command_submit_and_wait (ReelVkCommand  *self,
                                                GCancellable   *cancellable,
                                                GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelVkCommand, reel_vk_command_free)

G_END_DECLS
