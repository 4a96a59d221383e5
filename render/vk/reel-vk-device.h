#pragma once

#include <glib.h>
#include <vulkan/vulkan.h>

#include "reel-vk-instance.h"

G_BEGIN_DECLS

/* One physical device as `reel devices` shows it and as the choice weighs it. */
typedef struct
{
  guint                       index;            /* in the loader's enumeration order */
  VkPhysicalDevice            handle;
  VkPhysicalDeviceProperties  properties;
  char                        driver_name[VK_MAX_DRIVER_NAME_SIZE];  /* "" before Vulkan 1.2 */
  char                        driver_info[VK_MAX_DRIVER_INFO_SIZE];
  int                         compute_family;   /* −1 when the device cannot compute */
  uint32_t                    timestamp_valid_bits;
  const char                 *unusable_reason;  /* NULL when Reel can run on it */
} ReelVkPhysicalDevice;

/* Every device the loader reports, usable or not (a GPtrArray of ReelVkPhysicalDevice). */
GPtrArray  *reel_vk_list_physical_devices    (ReelVkInstance  *instance,
                                              GError         **error);

/* Picks the device to run on. REEL_VK_DEVICE in the environment, else `preference` (the
 * `compute-device` setting, which the app layer passes in; NULL or "" for none), names it by
 * index or by a case-insensitive part of its name. Without either, the first usable discrete
 * GPU wins, then an integrated one, then a virtual one, then the CPU (lavapipe). *reason (may
 * be NULL) gets a sentence saying why. A name that matches nothing fails with
 * REEL_RENDER_ERROR_NO_DEVICE listing the devices. */
const ReelVkPhysicalDevice *
            reel_vk_choose_physical_device   (GPtrArray   *devices,
                                              const char  *preference,
                                              char       **reason,
                                              GError     **error);

const char *reel_vk_device_type_to_string    (VkPhysicalDeviceType type);

/* A logical device with one compute queue. The fields are read-only. */
typedef struct
{
  gatomicrefcount                   ref_count;
  ReelVkInstance                   *instance;
  ReelVkPhysicalDevice              physical;
  VkDevice                          handle;
  VkQueue                           queue;
  VkPhysicalDeviceMemoryProperties  memory;
  gboolean                          texel_vec4;   /* R32G32B32A32_SFLOAT uniform texel buffers */
  gboolean                          texel_float;  /* R32_SFLOAT uniform texel buffers */
} ReelVkDevice;

ReelVkDevice *reel_vk_device_new   (ReelVkInstance             *instance,
                                    const ReelVkPhysicalDevice *physical,
                                    GError                    **error);
ReelVkDevice *reel_vk_device_ref   (ReelVkDevice *self);
void          reel_vk_device_unref (ReelVkDevice *self);

static inline const VkPhysicalDeviceLimits *
reel_vk_device_get_limits (ReelVkDevice *self)
{
  return &self->physical.properties.limits;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelVkDevice, reel_vk_device_unref)

G_END_DECLS
