#pragma once

#include <glib.h>
#include <vulkan/vulkan.h>

G_BEGIN_DECLS

/* Turns a failed VkResult into a REEL_RENDER_ERROR (DEVICE_LOST, OUT_OF_MEMORY, NO_DEVICE or
 * FAILED) whose message says what was being done; returns the result so calls chain:
 *   if (reel_vk_check (vkCreateBuffer (…), error, "creating a tensor buffer") < 0) … */
VkResult    reel_vk_check              (VkResult     result,
                                        GError     **error,
                                        const char  *what);

const char *reel_vk_result_to_string   (VkResult     result);

G_END_DECLS
