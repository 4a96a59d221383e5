#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "reel-project-io.h"
#include "reel-project-private.h"

/* A save interrupted at any moment must leave the bundle holding exactly the previous or the
 * new document. A child process saves a large project over and over, alternating between two
 * states, and is killed with SIGKILL: first at every single step of the save in turn (through
 * the REEL_TEST_KILL_AT_STEP hook of reel-atomic-file.c), then at random moments. After each
 * kill the parent loads the bundle. */

#define N_SHOTS        300
#define N_RANDOM_KILLS 200

/* Two distinguishable states, built the same way in both processes. */
static ReelProject *
build_state (char which)
{
  ReelProject *project = reel_project_new ();
  guint n = which == 'A' ? N_SHOTS : N_SHOTS + 1;

  reel_project_set_title_internal (project, which == 'A' ? "State A" : "State B");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("shot-%04u", i);
      g_autoptr(ReelShot) shot = reel_shot_new_with_id (id);
      g_autoptr(GString) prompt = g_string_new (NULL);

      /* Long prompts make the document about a megabyte, so a save takes many write steps. */
      for (guint k = 0; k < 40; k++)
        g_string_append_printf (prompt, "state %c shot %u: a %s circle moves %s; ", which, i,
                                k % 2 ? "red" : "blue", k % 3 ? "left" : "up");
      reel_shot_set_prompt (shot, prompt->str);
      reel_shot_set_duration (shot, which == 'A' ? 4.0 : 2.5);
      reel_shot_set_seed (shot, i);
      reel_project_append_shot_internal (project, shot);
    }
  return project;
}

static void
save_as_or_die (ReelProject *project,
                GFile       *bundle)
{
  g_autoptr(GError) error = NULL;

  if (!reel_project_save_as (project, bundle, &error))
    {
      g_printerr ("save failed: %s\n", error->message);
      _exit (3);
    }
}

/* The child: `--save-child BUNDLE N_SAVES READY_FD`. Saves B, A, B, ... N_SAVES times (forever
 * when N_SAVES is 0), after writing one byte to READY_FD (if not -1). */
static int
child_main (char **argv)
{
  g_autoptr(GFile) bundle = g_file_new_for_path (argv[2]);
  g_autoptr(ReelProject) a = build_state ('A');
  g_autoptr(ReelProject) b = build_state ('B');
  guint n_saves = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  int ready_fd = (int) g_ascii_strtoll (argv[4], NULL, 10);

  if (ready_fd >= 0)
    {
      if (write (ready_fd, "r", 1) != 1)
        return 4;
      close (ready_fd);
    }
  for (guint i = 0; n_saves == 0 || i < n_saves; i++)
    save_as_or_die (i % 2 == 0 ? b : a, bundle);
  return 0;
}

typedef struct
{
  char *bundle;
  char *json_path;
  char *data_a;
  char *data_b;
  guint seen_a;
  guint seen_b;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autofree char *tmp = g_dir_make_tmp ("reel-atomic-XXXXXX", NULL);
  g_autoptr(ReelProject) a = build_state ('A');
  g_autoptr(ReelProject) b = build_state ('B');
  g_autoptr(GFile) bundle = NULL;

  g_assert_nonnull (tmp);
  fx->bundle = g_build_filename (tmp, "crash.reel", NULL);
  fx->json_path = g_build_filename (fx->bundle, "project.json", NULL);
  fx->data_a = reel_project_to_data (a, NULL);
  fx->data_b = reel_project_to_data (b, NULL);
  g_assert_cmpstr (fx->data_a, !=, fx->data_b);
  g_assert_cmpuint (strlen (fx->data_a), >, 512 * 1024);

  bundle = g_file_new_for_path (fx->bundle);
  save_as_or_die (a, bundle);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *media = g_build_filename (fx->bundle, "media", NULL);
  g_autofree char *tmp_json = g_strconcat (fx->json_path, ".tmp", NULL);
  g_autofree char *parent = g_path_get_dirname (fx->bundle);

  g_unlink (fx->json_path);
  g_unlink (tmp_json);
  g_rmdir (media);
  g_rmdir (fx->bundle);
  g_rmdir (parent);
  g_free (fx->bundle);
  g_free (fx->json_path);
  g_free (fx->data_a);
  g_free (fx->data_b);
}

/* The bundle must hold exactly state A or state B, and load as that state. */
static void
check_bundle (Fixture *fx)
{
  g_autofree char *contents = NULL;
  g_autofree char *reserialized = NULL;
  g_autoptr(GFile) bundle = g_file_new_for_path (fx->bundle);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;
  gboolean is_a, is_b;

  g_assert_true (g_file_get_contents (fx->json_path, &contents, NULL, NULL));
  is_a = g_str_equal (contents, fx->data_a);
  is_b = g_str_equal (contents, fx->data_b);
  g_assert_true (is_a || is_b);
  fx->seen_a += is_a;
  fx->seen_b += is_b;

  project = reel_project_load (bundle, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_cmpstr (reel_project_get_title (project), ==, is_a ? "State A" : "State B");
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, is_a ? N_SHOTS : N_SHOTS + 1);
  reserialized = reel_project_to_data (project, NULL);
  g_assert_cmpstr (reserialized, ==, contents);
}

/* Starts the child; returns its pid. @kill_step 0 means no hook. */
static GPid
spawn_child (Fixture *fx,
             guint    n_saves,
             guint    kill_step,
             int      ready_fd)
{
  g_autofree char *saves = g_strdup_printf ("%u", n_saves);
  g_autofree char *fd = g_strdup_printf ("%d", ready_fd);
  g_autofree char *step = g_strdup_printf ("%u", kill_step);
  g_auto(GStrv) envp = g_get_environ ();
  char *child_argv[] = {
    (char *) "/proc/self/exe", (char *) "--save-child", fx->bundle, saves, fd, NULL
  };
  pid_t pid;

  envp = kill_step > 0 ? g_environ_setenv (envp, "REEL_TEST_KILL_AT_STEP", step, TRUE)
                       : g_environ_unsetenv (envp, "REEL_TEST_KILL_AT_STEP");
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      execve ("/proc/self/exe", child_argv, envp);
      _exit (127);
    }
  return pid;
}

static int
wait_child (GPid pid)
{
  int status = 0;

  while (waitpid (pid, &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  return status;
}

static void
test_kill_at_every_step (Fixture       *fx,
                         gconstpointer  data)
{
  guint step;
  guint kills = 0;

  /* Three saves (B, A, B); step N kills the child at its Nth crash point. When the child
   * survives, N has passed the last step of the last save. */
  for (step = 1; step < 10000; step++)
    {
      int status = wait_child (spawn_child (fx, 3, step, -1));

      if (WIFEXITED (status))
        {
          g_assert_cmpint (WEXITSTATUS (status), ==, 0);
          break;
        }
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
      kills++;
      check_bundle (fx);
    }

  g_test_message ("killed at each of %u steps; seen A %u times, B %u times",
                  kills, fx->seen_a, fx->seen_b);
  /* Each save has an open, many writes, an fsync, a close, a rename and a folder fsync. */
  g_assert_cmpuint (kills, >=, 3 * 6);
  /* Kills before the first rename leave A; kills after it leave B. */
  g_assert_cmpuint (fx->seen_a, >, 0);
  g_assert_cmpuint (fx->seen_b, >, 0);

  /* The uninterrupted run ended with B. */
  fx->seen_a = fx->seen_b = 0;
  check_bundle (fx);
  g_assert_cmpuint (fx->seen_b, ==, 1);
}

static void
test_kill_at_random_moments (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(ReelProject) b = build_state ('B');
  g_autoptr(GFile) bundle = g_file_new_for_path (fx->bundle);
  gint64 start, save_us;

  /* Scale the delays to how long a save takes here, so the kills land across whole saves on
   * fast and slow disks alike. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 3; i++)
    save_as_or_die (b, bundle);
  save_us = MAX ((g_get_monotonic_time () - start) / 3, 1000);

  for (guint i = 0; i < N_RANDOM_KILLS; i++)
    {
      int fds[2];
      char byte;
      GPid pid;
      int status;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = spawn_child (fx, 0, 0, fds[1]);
      close (fds[1]);
      /* Wait until the child is about to save, so the delay measures time inside saves. */
      g_assert_cmpint (read (fds[0], &byte, 1), ==, 1);
      close (fds[0]);
      g_usleep (g_test_rand_int_range (0, (gint32) MIN (save_us * 4, G_MAXINT32)));
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      status = wait_child (pid);
      g_assert_true (WIFSIGNALED (status));
      check_bundle (fx);
    }
  g_test_message ("%u random kills (save takes ~%" G_GINT64_FORMAT " µs); seen A %u times, "
                  "B %u times", N_RANDOM_KILLS, save_us, fx->seen_a, fx->seen_b);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 5 && g_str_equal (argv[1], "--save-child"))
    return child_main (argv);

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/atomic-save/kill-at-every-step", Fixture, NULL,
              fixture_set_up, test_kill_at_every_step, fixture_tear_down);
  g_test_add ("/atomic-save/kill-at-random-moments", Fixture, NULL,
              fixture_set_up, test_kill_at_random_moments, fixture_tear_down);

  return g_test_run ();
}
