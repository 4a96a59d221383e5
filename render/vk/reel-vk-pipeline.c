#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "reel-render-error.h"
#include "reel-vk-error.h"
#include "reel-vk-pipeline.h"

struct _ReelVkPipelineCache
{
  ReelVkDevice    *device;
  VkPipelineCache  handle;
  char            *path;
  gsize            loaded_size;
};

/* Accepts only data written by this very driver and device, so a copied cache dir or a
 * driver update never hands a foreign blob to vkCreatePipelineCache. */
static gboolean
header_matches (ReelVkDevice *device,
                const guint8 *data,
                gsize         size)
{
  VkPipelineCacheHeaderVersionOne header;

  if (size < sizeof header)
    return FALSE;
  memcpy (&header, data, sizeof header);
  return header.headerSize >= sizeof header
         && header.headerVersion == VK_PIPELINE_CACHE_HEADER_VERSION_ONE
         && header.vendorID == device->physical.properties.vendorID
         && header.deviceID == device->physical.properties.deviceID
         && memcmp (header.pipelineCacheUUID, device->physical.properties.pipelineCacheUUID,
                    VK_UUID_SIZE) == 0;
}

ReelVkPipelineCache *
reel_vk_pipeline_cache_new (ReelVkDevice  *device,
                            const char    *dir,
                            GError       **error)
{
  ReelVkPipelineCache *self = g_new0 (ReelVkPipelineCache, 1);
  const VkPhysicalDeviceProperties *p = &device->physical.properties;
  g_autofree char *uuid = NULL;
  g_autofree char *file_name = NULL;
  g_autofree guint8 *data = NULL;
  gsize size = 0;

  self->device = reel_vk_device_ref (device);

  uuid = g_malloc0 (VK_UUID_SIZE * 2 + 1);
  for (guint i = 0; i < VK_UUID_SIZE; i++)
    g_snprintf (uuid + 2 * i, 3, "%02x", p->pipelineCacheUUID[i]);
  file_name = g_strdup_printf ("vulkan-%04x-%04x-%s.cache", p->vendorID, p->deviceID, uuid);
  self->path = dir != NULL ? g_build_filename (dir, file_name, NULL)
                           : g_build_filename (g_get_user_cache_dir (), "reel", file_name, NULL);

  if (g_file_get_contents (self->path, (char **) &data, &size, NULL)
      && !header_matches (device, data, size))
    {
      g_debug ("Ignoring the pipeline cache %s: written by another driver or device",
               self->path);
      g_clear_pointer (&data, g_free);
      size = 0;
    }

  {
    const VkPipelineCacheCreateInfo info = {
      .sType = VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO,
      .initialDataSize = data != NULL ? size : 0,
      .pInitialData = data,
    };

    if (reel_vk_check (vkCreatePipelineCache (device->handle, &info, NULL, &self->handle),
                       error, "creating the pipeline cache") < 0)
      {
        reel_vk_pipeline_cache_free (self);
        return NULL;
      }
  }
  self->loaded_size = data != NULL ? size : 0;
  return self;
}

void
reel_vk_pipeline_cache_free (ReelVkPipelineCache *self)
{
  if (self == NULL)
    return;

  if (self->handle != VK_NULL_HANDLE)
    vkDestroyPipelineCache (self->device->handle, self->handle, NULL);
  reel_vk_device_unref (self->device);
  g_free (self->path);
  g_free (self);
}

VkPipelineCache
reel_vk_pipeline_cache_get_handle (ReelVkPipelineCache *self)
{
  return self->handle;
}

const char *
reel_vk_pipeline_cache_get_path (ReelVkPipelineCache *self)
{
  return self->path;
}

gsize
reel_vk_pipeline_cache_get_loaded_size (ReelVkPipelineCache *self)
{
  return self->loaded_size;
}

gboolean
reel_vk_pipeline_cache_save (ReelVkPipelineCache  *self,
                             GError              **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree guint8 *data = NULL;
  size_t size = 0;

  if (reel_vk_check (vkGetPipelineCacheData (self->device->handle, self->handle, &size, NULL),
                     error, "reading the pipeline cache") < 0)
    return FALSE;
  data = g_malloc (MAX (size, 1));
  if (reel_vk_check (vkGetPipelineCacheData (self->device->handle, self->handle, &size, data),
                     error, "reading the pipeline cache") < 0)
    return FALSE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create the cache folder %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents (self->path, (const char *) data, (gssize) size, error);
}

ReelVkPipeline *
reel_vk_pipeline_new (ReelVkDevice         *device,
                      ReelVkPipelineCache  *cache,
                      const char           *name,
                      const guint32        *spirv,
                      gsize                 spirv_size,
                      const char           *bindings,
                      guint32               push_size,
                      const guint32        *spec,
                      guint                 n_spec,
                      GError              **error)
{
  ReelVkPipeline *self = g_new0 (ReelVkPipeline, 1);
  VkDescriptorSetLayoutBinding layout_bindings[REEL_VK_MAX_BINDINGS];
  VkSpecializationMapEntry entries[16];
  VkShaderModule module = VK_NULL_HANDLE;
  g_autofree char *what = g_strdup_printf ("building the “%s” shader", name);

  g_assert (strlen (bindings) <= REEL_VK_MAX_BINDINGS);
  g_assert (n_spec <= G_N_ELEMENTS (entries));
  g_assert (push_size <= 128);

  self->name = g_strdup (name);
  self->n_bindings = (guint) strlen (bindings);
  self->push_size = push_size;
  for (guint i = 0; i < self->n_bindings; i++)
    {
      g_assert (bindings[i] == 's' || bindings[i] == 't');
      self->types[i] = bindings[i] == 's' ? VK_DESCRIPTOR_TYPE_STORAGE_BUFFER
                                          : VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER;
      layout_bindings[i] = (VkDescriptorSetLayoutBinding) {
        .binding = i,
        .descriptorType = self->types[i],
        .descriptorCount = 1,
        .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
      };
    }
  for (guint i = 0; i < n_spec; i++)
    entries[i] = (VkSpecializationMapEntry) {
      .constantID = i,
      .offset = i * sizeof (guint32),
      .size = sizeof (guint32),
    };

  {
    const VkDescriptorSetLayoutCreateInfo set_info = {
      .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
      .bindingCount = self->n_bindings,
      .pBindings = layout_bindings,
    };
    const VkPushConstantRange push_range = {
      .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
      .offset = 0,
      .size = push_size,
    };
    const VkShaderModuleCreateInfo module_info = {
      .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
      .codeSize = spirv_size,
      .pCode = spirv,
    };
    const VkSpecializationInfo spec_info = {
      .mapEntryCount = n_spec,
      .pMapEntries = entries,
      .dataSize = n_spec * sizeof (guint32),
      .pData = spec,
    };

    if (reel_vk_check (vkCreateDescriptorSetLayout (device->handle, &set_info, NULL,
                                                    &self->set_layout), error, what) < 0)
      goto fail;

    {
      const VkPipelineLayoutCreateInfo layout_info = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 1,
        .pSetLayouts = &self->set_layout,
        .pushConstantRangeCount = push_size > 0 ? 1 : 0,
        .pPushConstantRanges = &push_range,
      };

      if (reel_vk_check (vkCreatePipelineLayout (device->handle, &layout_info, NULL,
                                                 &self->layout), error, what) < 0)
        goto fail;
    }

    if (reel_vk_check (vkCreateShaderModule (device->handle, &module_info, NULL, &module),
                       error, what) < 0)
      goto fail;

    {
      const VkComputePipelineCreateInfo pipeline_info = {
        .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
        .stage = {
          .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
          .stage = VK_SHADER_STAGE_COMPUTE_BIT,
          .module = module,
          .pName = "main",
          .pSpecializationInfo = n_spec > 0 ? &spec_info : NULL,
        },
        .layout = self->layout,
      };

      if (reel_vk_check (vkCreateComputePipelines (device->handle,
                                                   cache != NULL ? cache->handle : VK_NULL_HANDLE,
                                                   1, &pipeline_info, NULL, &self->pipeline),
                         error, what) < 0)
        goto fail;
    }
  }

  vkDestroyShaderModule (device->handle, module, NULL);
  return self;

fail:
  if (module != VK_NULL_HANDLE)
    vkDestroyShaderModule (device->handle, module, NULL);
  reel_vk_pipeline_free (device, self);
  return NULL;
}

void
reel_vk_pipeline_free (ReelVkDevice   *device,
                       ReelVkPipeline *self)
{
  if (self == NULL)
    return;

  if (self->pipeline != VK_NULL_HANDLE)
    vkDestroyPipeline (device->handle, self->pipeline, NULL);
  if (self->layout != VK_NULL_HANDLE)
    vkDestroyPipelineLayout (device->handle, self->layout, NULL);
  if (self->set_layout != VK_NULL_HANDLE)
    vkDestroyDescriptorSetLayout (device->handle, self->set_layout, NULL);
  g_free (self->name);
  g_free (self);
}
