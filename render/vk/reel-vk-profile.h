#pragma once

#include <glib.h>
#include <vulkan/vulkan.h>

#include "reel-vk-device.h"

G_BEGIN_DECLS

/* Timestamp queries around each dispatch of a command buffer: one at the start, one after
 * every op, so that op i took stamp[i + 1] − stamp[i]. */
typedef struct
{
  ReelVkDevice *device;
  VkQueryPool   pool;
  guint         capacity;
  guint         used;
  double        ns_per_tick;
  guint64       mask;
} ReelVkProfile;

/* NULL, without an error, when the device's compute queue has no timestamps. */
ReelVkProfile *reel_vk_profile_new   (ReelVkDevice     *device,
                                      guint             capacity,
                                      GError          **error);
void           reel_vk_profile_free  (ReelVkProfile    *self);

/* Records the reset of the pool into cmd; call once before the first stamp of a batch. */
void           reel_vk_profile_reset (ReelVkProfile    *self,
                                      VkCommandBuffer   cmd);
/* Records a stamp; FALSE when the pool is full. */
gboolean       reel_vk_profile_stamp (ReelVkProfile    *self,
                                      VkCommandBuffer   cmd);
/* After the batch completed: fills ms[i] with stamp[i + 1] − stamp[i] for the stamps
 * recorded; returns how many (used − 1). */
guint          reel_vk_profile_read  (ReelVkProfile    *self,
                                      double           *ms,
                                      guint             n_max,
                                      GError          **error);

G_END_DECLS
