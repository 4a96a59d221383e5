#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>
#include <gio/gio.h>

#include "reel-commands.h"
#include "vk/reel-vk-device.h"
#include "vk/reel-vk-instance.h"

/* The `compute-device` setting, or NULL when it is empty or the schema is not installed (a
 * build tree run without GSETTINGS_SCHEMA_DIR): a missing schema must not abort a listing. */
static char *
dup_device_preference (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *value = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "compute-device"))
    return NULL;
  settings = g_settings_new (APP_ID);
  value = g_settings_get_string (settings, "compute-device");
  return value[0] != '\0' ? g_steal_pointer (&value) : NULL;
}

static char *
format_version (uint32_t version)
{
  return g_strdup_printf ("%u.%u.%u", VK_API_VERSION_MAJOR (version),
                          VK_API_VERSION_MINOR (version), VK_API_VERSION_PATCH (version));
}

static void
print_device (const ReelVkPhysicalDevice *d,
              gboolean                    chosen)
{
  const VkPhysicalDeviceLimits *l = &d->properties.limits;
  g_autofree char *api = format_version (d->properties.apiVersion);

  printf ("%s %u: %s (%s)\n", chosen ? "*" : " ", d->index, d->properties.deviceName,
          reel_vk_device_type_to_string (d->properties.deviceType));
  if (d->driver_name[0] != '\0')
    printf ("     %s: %s %s, Vulkan %s\n", _("driver"), d->driver_name, d->driver_info, api);
  else
    printf ("     %s: Vulkan %s (driver version %u)\n", _("driver"), api,
            d->properties.driverVersion);
  printf ("     %s: %u × %u × %u, %s %u, %s %u × %u × %u\n", _("max workgroup size"),
          l->maxComputeWorkGroupSize[0], l->maxComputeWorkGroupSize[1],
          l->maxComputeWorkGroupSize[2], _("invocations"), l->maxComputeWorkGroupInvocations,
          _("count"), l->maxComputeWorkGroupCount[0], l->maxComputeWorkGroupCount[1],
          l->maxComputeWorkGroupCount[2]);
  printf ("     %s: %.1f MiB, %s: %u KiB, %s: %u B, %s: %u\n",
          _("max storage buffer range"), l->maxStorageBufferRange / 1048576.0,
          _("shared memory"), l->maxComputeSharedMemorySize / 1024,
          _("push constants"), l->maxPushConstantsSize,
          _("max texel buffer elements"), l->maxTexelBufferElements);
  if (d->timestamp_valid_bits > 0)
    printf ("     %s: %s (%u %s, %g ns %s)\n", _("timestamps"), _("yes"),
            d->timestamp_valid_bits, _("valid bits"), l->timestampPeriod, _("per tick"));
  else
    printf ("     %s: %s\n", _("timestamps"), _("no (per-op profiling unavailable)"));
  if (d->unusable_reason != NULL)
    printf ("     %s: %s\n", _("unusable"), d->unusable_reason);
}

/* reel devices: every Vulkan device with the limits that matter to the engine, and the one
 * that rendering would use, with the reason. */
int
reel_cmd_devices (int    argc,
                  char **argv)
{
  g_autoptr(ReelVkInstance) instance = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *preference = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *loader = NULL;
  const ReelVkPhysicalDevice *chosen;

  if (argc != 1)
    {
      fprintf (stderr, "%s\n  reel devices\n%s\n", _("Usage:"),
               _("Lists the Vulkan devices and the one Reel renders on. The compute-device "
                 "setting or the REEL_VK_DEVICE environment variable (an index or part of a "
                 "name) chooses another."));
      return 2;
    }

  instance = reel_vk_instance_new (&error);
  if (instance == NULL)
    {
      fprintf (stderr, _("reel devices: %s\nRendering falls back to the CPU backend.\n"),
               error->message);
      return 1;
    }
  devices = reel_vk_list_physical_devices (instance, &error);
  if (devices == NULL)
    {
      fprintf (stderr, _("reel devices: %s\n"), error->message);
      return 1;
    }

  preference = dup_device_preference ();
  chosen = reel_vk_choose_physical_device (devices, preference, &reason, &error);

  loader = format_version (reel_vk_instance_get_api_version (instance));
  printf (_("Vulkan devices (Reel asks the loader for Vulkan %s):\n"), loader);
  if (devices->len == 0)
    printf ("  %s\n", _("none"));
  for (guint i = 0; i < devices->len; i++)
    {
      const ReelVkPhysicalDevice *d = g_ptr_array_index (devices, i);

      print_device (d, d == chosen);
    }

  if (chosen == NULL)
    {
      fprintf (stderr, _("reel devices: %s\nRendering falls back to the CPU backend.\n"),
               error->message);
      return 1;
    }
  printf (_("Would use device %u, %s: %s.\n"), chosen->index, chosen->properties.deviceName,
          reason);
  return 0;
}
