#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "reel-backend.h"
#include "vk/reel-vk-backend.h"

/* What the command-buffer chunks of reel-vk-backend.c cost: wall-clock time per op with chunks
 * of at most 1, 4 and 16 dispatches (REEL_VK_CHUNK) against one command buffer per batch
 * (512), with and without a cancellable, on 1024³ matmuls (4 per sync) and on adds of 256
 * values (1000 per sync). Backends alternate round by round so that load on the machine hits
 * them alike; each figure is the median of the rounds. `meson test --benchmark vk-chunks`
 * runs it; it asserts nothing. */

#define N_SIZES 4
#define N_KINDS 4
#define MAX_ROUNDS 64

static const char *const sizes[N_SIZES] = { "512", "1", "4", "16" };

typedef struct
{
  ReelBackend *backend;
  ReelTensor  *a, *b, *c;           /* 1024 × 1024 */
  ReelTensor  *x, *y, *z;           /* 256 */
} Subject;

static ReelTensor *
new_filled (ReelBackend *backend,
            int64_t      n,
            const float *data)
{
  g_autoptr(GError) error = NULL;
  ReelTensor *t = reel_backend_new_tensor_1d (backend, n, &error);

  if (t == NULL || !reel_backend_upload (backend, t, data, &error))
    g_error ("Cannot set up a tensor: %s", error->message);
  return t;
}

/* Milliseconds per op of one sync's worth of matmuls (small = FALSE) or adds. */
static double
time_ops (Subject      *s,
          gboolean      small,
          GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  int n_ops = small ? 1000 : 4;
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < n_ops; i++)
    {
      gboolean ok = small ? reel_backend_add (s->backend, s->x, s->y, s->z, 256, 256, &error)
                          : reel_backend_matmul (s->backend, s->a, s->b, s->c, 1024, 1024, 1024,
                                                 FALSE, &error);
      if (!ok)
        g_error ("%s", error->message);
    }
  if (!reel_backend_sync (s->backend, cancellable, &error))
    g_error ("%s", error->message);
  return (double) (g_get_monotonic_time () - start) / 1000.0 / n_ops;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  static double times[N_SIZES][N_KINDS][MAX_ROUNDS];
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree float *values = g_new0 (float, 1024 * 1024);
  Subject subjects[N_SIZES];
  int rounds = argc > 1 ? CLAMP (atoi (argv[1]), 1, MAX_ROUNDS) : 15;

  for (int i = 0; i < N_SIZES; i++)
    {
      g_autoptr(GError) error = NULL;
      Subject *s = &subjects[i];

      g_setenv ("REEL_VK_CHUNK", sizes[i], TRUE);
      s->backend = reel_vk_backend_new (NULL, &error);
      if (s->backend == NULL)
        {
          printf ("No Vulkan device: %s\n", error->message);
          return 0;
        }
      s->a = new_filled (s->backend, 1024 * 1024, values);
      s->b = new_filled (s->backend, 1024 * 1024, values);
      s->c = new_filled (s->backend, 1024 * 1024, values);
      s->x = new_filled (s->backend, 256, values);
      s->y = new_filled (s->backend, 256, values);
      s->z = new_filled (s->backend, 256, values);
      /* Compiles the pipelines. */
      time_ops (s, FALSE, NULL);
      time_ops (s, TRUE, NULL);
    }
  g_unsetenv ("REEL_VK_CHUNK");

  for (int r = 0; r < rounds; r++)
    for (int i = 0; i < N_SIZES; i++)
      for (int k = 0; k < N_KINDS; k++)
        times[i][k][r] = time_ops (&subjects[i], k >= 2, k % 2 ? cancellable : NULL);

  printf ("%s, median of %d rounds\n", reel_backend_get_name (subjects[0].backend), rounds);
  printf ("chunk  matmul 1024³ ms/op: plain, cancellable | add 256 µs/op: plain, cancellable\n");
  for (int i = 0; i < N_SIZES; i++)
    {
      for (int k = 0; k < N_KINDS; k++)
        qsort (times[i][k], (size_t) rounds, sizeof (double), compare_doubles);
      printf ("%5s  %8.2f %8.2f | %6.1f %6.1f\n", sizes[i], times[i][0][rounds / 2],
              times[i][1][rounds / 2], 1000 * times[i][2][rounds / 2],
              1000 * times[i][3][rounds / 2]);
    }

  for (int i = 0; i < N_SIZES; i++)
    {
      Subject *s = &subjects[i];

      g_clear_pointer (&s->a, reel_tensor_unref);
      g_clear_pointer (&s->b, reel_tensor_unref);
      g_clear_pointer (&s->c, reel_tensor_unref);
      g_clear_pointer (&s->x, reel_tensor_unref);
      g_clear_pointer (&s->y, reel_tensor_unref);
      g_clear_pointer (&s->z, reel_tensor_unref);
      g_clear_pointer (&s->backend, reel_backend_unref);
    }
  return 0;
}
