#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include "reel-render-error.h"
#include "reel-vk-error.h"

const char *
reel_vk_result_to_string (VkResult result)
{
  switch (result)
    {
#define CASE(r) case r: return #r
      CASE (VK_SUCCESS);
      CASE (VK_NOT_READY);
      CASE (VK_TIMEOUT);
      CASE (VK_INCOMPLETE);
      CASE (VK_ERROR_OUT_OF_HOST_MEMORY);
      CASE (VK_ERROR_OUT_OF_DEVICE_MEMORY);
      CASE (VK_ERROR_INITIALIZATION_FAILED);
      CASE (VK_ERROR_DEVICE_LOST);
      CASE (VK_ERROR_MEMORY_MAP_FAILED);
      CASE (VK_ERROR_LAYER_NOT_PRESENT);
      CASE (VK_ERROR_EXTENSION_NOT_PRESENT);
      CASE (VK_ERROR_FEATURE_NOT_PRESENT);
      CASE (VK_ERROR_INCOMPATIBLE_DRIVER);
      CASE (VK_ERROR_TOO_MANY_OBJECTS);
      CASE (VK_ERROR_FORMAT_NOT_SUPPORTED);
      CASE (VK_ERROR_FRAGMENTED_POOL);
      CASE (VK_ERROR_OUT_OF_POOL_MEMORY);
      CASE (VK_ERROR_INVALID_EXTERNAL_HANDLE);
      CASE (VK_ERROR_FRAGMENTATION);
      CASE (VK_ERROR_INVALID_SHADER_NV);
      CASE (VK_PIPELINE_COMPILE_REQUIRED);
#undef CASE
    default:
      return "an unknown Vulkan error";
    }
}

VkResult
reel_vk_check (VkResult     result,
               GError     **error,
               const char  *what)
{
  int code;
  const char *advice;

  if (result >= VK_SUCCESS)
    return result;

  switch (result)
    {
    case VK_ERROR_DEVICE_LOST:
      code = REEL_RENDER_ERROR_DEVICE_LOST;
      advice = "The GPU driver reset the device; restart the render, and if it keeps happening "
               "choose another compute device in Preferences";
      break;
    case VK_ERROR_OUT_OF_HOST_MEMORY:
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
    case VK_ERROR_OUT_OF_POOL_MEMORY:
    case VK_ERROR_FRAGMENTED_POOL:
    case VK_ERROR_FRAGMENTATION:
    case VK_ERROR_TOO_MANY_OBJECTS:
      code = REEL_RENDER_ERROR_OUT_OF_MEMORY;
      advice = "Close other programs using the GPU, render at a smaller size or fewer "
               "frames, or choose the CPU as the compute device in Preferences";
      break;
    case VK_ERROR_INCOMPATIBLE_DRIVER:
    case VK_ERROR_INITIALIZATION_FAILED:
    case VK_ERROR_LAYER_NOT_PRESENT:
    case VK_ERROR_EXTENSION_NOT_PRESENT:
    case VK_ERROR_FEATURE_NOT_PRESENT:
      code = REEL_RENDER_ERROR_NO_DEVICE;
      advice = "Install a Vulkan driver (mesa-vulkan-drivers provides one that runs on the "
               "CPU)";
      break;
    default:
      code = REEL_RENDER_ERROR_FAILED;
      advice = "This is a driver or Reel bug; please report it with `reel devices` output";
      break;
    }

  g_set_error (error, REEL_RENDER_ERROR, code, "Vulkan failed while %s: %s. %s.",
               what, reel_vk_result_to_string (result), advice);
  return result;
}
