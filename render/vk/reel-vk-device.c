#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <string.h>

#include "reel-render-error.h"
#include "reel-vk-device.h"
#include "reel-vk-error.h"

const char *
reel_vk_device_type_to_string (VkPhysicalDeviceType type)
{
  switch (type)
    {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
      return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
      return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
      return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
      return "CPU";
    case VK_PHYSICAL_DEVICE_TYPE_OTHER:
    default:
      return "other";
    }
}

static void
describe_physical_device (ReelVkPhysicalDevice *device,
                          uint32_t              instance_version)
{
  uint32_t n_families = 0;
  g_autofree VkQueueFamilyProperties *families = NULL;

  vkGetPhysicalDeviceProperties (device->handle, &device->properties);

  if (instance_version >= VK_API_VERSION_1_2 && device->properties.apiVersion >= VK_API_VERSION_1_2)
    {
      VkPhysicalDeviceDriverProperties driver = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES,
      };
      VkPhysicalDeviceProperties2 properties2 = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
        .pNext = &driver,
      };

      vkGetPhysicalDeviceProperties2 (device->handle, &properties2);
      g_strlcpy (device->driver_name, driver.driverName, sizeof device->driver_name);
      g_strlcpy (device->driver_info, driver.driverInfo, sizeof device->driver_info);
    }

  vkGetPhysicalDeviceQueueFamilyProperties (device->handle, &n_families, NULL);
  families = g_new0 (VkQueueFamilyProperties, n_families);
  vkGetPhysicalDeviceQueueFamilyProperties (device->handle, &n_families, families);

  device->compute_family = -1;
  /* Prefer a compute-only family: on GPUs it runs beside the desktop's graphics work. */
  for (int pass = 0; pass < 2 && device->compute_family < 0; pass++)
    for (uint32_t i = 0; i < n_families; i++)
      {
        VkQueueFlags flags = families[i].queueFlags;

        if ((flags & VK_QUEUE_COMPUTE_BIT) && (pass == 1 || !(flags & VK_QUEUE_GRAPHICS_BIT)))
          {
            device->compute_family = (int) i;
            device->timestamp_valid_bits = families[i].timestampValidBits;
            break;
          }
      }

  if (device->properties.apiVersion < VK_API_VERSION_1_1)
    device->unusable_reason = "supports only Vulkan 1.0; Reel needs 1.1";
  else if (device->compute_family < 0)
    device->unusable_reason = "has no compute queue";
  /* The shaders' largest workgroups; Vulkan only promises 128. */
  else if (device->properties.limits.maxComputeWorkGroupInvocations < 256
           || device->properties.limits.maxComputeWorkGroupSize[0] < 256)
    device->unusable_reason = "runs fewer than 256 invocations per workgroup";
}

GPtrArray *
reel_vk_list_physical_devices (ReelVkInstance  *instance,
                               GError         **error)
{
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_free);
  g_autofree VkPhysicalDevice *handles = NULL;
  uint32_t n = 0;

  g_return_val_if_fail (instance != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (reel_vk_check (vkEnumeratePhysicalDevices (reel_vk_instance_get_handle (instance), &n,
                                                 NULL),
                     error, "listing Vulkan devices") < 0)
    return NULL;
  handles = g_new0 (VkPhysicalDevice, MAX (n, 1));
  if (reel_vk_check (vkEnumeratePhysicalDevices (reel_vk_instance_get_handle (instance), &n,
                                                 handles),
                     error, "listing Vulkan devices") < 0)
    return NULL;

  for (uint32_t i = 0; i < n; i++)
    {
      ReelVkPhysicalDevice *device = g_new0 (ReelVkPhysicalDevice, 1);

      device->index = i;
      device->handle = handles[i];
      describe_physical_device (device, reel_vk_instance_get_api_version (instance));
      g_ptr_array_add (devices, device);
    }

  return g_steal_pointer (&devices);
}

static int
type_rank (VkPhysicalDeviceType type)
{
  switch (type)
    {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
      return 0;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
      return 1;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
      return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
      return 3;
    case VK_PHYSICAL_DEVICE_TYPE_OTHER:
    default:
      return 4;
    }
}

static char *
describe_all (GPtrArray *devices)
{
  GString *s = g_string_new (NULL);

  if (devices->len == 0)
    g_string_append (s, "no Vulkan devices at all");
  for (guint i = 0; i < devices->len; i++)
    {
      const ReelVkPhysicalDevice *d = g_ptr_array_index (devices, i);

      g_string_append_printf (s, "%s%u: %s (%s%s%s)", i > 0 ? "; " : "", d->index,
                              d->properties.deviceName,
                              reel_vk_device_type_to_string (d->properties.deviceType),
                              d->unusable_reason ? ", unusable: " : "",
                              d->unusable_reason ? d->unusable_reason : "");
    }
  return g_string_free (s, FALSE);
}

static const ReelVkPhysicalDevice *
find_by_name (GPtrArray  *devices,
              const char *name)
{
  g_autofree char *needle = g_utf8_casefold (name, -1);
  char *end = NULL;
  guint64 index;

  if (g_ascii_isdigit (name[0]))
    {
      index = g_ascii_strtoull (name, &end, 10);
      if (*end == '\0')
        {
          for (guint i = 0; i < devices->len; i++)
            {
              const ReelVkPhysicalDevice *d = g_ptr_array_index (devices, i);

              if (d->index == index)
                return d;
            }
          return NULL;
        }
    }

  for (guint i = 0; i < devices->len; i++)
    {
      const ReelVkPhysicalDevice *d = g_ptr_array_index (devices, i);
      g_autofree char *haystack = g_utf8_casefold (d->properties.deviceName, -1);

      if (strstr (haystack, needle) != NULL)
        return d;
    }
  return NULL;
}

const ReelVkPhysicalDevice *
reel_vk_choose_physical_device (GPtrArray   *devices,
                                const char  *preference,
                                char       **reason,
                                GError     **error)
{
  const char *env = g_getenv ("REEL_VK_DEVICE");
  const char *wanted = NULL, *source = NULL;
  const ReelVkPhysicalDevice *best = NULL;

  g_return_val_if_fail (devices != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (env != NULL && env[0] != '\0')
    wanted = env, source = "the REEL_VK_DEVICE environment variable";
  else if (preference != NULL && preference[0] != '\0')
    wanted = preference, source = "the compute-device setting";

  if (wanted != NULL)
    {
      const ReelVkPhysicalDevice *d = find_by_name (devices, wanted);
      g_autofree char *all = describe_all (devices);

      if (d == NULL)
        {
          g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_NO_DEVICE,
                       "No Vulkan device matches “%s” from %s. The devices are: %s. Give an "
                       "index or part of a name, or leave it empty to pick the best one",
                       wanted, source, all);
          return NULL;
        }
      if (d->unusable_reason != NULL)
        {
          g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_NO_DEVICE,
                       "The Vulkan device “%s” chosen by %s %s. The devices are: %s",
                       d->properties.deviceName, source, d->unusable_reason, all);
          return NULL;
        }
      if (reason != NULL)
        *reason = g_strdup_printf ("named by %s (“%s”)", source, wanted);
      return d;
    }

  for (guint i = 0; i < devices->len; i++)
    {
      const ReelVkPhysicalDevice *d = g_ptr_array_index (devices, i);

      if (d->unusable_reason == NULL
          && (best == NULL
              || type_rank (d->properties.deviceType) < type_rank (best->properties.deviceType)))
        best = d;
    }

  if (best == NULL)
    {
      g_autofree char *all = describe_all (devices);

      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_NO_DEVICE,
                   "No usable Vulkan device (%s). Install a Vulkan driver; "
                   "mesa-vulkan-drivers provides lavapipe, which runs on the CPU", all);
      return NULL;
    }

  if (reason != NULL)
    *reason = g_strdup_printf ("the first usable %s (discrete GPUs come first, then "
                               "integrated, virtual and CPU devices)",
                               reel_vk_device_type_to_string (best->properties.deviceType));
  return best;
}

static gboolean
supports_texel_buffer (VkPhysicalDevice handle,
                       VkFormat         format)
{
  VkFormatProperties properties;

  vkGetPhysicalDeviceFormatProperties (handle, format, &properties);
  return (properties.bufferFeatures & VK_FORMAT_FEATURE_UNIFORM_TEXEL_BUFFER_BIT) != 0;
}

ReelVkDevice *
reel_vk_device_new (ReelVkInstance             *instance,
                    const ReelVkPhysicalDevice *physical,
                    GError                    **error)
{
  g_autoptr(ReelVkDevice) self = NULL;
  const float priority = 1.0f;

  g_return_val_if_fail (instance != NULL, NULL);
  g_return_val_if_fail (physical != NULL && physical->unusable_reason == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (ReelVkDevice, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->instance = reel_vk_instance_ref (instance);
  self->physical = *physical;
  vkGetPhysicalDeviceMemoryProperties (physical->handle, &self->memory);
  self->texel_vec4 = supports_texel_buffer (physical->handle, VK_FORMAT_R32G32B32A32_SFLOAT);
  self->texel_float = supports_texel_buffer (physical->handle, VK_FORMAT_R32_SFLOAT);

  {
    const VkDeviceQueueCreateInfo queue_info = {
      .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
      .queueFamilyIndex = (uint32_t) physical->compute_family,
      .queueCount = 1,
      .pQueuePriorities = &priority,
    };
    const VkDeviceCreateInfo info = {
      .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
      .queueCreateInfoCount = 1,
      .pQueueCreateInfos = &queue_info,
    };
    g_autofree char *what = g_strdup_printf ("opening the Vulkan device “%s”",
                                             physical->properties.deviceName);

    if (reel_vk_check (vkCreateDevice (physical->handle, &info, NULL, &self->handle), error,
                       what) < 0)
      return NULL;
  }

  vkGetDeviceQueue (self->handle, (uint32_t) physical->compute_family, 0, &self->queue);
  return g_steal_pointer (&self);
}

ReelVkDevice *
reel_vk_device_ref (ReelVkDevice *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reel_vk_device_unref (ReelVkDevice *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (self->handle != VK_NULL_HANDLE)
    {
      vkDeviceWaitIdle (self->handle);
      vkDestroyDevice (self->handle, NULL);
    }
  g_clear_pointer (&self->instance, reel_vk_instance_unref);
  g_free (self);
}
