#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include "reel-vk-error.h"
#include "reel-vk-profile.h"

ReelVkProfile *
reel_vk_profile_new (ReelVkDevice  *device,
                     guint          capacity,
                     GError       **error)
{
  ReelVkProfile *self;
  uint32_t bits = device->physical.timestamp_valid_bits;
  const VkQueryPoolCreateInfo info = {
    .sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
    .queryType = VK_QUERY_TYPE_TIMESTAMP,
    .queryCount = capacity,
  };

  if (bits == 0 || reel_vk_device_get_limits (device)->timestampPeriod <= 0)
    return NULL;

  self = g_new0 (ReelVkProfile, 1);
  self->device = reel_vk_device_ref (device);
  self->capacity = capacity;
  self->ns_per_tick = reel_vk_device_get_limits (device)->timestampPeriod;
  self->mask = bits >= 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << bits) - 1;

  if (reel_vk_check (vkCreateQueryPool (device->handle, &info, NULL, &self->pool), error,
                     "creating the profiling query pool") < 0)
    {
      reel_vk_profile_free (self);
      return NULL;
    }
  return self;
}

void
reel_vk_profile_free (ReelVkProfile *self)
{
  if (self == NULL)
    return;

  if (self->pool != VK_NULL_HANDLE)
    vkDestroyQueryPool (self->device->handle, self->pool, NULL);
  reel_vk_device_unref (self->device);
  g_free (self);
}

void
reel_vk_profile_reset (ReelVkProfile   *self,
                       VkCommandBuffer  cmd)
{
  vkCmdResetQueryPool (cmd, self->pool, 0, self->capacity);
  self->used = 0;
}

gboolean
reel_vk_profile_stamp (ReelVkProfile   *self,
                       VkCommandBuffer  cmd)
{
  if (self->used >= self->capacity)
    return FALSE;
  vkCmdWriteTimestamp (cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, self->pool, self->used++);
  return TRUE;
}

guint
reel_vk_profile_read (ReelVkProfile  *self,
                      double         *ms,
                      guint           n_max,
                      GError        **error)
{
  g_autofree guint64 *stamps = NULL;
  guint n;

  if (self->used < 2)
    return 0;

  stamps = g_new (guint64, self->used);
  if (reel_vk_check (vkGetQueryPoolResults (self->device->handle, self->pool, 0, self->used,
                                            self->used * sizeof (guint64), stamps,
                                            sizeof (guint64),
                                            VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
                     error, "reading profiling timestamps") < 0)
    return 0;

  n = MIN (self->used - 1, n_max);
  for (guint i = 0; i < n; i++)
    ms[i] = ((stamps[i + 1] - stamps[i]) & self->mask) * self->ns_per_tick / 1e6;
  self->used = 0;
  return n;
}
