#pragma once

#include <glib.h>
#include <vulkan/vulkan.h>

#include "reel-vk-device.h"

G_BEGIN_DECLS

/* The driver's compiled pipelines, kept across runs in
 * <user cache dir>/reel/vulkan-<vendor>-<device>-<cache UUID>.cache, because compiling the
 * shaders costs seconds on lavapipe at every start otherwise. */
typedef struct _ReelVkPipelineCache ReelVkPipelineCache;

/* dir NULL means g_get_user_cache_dir()/reel. An unreadable or foreign file is ignored. */
ReelVkPipelineCache *reel_vk_pipeline_cache_new        (ReelVkDevice        *device,
                                                        const char          *dir,
                                                        GError             **error);
void                 reel_vk_pipeline_cache_free       (ReelVkPipelineCache *self);
VkPipelineCache      reel_vk_pipeline_cache_get_handle (ReelVkPipelineCache *self);
const char          *reel_vk_pipeline_cache_get_path   (ReelVkPipelineCache *self);
/* Bytes of cache data read from disk when opened; 0 when there was none. */
gsize                reel_vk_pipeline_cache_get_loaded_size (ReelVkPipelineCache *self);
gboolean             reel_vk_pipeline_cache_save       (ReelVkPipelineCache *self,
                                                        GError             **error);

#define REEL_VK_MAX_BINDINGS 8

/* A compute pipeline with its own descriptor set layout. bindings spells the descriptor type
 * of bindings 0, 1, … : 's' a storage buffer, 't' a uniform texel buffer. spec holds the
 * values of constant_id 0 … n_spec − 1. */
typedef struct
{
  char                  *name;
  VkDescriptorSetLayout  set_layout;
  VkPipelineLayout       layout;
  VkPipeline             pipeline;
  guint                  n_bindings;
  VkDescriptorType       types[REEL_VK_MAX_BINDINGS];
  guint32                push_size;
} ReelVkPipeline;

ReelVkPipeline *reel_vk_pipeline_new  (ReelVkDevice         *device,
                                       ReelVkPipelineCache  *cache,
                                       const char           *name,
                                       const guint32        *spirv,
                                       gsize                 spirv_size,
                                       const char           *bindings,
                                       guint32               push_size,
                                       const guint32        *spec,
                                       guint                 n_spec,
                                       GError              **error);
void            reel_vk_pipeline_free (ReelVkDevice         *device,
                                       ReelVkPipeline       *self);

G_END_DECLS
