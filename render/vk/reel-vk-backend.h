#pragma once

#include "reel-backend.h"
#include "reel-vk-device.h"

G_BEGIN_DECLS

/* The Vulkan backend: every op of reel-backend.h as a compute shader, dispatches batched into
 * one command buffer until reel_backend_sync(). device_preference is the `compute-device`
 * setting (an index or part of a device name; NULL or "" picks the best device); the
 * REEL_VK_DEVICE environment variable overrides it. Fails with REEL_RENDER_ERROR_NO_DEVICE
 * when there is no usable device. */
ReelBackend  *reel_vk_backend_new                      (const char   *device_preference,
                                                        GError      **error);

/* The device it runs on. */
ReelVkDevice *reel_vk_backend_get_device               (ReelBackend  *backend);
/* Validation layer warnings and errors so far (REEL_VK_VALIDATION=1). */
guint         reel_vk_backend_get_n_validation_messages (ReelBackend *backend);
/* The pipeline cache file and how many bytes of it were loaded at start (0: none). The cache
 * is written when the backend is freed and by reel_vk_backend_save_pipeline_cache(). */
const char   *reel_vk_backend_get_pipeline_cache_path  (ReelBackend  *backend);
gsize         reel_vk_backend_get_pipeline_cache_loaded_size (ReelBackend *backend);
gboolean      reel_vk_backend_save_pipeline_cache      (ReelBackend  *backend,
                                                        GError      **error);

G_END_DECLS
