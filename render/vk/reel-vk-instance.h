#pragma once

#include <glib.h>
#include <vulkan/vulkan.h>

G_BEGIN_DECLS

typedef struct _ReelVkInstance ReelVkInstance;

/* Opens the Vulkan loader. With REEL_VK_VALIDATION=1 in the environment, the Khronos
 * validation layer is enabled (failing if it is not installed) and every warning or error it
 * reports is printed and counted. */
ReelVkInstance *reel_vk_instance_new                     (GError         **error);
ReelVkInstance *reel_vk_instance_ref                     (ReelVkInstance  *self);
void            reel_vk_instance_unref                   (ReelVkInstance  *self);

VkInstance      reel_vk_instance_get_handle              (ReelVkInstance  *self);
uint32_t        reel_vk_instance_get_api_version         (ReelVkInstance  *self);
gboolean        reel_vk_instance_get_validation_enabled  (ReelVkInstance  *self);
/* Validation warnings and errors reported so far. */
guint           reel_vk_instance_get_n_validation_messages (ReelVkInstance *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelVkInstance, reel_vk_instance_unref)

G_END_DECLS
