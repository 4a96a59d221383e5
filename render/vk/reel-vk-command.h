#pragma once

#include <gio/gio.h>
#include <vulkan/vulkan.h>

#include "reel-vk-device.h"

G_BEGIN_DECLS

/* One command buffer with its pool and fence: recorded, submitted to the compute queue,
 * waited for, and recorded again. The backend keeps several, so that a cancellable sync can
 * submit its work a few dispatches at a time (reel-vk-backend.c); staging copies use one. */
typedef struct
{
  ReelVkDevice    *device;
  VkCommandPool    pool;
  VkCommandBuffer  buffer;
  VkFence          fence;
  gboolean         recording;
  gboolean         pending;         /* submitted with the fence, not yet waited for */
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

/* Ends recording and submits, signalling the fence; does not wait. */
gboolean       reel_vk_command_submit          (ReelVkCommand  *self,
                                                GError        **error);
/* Ends the recording of each of commands and submits them all in one vkQueueSubmit, in
 * order; only the last one's fence is signalled, so wait for that one. */
gboolean       reel_vk_command_submit_all      (ReelVkCommand **commands,
                                                guint           n_commands,
                                                GError        **error);
/* Waits for a pending submission and makes the buffer ready to record again. */
gboolean       reel_vk_command_wait            (ReelVkCommand  *self,
                                                GError        **error);
/* Drops what was recorded and not submitted. */
void           reel_vk_command_discard         (ReelVkCommand  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelVkCommand, reel_vk_command_free)

G_END_DECLS
