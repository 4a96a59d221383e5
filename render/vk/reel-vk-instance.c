#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <string.h>

#include "reel-render-error.h"
#include "reel-vk-error.h"
#include "reel-vk-instance.h"

#define VALIDATION_LAYER "VK_LAYER_KHRONOS_validation"

struct _ReelVkInstance
{
  gatomicrefcount           ref_count;
  VkInstance                handle;
  uint32_t                  api_version;
  gboolean                  validation;
  VkDebugUtilsMessengerEXT  messenger;
  gint                      n_messages;   /* atomic: drivers may call back from any thread */
};

static VKAPI_ATTR VkBool32 VKAPI_CALL
debug_message_cb (VkDebugUtilsMessageSeverityFlagBitsEXT      severity,
                  VkDebugUtilsMessageTypeFlagsEXT             types,
                  const VkDebugUtilsMessengerCallbackDataEXT *data,
                  void                                       *user_data)
{
  ReelVkInstance *self = user_data;

  if (severity & (VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT
                  | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT))
    {
      g_atomic_int_inc (&self->n_messages);
      /* Not g_warning(): tests run with fatal warnings and count these themselves, so that a
       * failure names every message instead of stopping at the first. */
      g_printerr ("Vulkan validation %s: %s\n",
                  severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT ? "error" : "warning",
                  data->pMessage);
    }
  return VK_FALSE;
}

static gboolean
has_layer (const char *name)
{
  uint32_t n = 0;
  g_autofree VkLayerProperties *layers = NULL;

  if (vkEnumerateInstanceLayerProperties (&n, NULL) != VK_SUCCESS)
    return FALSE;
  layers = g_new0 (VkLayerProperties, n);
  if (vkEnumerateInstanceLayerProperties (&n, layers) < VK_SUCCESS)
    return FALSE;
  for (uint32_t i = 0; i < n; i++)
    if (g_str_equal (layers[i].layerName, name))
      return TRUE;
  return FALSE;
}

static gboolean
has_extension (const char *name)
{
  uint32_t n = 0;
  g_autofree VkExtensionProperties *extensions = NULL;

  if (vkEnumerateInstanceExtensionProperties (NULL, &n, NULL) != VK_SUCCESS)
    return FALSE;
  extensions = g_new0 (VkExtensionProperties, n);
  if (vkEnumerateInstanceExtensionProperties (NULL, &n, extensions) < VK_SUCCESS)
    return FALSE;
  for (uint32_t i = 0; i < n; i++)
    if (g_str_equal (extensions[i].extensionName, name))
      return TRUE;
  return FALSE;
}

ReelVkInstance *
reel_vk_instance_new (GError **error)
{
  g_autoptr(ReelVkInstance) self = NULL;
  const char *layers[1];
  const char *extensions[2];
  uint32_t n_layers = 0, n_extensions = 0, loader_version = VK_API_VERSION_1_0;
  VkInstanceCreateFlags flags = 0;
  gboolean want_validation = g_strcmp0 (g_getenv ("REEL_VK_VALIDATION"), "1") == 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (ReelVkInstance, 1);
  g_atomic_ref_count_init (&self->ref_count);

  if (vkEnumerateInstanceVersion (&loader_version) != VK_SUCCESS
      || loader_version < VK_API_VERSION_1_1)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_NO_DEVICE,
                   "The Vulkan loader supports only Vulkan 1.0; Reel needs 1.1 or newer. "
                   "Update the Vulkan loader (libvulkan1)");
      return NULL;
    }
  /* 1.2 gives driver names for `reel devices`; nothing else needs more than 1.1. */
  self->api_version = loader_version >= VK_API_VERSION_1_2 ? VK_API_VERSION_1_2
                                                           : VK_API_VERSION_1_1;

  if (want_validation)
    {
      if (!has_layer (VALIDATION_LAYER) || !has_extension (VK_EXT_DEBUG_UTILS_EXTENSION_NAME))
        {
          g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_NO_DEVICE,
                       "REEL_VK_VALIDATION=1 asks for the Vulkan validation layer, but %s or "
                       "VK_EXT_debug_utils is not installed. Install vulkan-validationlayers "
                       "or unset REEL_VK_VALIDATION", VALIDATION_LAYER);
          return NULL;
        }
      layers[n_layers++] = VALIDATION_LAYER;
      extensions[n_extensions++] = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
      self->validation = TRUE;
    }

  /* Lists devices that only implement a portable subset (MoltenVK) too. */
  if (has_extension (VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME))
    {
      extensions[n_extensions++] = VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME;
      flags |= VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR;
    }

  {
    const VkApplicationInfo app_info = {
      .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
      .pApplicationName = "Reel",
      .applicationVersion = VK_MAKE_API_VERSION (0, 0, 1, 0),
      .pEngineName = "Reel",
      .engineVersion = VK_MAKE_API_VERSION (0, 0, 1, 0),
      .apiVersion = self->api_version,
    };
    const VkDebugUtilsMessengerCreateInfoEXT messenger_info = {
      .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
      .messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT
                         | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
      .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT
                     | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT
                     | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
      .pfnUserCallback = debug_message_cb,
      .pUserData = self,
    };
    const VkInstanceCreateInfo info = {
      .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
      /* Chained so that instance creation and destruction are validated too. */
      .pNext = self->validation ? &messenger_info : NULL,
      .flags = flags,
      .pApplicationInfo = &app_info,
      .enabledLayerCount = n_layers,
      .ppEnabledLayerNames = layers,
      .enabledExtensionCount = n_extensions,
      .ppEnabledExtensionNames = extensions,
    };

    if (reel_vk_check (vkCreateInstance (&info, NULL, &self->handle), error,
                       "opening the Vulkan loader") < 0)
      return NULL;

    if (self->validation)
      {
        PFN_vkCreateDebugUtilsMessengerEXT create_messenger = (PFN_vkCreateDebugUtilsMessengerEXT)
          vkGetInstanceProcAddr (self->handle, "vkCreateDebugUtilsMessengerEXT");

        if (create_messenger == NULL
            || reel_vk_check (create_messenger (self->handle, &messenger_info, NULL,
                                                &self->messenger),
                              error, "installing the validation message handler") < 0)
          {
            if (create_messenger == NULL)
              g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_NO_DEVICE,
                           "The Vulkan loader lacks vkCreateDebugUtilsMessengerEXT");
            return NULL;
          }
      }
  }

  return g_steal_pointer (&self);
}

ReelVkInstance *
reel_vk_instance_ref (ReelVkInstance *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reel_vk_instance_unref (ReelVkInstance *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (self->messenger != VK_NULL_HANDLE)
    {
      PFN_vkDestroyDebugUtilsMessengerEXT destroy_messenger =
        (PFN_vkDestroyDebugUtilsMessengerEXT)
        vkGetInstanceProcAddr (self->handle, "vkDestroyDebugUtilsMessengerEXT");

      destroy_messenger (self->handle, self->messenger, NULL);
    }
  if (self->handle != VK_NULL_HANDLE)
    vkDestroyInstance (self->handle, NULL);
  g_free (self);
}

VkInstance
reel_vk_instance_get_handle (ReelVkInstance *self)
{
  g_return_val_if_fail (self != NULL, VK_NULL_HANDLE);

  return self->handle;
}

uint32_t
reel_vk_instance_get_api_version (ReelVkInstance *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->api_version;
}

gboolean
reel_vk_instance_get_validation_enabled (ReelVkInstance *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->validation;
}

guint
reel_vk_instance_get_n_validation_messages (ReelVkInstance *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint) g_atomic_int_get (&self->n_messages);
}
