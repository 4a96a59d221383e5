#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>

#include "reel-backend-private.h"
#include "reel-render-error.h"
#include "vk/reel-vk-backend.h"
#include "vk/reel-vk-device.h"
#include "vk/reel-vk-instance.h"

/* Device choice (heuristic, setting, environment), the persistent pipeline cache, and errors
 * that must come back as GErrors instead of crashes. */

static ReelVkInstance *instance;
static char *cache_home;

static ReelVkPhysicalDevice *
fake_device (guint                 index,
             const char           *name,
             VkPhysicalDeviceType  type,
             const char           *unusable_reason)
{
  ReelVkPhysicalDevice *d = g_new0 (ReelVkPhysicalDevice, 1);

  d->index = index;
  g_strlcpy (d->properties.deviceName, name, sizeof d->properties.deviceName);
  d->properties.deviceType = type;
  d->unusable_reason = unusable_reason;
  return d;
}

static void
test_choice_heuristic (void)
{
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  const ReelVkPhysicalDevice *d;

  g_unsetenv ("REEL_VK_DEVICE");
  g_ptr_array_add (devices, fake_device (0, "llvmpipe", VK_PHYSICAL_DEVICE_TYPE_CPU, NULL));
  g_ptr_array_add (devices, fake_device (1, "Intel Iris", VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU,
                                         NULL));
  g_ptr_array_add (devices, fake_device (2, "Old Radeon", VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU,
                                         "supports only Vulkan 1.0; Reel needs 1.1"));

  /* The unusable discrete GPU is passed over for the integrated one, which beats the CPU. */
  d = reel_vk_choose_physical_device (devices, NULL, &reason, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->index, ==, 1);
  g_assert_nonnull (strstr (reason, "integrated"));

  g_ptr_array_add (devices, fake_device (3, "GeForce", VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU,
                                         NULL));
  d = reel_vk_choose_physical_device (devices, "", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->index, ==, 3);

  /* The setting names a device by part of its name, in any case, or by index. */
  d = reel_vk_choose_physical_device (devices, "LLVMPIPE", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->index, ==, 0);
  d = reel_vk_choose_physical_device (devices, "1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->index, ==, 1);

  /* The environment beats the setting. */
  g_setenv ("REEL_VK_DEVICE", "iris", TRUE);
  g_clear_pointer (&reason, g_free);
  d = reel_vk_choose_physical_device (devices, "GeForce", &reason, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->index, ==, 1);
  g_assert_nonnull (strstr (reason, "REEL_VK_DEVICE"));

  /* Naming an unusable device says why it cannot be used. */
  g_setenv ("REEL_VK_DEVICE", "radeon", TRUE);
  d = reel_vk_choose_physical_device (devices, NULL, NULL, &error);
  g_assert_null (d);
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "Vulkan 1.0"));
  g_unsetenv ("REEL_VK_DEVICE");
}

static void
test_choice_real_devices (void)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  const ReelVkPhysicalDevice *last, *d;
  g_autofree char *index = NULL;

  devices = reel_vk_list_physical_devices (instance, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, >, 0);
  last = g_ptr_array_index (devices, devices->len - 1);

  /* By name through the environment, as a user would pick lavapipe on a laptop. */
  g_setenv ("REEL_VK_DEVICE", last->properties.deviceName, TRUE);
  d = reel_vk_choose_physical_device (devices, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (d == last);

  index = g_strdup_printf ("%u", last->index);
  g_setenv ("REEL_VK_DEVICE", index, TRUE);
  d = reel_vk_choose_physical_device (devices, "no such device", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (d == last);
  g_unsetenv ("REEL_VK_DEVICE");
}

static void
test_bad_device_name (void)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelBackend) backend = NULL;
  const ReelVkPhysicalDevice *first;

  devices = reel_vk_list_physical_devices (instance, &error);
  g_assert_no_error (error);
  first = g_ptr_array_index (devices, 0);

  g_setenv ("REEL_VK_DEVICE", "Voodoo 5 6000", TRUE);
  backend = reel_vk_backend_new (NULL, &error);
  g_unsetenv ("REEL_VK_DEVICE");
  g_assert_null (backend);
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_NO_DEVICE);
  /* The message names what was asked for, where it came from, and what there is. */
  g_assert_nonnull (strstr (error->message, "Voodoo 5 6000"));
  g_assert_nonnull (strstr (error->message, "REEL_VK_DEVICE"));
  g_assert_nonnull (strstr (error->message, first->properties.deviceName));

  g_clear_error (&error);
  backend = reel_vk_backend_new ("999", &error);
  g_assert_null (backend);
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "compute-device"));
}

static void
run_one_op (ReelBackend *backend)
{
  const float x[5] = { -2, -1, 0, 1, 2 };
  float y[5];
  g_autoptr(ReelTensor) tx = NULL;
  g_autoptr(ReelTensor) ty = NULL;
  g_autoptr(GError) error = NULL;

  tx = reel_backend_new_tensor_1d (backend, 5, &error);
  g_assert_no_error (error);
  ty = reel_backend_new_tensor_1d (backend, 5, &error);
  g_assert_no_error (error);
  reel_backend_upload (backend, tx, x, &error);
  g_assert_no_error (error);
  reel_backend_silu (backend, tx, ty, 5, &error);
  g_assert_no_error (error);
  reel_backend_download (backend, ty, y, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (y[3], 1.0f / (1.0f + expf (-1.0f)), 1e-6);
}

static void
test_pipeline_cache (void)
{
  g_autoptr(ReelBackend) first = NULL;
  g_autoptr(ReelBackend) second = NULL;
  g_autoptr(ReelBackend) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize size = 0;

  first = reel_vk_backend_new (NULL, &error);
  g_assert_no_error (error);
  path = g_strdup (reel_vk_backend_get_pipeline_cache_path (first));
  g_assert_true (g_str_has_prefix (path, cache_home));
  g_assert_cmpuint (reel_vk_backend_get_pipeline_cache_loaded_size (first), ==, 0);
  run_one_op (first);
  g_assert_cmpuint (reel_vk_backend_get_n_validation_messages (first), ==, 0);
  g_clear_pointer (&first, reel_backend_unref);

  /* Freeing the backend wrote the cache; the next one starts from it. */
  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_cmpuint (size, >, 0);
  second = reel_vk_backend_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_vk_backend_get_pipeline_cache_loaded_size (second), ==, size);
  run_one_op (second);
  g_assert_cmpuint (reel_vk_backend_get_n_validation_messages (second), ==, 0);
  g_clear_pointer (&second, reel_backend_unref);

  /* A file from another driver (here: garbage) is ignored, not fed to the driver. */
  g_assert_true (g_file_set_contents (path, "not a pipeline cache, just 38 bytes...", -1, NULL));
  third = reel_vk_backend_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_vk_backend_get_pipeline_cache_loaded_size (third), ==, 0);
  run_one_op (third);
  g_assert_cmpuint (reel_vk_backend_get_n_validation_messages (third), ==, 0);
}

static void
test_too_large (void)
{
  g_autoptr(ReelBackend) backend = NULL;
  g_autoptr(ReelTensor) tensor = NULL;
  g_autoptr(GError) error = NULL;
  const VkPhysicalDeviceLimits *limits;
  int64_t too_many;

  backend = reel_vk_backend_new (NULL, &error);
  g_assert_no_error (error);
  limits = reel_vk_device_get_limits (reel_vk_backend_get_device (backend));
  too_many = (int64_t) limits->maxStorageBufferRange / 4 + 1;

  tensor = reel_backend_new_tensor_2d (backend, 1, too_many, &error);
  g_assert_null (tensor);
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "maxStorageBufferRange"));
  g_assert_nonnull (strstr (error->message, "MiB"));

  /* The backend is still fine afterwards. */
  run_one_op (backend);
  g_assert_cmpuint (reel_vk_backend_get_n_validation_messages (backend), ==, 0);
}

/* Discrete GPUs keep tensors where the host cannot map them; REEL_VK_STAGING=1 makes lavapipe
 * take that path too. */
/* Asking for validation without the layer installed is an error that says what to install,
 * not a silently unvalidated run. */
static void
test_validation_layer_missing (void)
{
  g_autofree char *empty = g_build_filename (cache_home, "no-layers", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("VK_LAYER_PATH"));
  g_autoptr(ReelVkInstance) other = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  g_setenv ("VK_LAYER_PATH", empty, TRUE);
  other = reel_vk_instance_new (&error);
  if (saved != NULL)
    g_setenv ("VK_LAYER_PATH", saved, TRUE);
  else
    g_unsetenv ("VK_LAYER_PATH");
  g_assert_null (other);
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "vulkan-validationlayers"));
}

/* `reel devices` lists what the engine sees and says which device it would use. */
static void
test_devices_command (void)
{
  const char *argv[] = { REEL_BINARY, "devices", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  const ReelVkPhysicalDevice *first;
  int status = -1;

  devices = reel_vk_list_physical_devices (instance, &error);
  g_assert_no_error (error);
  first = g_ptr_array_index (devices, 0);

  g_setenv ("REEL_VK_DEVICE", "0", TRUE);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_unsetenv ("REEL_VK_DEVICE");
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, first->properties.deviceName));
  g_assert_nonnull (strstr (out, "max storage buffer range"));
  g_assert_nonnull (strstr (out, "timestamps"));
  g_assert_nonnull (strstr (out, "Would use device 0"));
  g_assert_nonnull (strstr (out, "REEL_VK_DEVICE"));

  /* A name that matches nothing fails and says so. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_setenv ("REEL_VK_DEVICE", "no such device", TRUE);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_unsetenv ("REEL_VK_DEVICE");
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "no such device"));
}

static void
test_staging (void)
{
  g_autoptr(ReelBackend) backend = NULL;
  g_autoptr(ReelTensor) a = NULL;
  g_autoptr(ReelTensor) c = NULL;
  g_autoptr(GError) error = NULL;
  float in[3 * 4], out[3 * 3];

  g_setenv ("REEL_VK_STAGING", "1", TRUE);
  backend = reel_vk_backend_new (NULL, &error);
  g_unsetenv ("REEL_VK_STAGING");
  g_assert_no_error (error);

  for (int i = 0; i < 12; i++)
    in[i] = (float) i;
  a = reel_backend_new_tensor_2d (backend, 3, 4, &error);
  g_assert_no_error (error);
  c = reel_backend_new_tensor_2d (backend, 3, 3, &error);
  g_assert_no_error (error);
  reel_backend_upload (backend, a, in, &error);
  g_assert_no_error (error);
  /* c = a · aᵀ */
  reel_backend_matmul (backend, a, a, c, 3, 3, 4, TRUE, &error);
  g_assert_no_error (error);
  reel_backend_download (backend, c, out, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (out[0], ==, 0 * 0 + 1 * 1 + 2 * 2 + 3 * 3);
  g_assert_cmpfloat (out[5], ==, 4 * 8 + 5 * 9 + 6 * 10 + 7 * 11);
  g_assert_cmpfloat (out[8], ==, 8 * 8 + 9 * 9 + 10 * 10 + 11 * 11);
  run_one_op (backend);
  g_assert_cmpuint (reel_vk_backend_get_n_validation_messages (backend), ==, 0);
}

/* Every call after a device loss fails at once with DEVICE_LOST and says what to do. */
static void
assert_lost (const GError *error)
{
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST);
  g_assert_nonnull (strstr (error->message, "Restart the render"));
  g_assert_nonnull (strstr (error->message, "Preferences"));
}

/* A sync that reports VK_ERROR_DEVICE_LOST (through the test hook: a real loss cannot be
 * caused here) puts the backend into its lost state: every later call fails at once, without
 * reaching the device, and the backend can still be freed. */
static void
test_device_lost (void)
{
  g_autoptr(ReelBackend) backend = NULL;
  g_autoptr(ReelTensor) t = NULL;
  g_autoptr(ReelTensor) other = NULL;
  g_autoptr(GError) error = NULL;
  const float one = 1;
  float out;

  backend = reel_vk_backend_new (NULL, &error);
  g_assert_no_error (error);
  t = reel_backend_new_tensor_1d (backend, 1, &error);
  g_assert_no_error (error);
  reel_backend_upload (backend, t, &one, &error);
  g_assert_no_error (error);
  reel_backend_add (backend, t, t, t, 1, 1, &error);
  g_assert_no_error (error);

  reel_backend_test_lose_device (backend);
  g_assert_false (reel_backend_sync (backend, NULL, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST);
  g_assert_nonnull (strstr (error->message, "VK_ERROR_DEVICE_LOST"));
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_clear_error (&error);
  g_assert_true (reel_backend_is_lost (backend));

  g_assert_false (reel_backend_add (backend, t, t, t, 1, 1, &error));
  assert_lost (error);
  g_clear_error (&error);
  g_assert_false (reel_backend_sync (backend, NULL, &error));
  assert_lost (error);
  g_clear_error (&error);
  g_assert_false (reel_backend_download (backend, t, &out, &error));
  assert_lost (error);
  g_clear_error (&error);
  g_assert_false (reel_backend_upload (backend, t, &one, &error));
  assert_lost (error);
  g_clear_error (&error);
  other = reel_backend_new_tensor_1d (backend, 4, &error);
  g_assert_null (other);
  assert_lost (error);
  g_clear_error (&error);

  g_assert_cmpuint (reel_vk_backend_get_n_validation_messages (backend), ==, 0);
}

/* Reads VmSize from /proc/self/status, in bytes; 0 when unknown. */
static guint64
address_space_in_use (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmSize:");
  return line != NULL ? g_ascii_strtoull (line + 7, NULL, 10) * 1024 : 0;
}

/* Device memory running out is OUT_OF_MEMORY with the size and what to do, unlike a tensor
 * larger than the device can ever bind (INVALID_ARGUMENT, test_too_large), and the backend
 * goes on working. lavapipe's device memory is the process's memory, so a lowered address
 * space limit (in a subprocess) makes it run out. */
static void
test_out_of_memory (void)
{
  g_autoptr(ReelBackend) backend = NULL;
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit limit;
  guint64 in_use;
  /* 64 MiB each: within lavapipe's 128 MiB maxStorageBufferRange. */
  const int64_t n = 16 << 20;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  /* The validation layer reports every VK_ERROR_OUT_OF_DEVICE_MEMORY it sees as a message of
   * its own; here that result is the point, so this subprocess runs without the layer. */
  g_unsetenv ("REEL_VK_VALIDATION");
  backend = reel_vk_backend_new (NULL, &error);
  g_assert_no_error (error);
  if (reel_vk_backend_get_device (backend)->physical.properties.deviceType
      != VK_PHYSICAL_DEVICE_TYPE_CPU)
    {
      g_test_skip ("Only a CPU Vulkan device takes its memory from the address space");
      return;
    }
  run_one_op (backend);
  in_use = address_space_in_use ();
  if (in_use == 0)
    {
      g_test_skip ("Cannot read this process's address space size");
      return;
    }

  limit.rlim_cur = limit.rlim_max = in_use + (160 << 20);
  g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);

  held = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_tensor_unref);
  for (int i = 0; i < 8 && error == NULL; i++)
    {
      ReelTensor *t = reel_backend_new_tensor_1d (backend, n, &error);

      if (t != NULL)
        g_ptr_array_add (held, t);
    }
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_OUT_OF_MEMORY);
  g_test_message ("%u tensors of 64 MiB fitted; then: %s", held->len, error->message);
  g_assert_nonnull (strstr (error->message, "64.0 MiB"));
  g_assert_nonnull (strstr (error->message, "smaller size"));
  g_assert_nonnull (strstr (error->message, "CPU"));
  g_assert_false (reel_backend_is_lost (backend));

  g_ptr_array_set_size (held, 0);
  run_one_op (backend);
}

/* Removes the test's cache folder and what the pipeline cache put in it. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
skip_without_vulkan (gconstpointer data)
{
  g_test_skip (data);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  cache_home = g_dir_make_tmp ("reel-test-vk-device-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  g_setenv ("REEL_VK_VALIDATION", "1", TRUE);
  g_unsetenv ("REEL_VK_DEVICE");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vk-device/choice-heuristic", test_choice_heuristic);

  instance = reel_vk_instance_new (&error);
  if (instance == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("No Vulkan instance: %s", error->message);

      g_test_add_data_func_full ("/vk-device/skipped", g_steal_pointer (&reason),
                                 skip_without_vulkan, g_free);
      status = g_test_run ();
      remove_tree (cache_home);
      return status;
    }

  g_test_add_func ("/vk-device/choice-real-devices", test_choice_real_devices);
  g_test_add_func ("/vk-device/bad-device-name", test_bad_device_name);
  g_test_add_func ("/vk-device/pipeline-cache", test_pipeline_cache);
  g_test_add_func ("/vk-device/too-large", test_too_large);
  g_test_add_func ("/vk-device/staging", test_staging);
  g_test_add_func ("/vk-device/device-lost", test_device_lost);
  g_test_add_func ("/vk-device/out-of-memory", test_out_of_memory);
  g_test_add_func ("/vk-device/devices-command", test_devices_command);
  g_test_add_func ("/vk-device/validation-layer-missing", test_validation_layer_missing);

  status = g_test_run ();

  g_assert_cmpuint (reel_vk_instance_get_n_validation_messages (instance), ==, 0);
  g_clear_pointer (&instance, reel_vk_instance_unref);
  remove_tree (cache_home);
  g_free (cache_home);
  return status;
}
