#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include "reel-render-error.h"
#include "reel-vk-command.h"
#include "reel-vk-error.h"

ReelVkCommand *
reel_vk_command_new (ReelVkDevice  *device,
                     GError       **error)
{
  g_autoptr(ReelVkCommand) self = g_new0 (ReelVkCommand, 1);
  const VkCommandPoolCreateInfo pool_info = {
    .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
    .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
    .queueFamilyIndex = (uint32_t) device->physical.compute_family,
  };
  const VkFenceCreateInfo fence_info = {
    .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO,
  };

  self->device = reel_vk_device_ref (device);

  if (reel_vk_check (vkCreateCommandPool (device->handle, &pool_info, NULL, &self->pool),
                     error, "creating a command pool") < 0)
    return NULL;

  {
    const VkCommandBufferAllocateInfo buffer_info = {
      .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
      .commandPool = self->pool,
      .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
      .commandBufferCount = 1,
    };

    if (reel_vk_check (vkAllocateCommandBuffers (device->handle, &buffer_info, &self->buffer),
                       error, "allocating a command buffer") < 0)
      return NULL;
  }

  if (reel_vk_check (vkCreateFence (device->handle, &fence_info, NULL, &self->fence), error,
                     "creating a fence") < 0)
    return NULL;

  return g_steal_pointer (&self);
}

void
reel_vk_command_free (ReelVkCommand *self)
{
  VkDevice device;

  if (self == NULL)
    return;

  device = self->device->handle;
  if (self->recording)
    vkEndCommandBuffer (self->buffer);
  if (self->fence != VK_NULL_HANDLE)
    vkDestroyFence (device, self->fence, NULL);
  if (self->buffer != VK_NULL_HANDLE)
    vkFreeCommandBuffers (device, self->pool, 1, &self->buffer);
  if (self->pool != VK_NULL_HANDLE)
    vkDestroyCommandPool (device, self->pool, NULL);
  reel_vk_device_unref (self->device);
  g_free (self);
}

gboolean
reel_vk_command_begin (ReelVkCommand  *self,
                       GError        **error)
{
  const VkCommandBufferBeginInfo info = {
    .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
    .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
  };

  if (self->recording)
    return TRUE;
  if (reel_vk_check (vkBeginCommandBuffer (self->buffer, &info), error,
                     "starting to record commands") < 0)
    return FALSE;
  self->recording = TRUE;
  return TRUE;
}

gboolean
reel_vk_command_submit_all (ReelVkCommand **commands,
                            guint           n_commands,
                            GError        **error)
{
  g_autofree VkCommandBuffer *buffers = g_new (VkCommandBuffer, n_commands);
  ReelVkCommand *last;
  VkSubmitInfo submit = {
    .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
    .commandBufferCount = n_commands,
    .pCommandBuffers = buffers,
  };
  gboolean ok = TRUE;

  g_return_val_if_fail (n_commands > 0, FALSE);

  for (guint i = 0; i < n_commands; i++)
    {
      g_return_val_if_fail (commands[i]->recording, FALSE);

      commands[i]->recording = FALSE;
      buffers[i] = commands[i]->buffer;
      /* Every buffer must end, even after one failed, so that all can be begun again. */
      if (ok && reel_vk_check (vkEndCommandBuffer (commands[i]->buffer), error,
                               "finishing a command buffer") < 0)
        ok = FALSE;
    }
  if (!ok)
    return FALSE;

  last = commands[n_commands - 1];
  if (reel_vk_check (vkQueueSubmit (last->device->queue, 1, &submit, last->fence), error,
                     "submitting work to the device") < 0)
    return FALSE;
  last->pending = TRUE;
  return TRUE;
}

gboolean
reel_vk_command_submit (ReelVkCommand  *self,
                        GError        **error)
{
  ReelVkCommand *one[] = { self };

  return reel_vk_command_submit_all (one, 1, error);
}

gboolean
reel_vk_command_wait (ReelVkCommand  *self,
                      GError        **error)
{
  VkDevice device = self->device->handle;
  VkResult result;

  g_return_val_if_fail (self->pending, FALSE);

  /* Not pending any more whatever happens: after an error the device is lost or the wait
   * timed out, and in both cases nobody will wait for this fence again. */
  self->pending = FALSE;

  /* A bounded wait, so a hung device becomes an error instead of a frozen worker. */
  result = vkWaitForFences (device, 1, &self->fence, VK_TRUE,
                            600 * G_GUINT64_CONSTANT (1000000000));
  if (result == VK_TIMEOUT)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST,
                   "The Vulkan device “%s” did not finish its work within 10 minutes; it is "
                   "probably hung. Restart Reel or choose another compute device",
                   self->device->physical.properties.deviceName);
      return FALSE;
    }
  if (reel_vk_check (result, error, "waiting for the device") < 0)
    return FALSE;
  if (reel_vk_check (vkResetFences (device, 1, &self->fence), error, "resetting a fence") < 0
      || reel_vk_check (vkResetCommandBuffer (self->buffer, 0), error,
                        "resetting a command buffer") < 0)
    return FALSE;
  return TRUE;
}

void
reel_vk_command_discard (ReelVkCommand *self)
{
  g_return_if_fail (!self->pending);

  if (self->recording)
    vkEndCommandBuffer (self->buffer);
  self->recording = FALSE;
  vkResetCommandBuffer (self->buffer, 0);
}

gboolean
reel_vk_command_submit_and_wait (ReelVkCommand  *self,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  if (!reel_vk_command_submit (self, error) || !reel_vk_command_wait (self, error))
    return FALSE;

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_CANCELLED,
                   "The job was cancelled");
      return FALSE;
    }
  return TRUE;
}
