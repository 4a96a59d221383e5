#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <string.h>

#include "cpu/reel-cpu-backend.h"
#include "reel-backend-private.h"
#include "reel-render-error.h"
#include "reel-safetensors.h"
#include "reel-scheduler.h"
#include "vk/reel-vk-backend.h"

/* The device the scheduler owns: tests only check that jobs get it and that it is freed once,
 * after the worker has stopped. */
typedef struct
{
  guint *destroyed;
} FakeDevice;

static void
fake_device_free (gpointer data)
{
  FakeDevice *device = data;

  (*device->destroyed)++;
  g_free (device);
}

/* Holds the worker until the test opens it, so that later jobs pile up in the queue. */
typedef struct
{
  GMutex mutex;
  GCond cond;
  gboolean entered;
  gboolean open;
} Gate;

typedef struct
{
  const char *name;
  GString *log;                 /* borrowed: names appended in completion order */
  Gate *gate;                   /* borrowed; NULL unless the job waits at the gate */
  GError *fail_with;            /* owned; the error the job fails with */
  guint n_steps;                /* steps to run; G_MAXUINT runs until cancelled */
  guint *freed;                 /* borrowed counter, bumped when this is freed */
  FakeDevice *expected_device;

  /* Written by the worker. */
  gint steps_done;
  gint ran;

  /* Written on the main thread. */
  GThread *main_thread;
  GArray *progress;             /* guint steps seen by the progress callback */
  GError *error;
  gboolean completed;
} Record;

/* Records outlive their jobs, so that a test can look at them after completion; the job's
 * destroy notify only counts the release. finish_scheduler() frees them. */
static GPtrArray *all_records;

static void record_free (gpointer data);

static Record *
record_new (const char *name,
            GString    *log,
            guint      *freed)
{
  Record *record = g_new0 (Record, 1);

  record->name = name;
  record->log = log;
  record->freed = freed;
  record->main_thread = g_thread_self ();
  record->progress = g_array_new (FALSE, FALSE, sizeof (guint));
  if (all_records == NULL)
    all_records = g_ptr_array_new_with_free_func (record_free);
  g_ptr_array_add (all_records, record);
  return record;
}

static void
record_release (gpointer data)
{
  Record *record = data;

  (*record->freed)++;
}

static void
record_free (gpointer data)
{
  Record *record = data;

  g_clear_error (&record->fail_with);
  g_clear_error (&record->error);
  g_array_unref (record->progress);
  g_free (record);
}

static gboolean
record_job_func (ReelJob       *job,
                 gpointer       device,
                 gpointer       job_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Record *record = job_data;

  g_atomic_int_set (&record->ran, TRUE);
  if (record->expected_device != NULL)
    g_assert_true (device == record->expected_device);

  if (record->gate != NULL)
    {
      Gate *gate = record->gate;

      g_mutex_lock (&gate->mutex);
      gate->entered = TRUE;
      g_cond_broadcast (&gate->cond);
      /* Polls the cancellable so that shutdown can stop a job held at the gate. */
      while (!gate->open && !g_cancellable_is_cancelled (cancellable))
        g_cond_wait_until (&gate->cond, &gate->mutex,
                           g_get_monotonic_time () + 5 * G_TIME_SPAN_MILLISECOND);
      g_mutex_unlock (&gate->mutex);
    }

  for (guint step = 0; step < record->n_steps; step++)
    {
      if (!reel_job_check_cancelled (job, error))
        return FALSE;
      g_usleep (200);
      g_atomic_int_inc (&record->steps_done);
      reel_job_report_progress (job, step + 1, record->n_steps);
    }

  if (!reel_job_check_cancelled (job, error))
    return FALSE;
  if (record->fail_with != NULL)
    {
      g_propagate_error (error, g_error_copy (record->fail_with));
      return FALSE;
    }
  reel_job_set_result (job, g_strdup_printf ("%s result", record->name), g_free);
  return TRUE;
}

static void
progress_cb (ReelJob  *job,
             guint     step,
             guint     n_steps,
             gpointer  user_data)
{
  Record *record = user_data;

  g_assert_true (g_thread_self () == record->main_thread);
  g_assert_false (record->completed);
  g_array_append_val (record->progress, step);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Record *record = user_data;

  g_assert_true (g_thread_self () == record->main_thread);
  g_assert_false (record->completed);
  reel_scheduler_submit_finish (REEL_SCHEDULER (source), result, &record->error);
  record->completed = TRUE;
  if (record->log != NULL)
    g_string_append_printf (record->log, "%s%s", record->log->len ? " " : "", record->name);
}

static ReelJob *
submit (ReelScheduler *scheduler,
        Record        *record,
        int            priority,
        GCancellable  *cancellable)
{
  ReelJob *job = reel_job_new (record->name, priority, record_job_func, record,
                               record_release);

  reel_scheduler_submit_async (scheduler, job, cancellable, progress_cb, done_cb, record);
  return job;
}

static void
wait_for (Record *record)
{
  while (!record->completed)
    g_main_context_iteration (NULL, TRUE);
}

static void
gate_wait_entered (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  while (!gate->entered)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
}

static void
gate_open (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

static ReelScheduler *
new_scheduler (guint *device_destroyed)
{
  FakeDevice *device = g_new0 (FakeDevice, 1);

  device->destroyed = device_destroyed;
  return reel_scheduler_new (device, fake_device_free);
}

static void
finish_scheduler (ReelScheduler *scheduler,
                  guint         *device_destroyed)
{
  guint before = *device_destroyed;

  /* Completion sources drop their references right after the callbacks; let them run. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (scheduler);
  g_assert_cmpuint (*device_destroyed, ==, before + 1);
}

/* After finish_scheduler(): every job has released its record exactly once. */
static void
finish_records (guint freed,
                guint expected)
{
  g_assert_cmpuint (freed, ==, expected);
  g_clear_pointer (&all_records, g_ptr_array_unref);
}

static char *
queue_names (ReelScheduler *scheduler)
{
  g_autoptr(GPtrArray) queue = reel_scheduler_dup_queue (scheduler);
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < queue->len; i++)
    g_string_append_printf (names, "%s%s", i ? " " : "", reel_job_get_name (queue->pdata[i]));
  return g_string_free (names, FALSE);
}

static void
test_priority_order (void)
{
  static const struct
  {
    const char *name;
    int priority;
  } jobs[] = {
    { "low1", 0 }, { "high1", 10 }, { "mid1", 5 }, { "high2", 10 }, { "low2", 0 },
    { "negative", -3 }, { "mid2", 5 },
  };
  guint destroyed = 0, freed = 0;
  ReelScheduler *scheduler = new_scheduler (&destroyed);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *queued = NULL;
  Gate gate = { 0 };
  Record *gate_record = record_new ("gate", log, &freed);
  Record *records[G_N_ELEMENTS (jobs)];
  g_autoptr(ReelJob) gate_job = NULL;
  g_autoptr(ReelJob) running = NULL;

  gate_record->gate = &gate;
  gate_job = submit (scheduler, gate_record, 0, NULL);
  gate_wait_entered (&gate);
  running = reel_scheduler_dup_running_job (scheduler);
  g_assert_true (running == gate_job);
  g_assert_cmpint (reel_job_get_state (gate_job), ==, REEL_JOB_RUNNING);

  for (gsize i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_autoptr(ReelJob) job = NULL;

      records[i] = record_new (jobs[i].name, log, &freed);
      job = submit (scheduler, records[i], jobs[i].priority, NULL);
      g_assert_cmpint (reel_job_get_state (job), ==, REEL_JOB_QUEUED);
    }

  queued = queue_names (scheduler);
  g_assert_cmpstr (queued, ==, "high1 high2 mid1 mid2 low1 low2 negative");

  gate_open (&gate);
  for (gsize i = 0; i < G_N_ELEMENTS (jobs); i++)
    wait_for (records[i]);
  wait_for (gate_record);
  g_assert_cmpstr (log->str, ==, "gate high1 high2 mid1 mid2 low1 low2 negative");
  for (gsize i = 0; i < G_N_ELEMENTS (jobs); i++)
    g_assert_no_error (records[i]->error);
  g_assert_cmpint (reel_job_get_state (gate_job), ==, REEL_JOB_DONE);

  g_clear_pointer (&gate_job, reel_job_unref);
  g_clear_pointer (&running, reel_job_unref);
  finish_scheduler (scheduler, &destroyed);
  finish_records (freed, G_N_ELEMENTS (jobs) + 1);
}

static void
test_progress_on_submitting_context (void)
{
  guint destroyed = 0, freed = 0;
  ReelScheduler *scheduler = new_scheduler (&destroyed);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(ReelJob) job = NULL;
  g_autofree char *result = NULL;
  Record *record = record_new ("steps", NULL, &freed);

  record->n_steps = 25;
  record->expected_device = NULL;

  /* Submitted from a thread-default context: progress and completion must arrive there and
   * nowhere else. */
  g_main_context_push_thread_default (context);
  job = submit (scheduler, record, 0, NULL);
  g_main_context_pop_thread_default (context);

  while (!record->completed)
    {
      g_assert_false (g_main_context_iteration (NULL, FALSE));
      g_main_context_iteration (context, TRUE);
    }

  g_assert_no_error (record->error);
  g_assert_cmpuint (record->progress->len, ==, 25);
  for (guint i = 0; i < record->progress->len; i++)
    g_assert_cmpuint (g_array_index (record->progress, guint, i), ==, i + 1);

  result = reel_job_steal_result (job);
  g_assert_cmpstr (result, ==, "steps result");
  g_assert_null (reel_job_steal_result (job));

  while (g_main_context_iteration (context, FALSE))
    ;
  g_clear_pointer (&job, reel_job_unref);
  finish_scheduler (scheduler, &destroyed);
  finish_records (freed, 1);
}

static void
test_cancel_queued (void)
{
  guint destroyed = 0, freed = 0;
  ReelScheduler *scheduler = new_scheduler (&destroyed);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) early = g_cancellable_new ();
  g_autoptr(ReelJob) job = NULL;
  g_autofree char *queued = NULL;
  Gate gate = { 0 };
  Record *gate_record = record_new ("gate", log, &freed);
  Record *doomed = record_new ("doomed", log, &freed);
  Record *never = record_new ("never", log, &freed);
  Record *after = record_new ("after", log, &freed);

  gate_record->gate = &gate;
  g_clear_pointer (&job, reel_job_unref);
  job = submit (scheduler, gate_record, 0, NULL);
  gate_wait_entered (&gate);

  g_clear_pointer (&job, reel_job_unref);
  job = submit (scheduler, doomed, 5, cancellable);
  g_clear_pointer (&job, reel_job_unref);
  g_cancellable_cancel (early);
  job = submit (scheduler, never, 5, early);
  g_clear_pointer (&job, reel_job_unref);
  job = submit (scheduler, after, 0, NULL);

  g_cancellable_cancel (cancellable);
  /* Dropped at once, while the worker is still busy with the gate. */
  queued = queue_names (scheduler);
  g_assert_cmpstr (queued, ==, "after");
  wait_for (doomed);
  wait_for (never);
  g_assert_false (gate_record->completed);
  g_assert_error (doomed->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (never->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  gate_open (&gate);
  wait_for (after);
  g_assert_no_error (after->error);
  g_assert_false (g_atomic_int_get (&doomed->ran));
  g_assert_false (g_atomic_int_get (&never->ran));
  /* "never" was refused at submission, before "doomed" was cancelled. */
  g_assert_cmpstr (log->str, ==, "never doomed gate after");

  g_clear_pointer (&job, reel_job_unref);
  finish_scheduler (scheduler, &destroyed);
  finish_records (freed, 4);
}

static void
test_cancel_running (void)
{
  guint destroyed = 0, freed = 0;
  ReelScheduler *scheduler = new_scheduler (&destroyed);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ReelJob) job = NULL;
  g_autoptr(ReelJob) next_job = NULL;
  Record *endless = record_new ("endless", NULL, &freed);
  Record *next = record_new ("next", NULL, &freed);
  gint steps_at_cancel;

  endless->n_steps = G_MAXUINT;
  job = submit (scheduler, endless, 0, cancellable);
  next->n_steps = 3;
  next_job = submit (scheduler, next, 0, NULL);

  while (endless->progress->len < 3)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  steps_at_cancel = g_atomic_int_get (&endless->steps_done);

  wait_for (endless);
  g_assert_error (endless->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The step under way when the cancel came may finish; no other one starts. */
  g_assert_cmpint (g_atomic_int_get (&endless->steps_done), <=, steps_at_cancel + 1);

  wait_for (next);
  g_assert_no_error (next->error);
  g_assert_cmpuint (next->progress->len, ==, 3);

  g_clear_pointer (&job, reel_job_unref);
  g_clear_pointer (&next_job, reel_job_unref);
  finish_scheduler (scheduler, &destroyed);
  finish_records (freed, 2);
}

static void
test_failure_does_not_stop_worker (void)
{
  guint destroyed = 0, freed = 0;
  ReelScheduler *scheduler = new_scheduler (&destroyed);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(ReelJob) oom_job = NULL;
  g_autoptr(ReelJob) weights_job = NULL;
  g_autoptr(ReelJob) fine_job = NULL;
  g_autofree char *result = NULL;
  Record *oom = record_new ("oom", log, &freed);
  Record *weights = record_new ("weights", log, &freed);
  Record *fine = record_new ("fine", log, &freed);

  oom->fail_with = g_error_new (REEL_RENDER_ERROR, REEL_RENDER_ERROR_OUT_OF_MEMORY,
                                "Out of device memory");
  weights->fail_with = g_error_new (REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS,
                                    "Cannot load weights");
  oom->n_steps = 2;
  oom_job = submit (scheduler, oom, 0, NULL);
  weights_job = submit (scheduler, weights, 0, NULL);
  fine_job = submit (scheduler, fine, 0, NULL);

  wait_for (fine);
  g_assert_cmpstr (log->str, ==, "oom weights fine");
  g_assert_error (oom->error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_OUT_OF_MEMORY);
  g_assert_error (weights->error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS);
  g_assert_no_error (fine->error);
  g_assert_cmpuint (oom->progress->len, ==, 2);

  result = reel_job_steal_result (fine_job);
  g_assert_cmpstr (result, ==, "fine result");

  g_clear_pointer (&oom_job, reel_job_unref);
  g_clear_pointer (&weights_job, reel_job_unref);
  g_clear_pointer (&fine_job, reel_job_unref);
  finish_scheduler (scheduler, &destroyed);
  finish_records (freed, 3);
}

static void
device_lost_cb (ReelScheduler *scheduler,
                const GError  *error,
                gpointer       user_data)
{
  GString *log = user_data;

  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST);
  g_string_append_printf (log, "%sdevice-lost", log->len ? " " : "");
}

/* A job that loses the device tells the owner (::device-lost, before its own completion); the
 * jobs queued behind it fail at once with the same code instead of running on the dead
 * device, until a new device is installed, on which they run again. */
static void
test_device_lost (void)
{
  guint destroyed = 0, freed = 0;
  ReelScheduler *scheduler = new_scheduler (&destroyed);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(ReelJob) lost_job = NULL;
  g_autoptr(ReelJob) a_job = NULL;
  g_autoptr(ReelJob) b_job = NULL;
  g_autoptr(ReelJob) c_job = NULL;
  Gate gate = { 0 };
  Record *lost = record_new ("lost", log, &freed);
  Record *a = record_new ("a", log, &freed);
  Record *b = record_new ("b", log, &freed);
  Record *c = record_new ("c", log, &freed);
  FakeDevice *second = g_new0 (FakeDevice, 1);

  g_signal_connect (scheduler, "device-lost", G_CALLBACK (device_lost_cb), log);
  lost->gate = &gate;
  lost->fail_with = g_error_new (REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST,
                                 "The Vulkan device was lost");
  lost_job = submit (scheduler, lost, 0, NULL);
  gate_wait_entered (&gate);
  a_job = submit (scheduler, a, 0, NULL);
  b_job = submit (scheduler, b, 0, NULL);
  g_assert_false (reel_scheduler_is_device_lost (scheduler));
  gate_open (&gate);

  wait_for (b);
  g_assert_cmpstr (log->str, ==, "device-lost lost a b");
  g_assert_true (reel_scheduler_is_device_lost (scheduler));
  g_assert_error (lost->error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST);
  g_assert_cmpstr (lost->error->message, ==, "The Vulkan device was lost");
  for (Record **r = (Record *[]) { a, b, NULL }; *r != NULL; r++)
    {
      g_assert_error ((*r)->error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST);
      g_assert_nonnull (strstr ((*r)->error->message, "Restart the render"));
      g_assert_nonnull (strstr ((*r)->error->message, "The Vulkan device was lost"));
      g_assert_false (g_atomic_int_get (&(*r)->ran));
    }
  g_assert_cmpuint (destroyed, ==, 0);

  /* A new device: the old one is freed, and jobs run again, on the new one. */
  second->destroyed = &destroyed;
  reel_scheduler_replace_device (scheduler, second, fake_device_free);
  c->expected_device = second;
  c_job = submit (scheduler, c, 0, NULL);
  wait_for (c);
  g_assert_no_error (c->error);
  g_assert_true (g_atomic_int_get (&c->ran));
  g_assert_false (reel_scheduler_is_device_lost (scheduler));
  g_assert_cmpuint (destroyed, ==, 1);
  /* One signal for the one loss. */
  g_assert_cmpstr (log->str, ==, "device-lost lost a b c");

  g_clear_pointer (&lost_job, reel_job_unref);
  g_clear_pointer (&a_job, reel_job_unref);
  g_clear_pointer (&b_job, reel_job_unref);
  g_clear_pointer (&c_job, reel_job_unref);
  finish_scheduler (scheduler, &destroyed);
  finish_records (freed, 4);
}

/* Jobs on a real backend: the scheduler's device is a ReelBackend. */
typedef enum
{
  BACKEND_JOB_ADD_ONE,          /* uploads 1, adds 1, downloads: the result must be 2 */
  BACKEND_JOB_LOSE_DEVICE,      /* queues an op, then a sync that reports the device lost */
  BACKEND_JOB_HUGE_TENSOR,      /* asks for a tensor no machine can hold */
} BackendJobKind;

typedef struct
{
  BackendJobKind kind;
  float result;
  gint ran;
  GError *error;
  gboolean completed;
} BackendJob;

static gboolean
backend_job_func (ReelJob       *job,
                  gpointer       device,
                  gpointer       job_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  ReelBackend *backend = device;
  BackendJob *data = job_data;
  g_autoptr(ReelTensor) t = NULL;
  const float one = 1;

  g_atomic_int_set (&data->ran, TRUE);
  if (data->kind == BACKEND_JOB_HUGE_TENSOR)
    {
      /* 2^58 values: 1 EiB, past any allocator but within the size checks. */
      const int64_t huge[2] = { G_GINT64_CONSTANT (1) << 29, G_GINT64_CONSTANT (1) << 29 };

      t = reel_backend_new_tensor (backend, 2, huge, error);
      return t != NULL;
    }

  t = reel_backend_new_tensor_1d (backend, 1, error);
  if (t == NULL
      || !reel_backend_upload (backend, t, &one, error)
      || !reel_backend_add (backend, t, t, t, 1, 1, error))
    return FALSE;
  if (data->kind == BACKEND_JOB_LOSE_DEVICE)
    reel_backend_test_lose_device (backend);
  return reel_backend_sync (backend, cancellable, error)
         && reel_backend_download (backend, t, &data->result, error);
}

static void
backend_job_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  BackendJob *data = user_data;

  reel_scheduler_submit_finish (REEL_SCHEDULER (source), result, &data->error);
  data->completed = TRUE;
}

static ReelJob *
submit_backend_job (ReelScheduler *scheduler,
                    BackendJob    *data)
{
  ReelJob *job = reel_job_new ("backend job", 0, backend_job_func, data, NULL);

  reel_scheduler_submit_async (scheduler, job, NULL, NULL, backend_job_done_cb, data);
  return job;
}

static void
wait_for_backend_job (BackendJob *data)
{
  while (!data->completed)
    g_main_context_iteration (NULL, TRUE);
}

static void
count_signal (gpointer counter)
{
  (*(guint *) counter)++;
}

/* The device loss through the real path: a Vulkan sync reports VK_ERROR_DEVICE_LOST (the test
 * hook of reel-backend-private.h), the backend goes into its lost state, the scheduler tells
 * the owner and fails the next job without running it, and a new backend serves again. */
static void
test_device_lost_vulkan (void)
{
  g_autoptr(GError) error = NULL;
  ReelBackend *backend = reel_vk_backend_new (NULL, &error);
  ReelBackend *fresh;
  ReelScheduler *scheduler;
  BackendJob lose = { BACKEND_JOB_LOSE_DEVICE }, next = { BACKEND_JOB_ADD_ONE };
  BackendJob after = { BACKEND_JOB_ADD_ONE };
  g_autoptr(ReelJob) lose_job = NULL;
  g_autoptr(ReelJob) next_job = NULL;
  g_autoptr(ReelJob) after_job = NULL;
  guint signalled = 0;

  if (backend == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  scheduler = reel_scheduler_new (backend, (GDestroyNotify) reel_backend_unref);
  g_signal_connect_swapped (scheduler, "device-lost", G_CALLBACK (count_signal), &signalled);

  lose_job = submit_backend_job (scheduler, &lose);
  next_job = submit_backend_job (scheduler, &next);
  wait_for_backend_job (&next);

  g_assert_error (lose.error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST);
  g_assert_nonnull (strstr (lose.error->message, "VK_ERROR_DEVICE_LOST"));
  g_assert_cmpuint (signalled, ==, 1);
  g_assert_error (next.error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST);
  g_assert_false (g_atomic_int_get (&next.ran));
  g_assert_true (reel_backend_is_lost (backend));

  fresh = reel_vk_backend_new (NULL, &error);
  g_assert_no_error (error);
  reel_scheduler_replace_device (scheduler, fresh, (GDestroyNotify) reel_backend_unref);
  after_job = submit_backend_job (scheduler, &after);
  wait_for_backend_job (&after);
  g_assert_no_error (after.error);
  g_assert_cmpfloat (after.result, ==, 2);
  g_assert_cmpuint (signalled, ==, 1);

  g_clear_pointer (&lose_job, reel_job_unref);
  g_clear_pointer (&next_job, reel_job_unref);
  g_clear_pointer (&after_job, reel_job_unref);
  g_clear_error (&lose.error);
  g_clear_error (&next.error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (scheduler);
}

/* Out of memory is not a device loss: the job fails with OUT_OF_MEMORY naming the size and
 * what to do, and the same backend serves the next job. */
static void
test_out_of_memory_job (void)
{
  ReelScheduler *scheduler = reel_scheduler_new (reel_cpu_backend_new (),
                                                 (GDestroyNotify) reel_backend_unref);
  BackendJob huge = { BACKEND_JOB_HUGE_TENSOR }, next = { BACKEND_JOB_ADD_ONE };
  g_autoptr(ReelJob) huge_job = NULL;
  g_autoptr(ReelJob) next_job = NULL;
  guint signalled = 0;

  g_signal_connect_swapped (scheduler, "device-lost", G_CALLBACK (count_signal), &signalled);
  huge_job = submit_backend_job (scheduler, &huge);
  next_job = submit_backend_job (scheduler, &next);
  wait_for_backend_job (&next);

  g_assert_error (huge.error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_OUT_OF_MEMORY);
  g_assert_nonnull (strstr (huge.error->message, "EB"));
  g_assert_nonnull (strstr (huge.error->message, "smaller size"));
  g_assert_no_error (next.error);
  g_assert_cmpfloat (next.result, ==, 2);
  g_assert_cmpuint (signalled, ==, 0);
  g_assert_false (reel_scheduler_is_device_lost (scheduler));

  g_clear_pointer (&huge_job, reel_job_unref);
  g_clear_pointer (&next_job, reel_job_unref);
  g_clear_error (&huge.error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (scheduler);
}

static gboolean
load_weights_job_func (ReelJob       *job,
                       gpointer       device,
                       gpointer       job_data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(ReelSafetensors) weights = reel_safetensors_open (job_data, error);

  return weights != NULL;
}

static void
load_weights_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (reel_scheduler_submit_finish (REEL_SCHEDULER (source), result, error));
  g_assert_nonnull (*error);
}

/* A real reader error travels through the scheduler like any other failure. */
static void
test_bad_weights_job (void)
{
  guint destroyed = 0, freed = 0;
  ReelScheduler *scheduler = new_scheduler (&destroyed);
  g_autoptr(ReelJob) bad_job = NULL;
  g_autoptr(ReelJob) next_job = NULL;
  g_autoptr(GError) error = NULL;
  Record *next = record_new ("next", NULL, &freed);

  bad_job = reel_job_new ("load weights", 0, load_weights_job_func,
                          g_test_build_filename (G_TEST_DIST, "safetensors-malformed",
                                                 "overlapping-ranges.safetensors", NULL),
                          g_free);
  reel_scheduler_submit_async (scheduler, bad_job, NULL, NULL, load_weights_done_cb, &error);
  next_job = submit (scheduler, next, 0, NULL);

  wait_for (next);
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_BAD_WEIGHTS);
  g_assert_nonnull (strstr (error->message, "overlap"));
  g_assert_no_error (next->error);

  g_clear_pointer (&bad_job, reel_job_unref);
  g_clear_pointer (&next_job, reel_job_unref);
  finish_scheduler (scheduler, &destroyed);
  finish_records (freed, 1);
}

static void
test_reprioritise (void)
{
  guint destroyed = 0, freed = 0;
  ReelScheduler *scheduler = new_scheduler (&destroyed);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(ReelJob) gate_job = NULL;
  g_autoptr(ReelJob) a_job = NULL;
  g_autoptr(ReelJob) b_job = NULL;
  g_autoptr(ReelJob) c_job = NULL;
  g_autofree char *order1 = NULL;
  g_autofree char *order2 = NULL;
  Gate gate = { 0 };
  Record *gate_record = record_new ("gate", log, &freed);
  Record *a = record_new ("a", log, &freed);
  Record *b = record_new ("b", log, &freed);
  Record *c = record_new ("c", log, &freed);

  gate_record->gate = &gate;
  gate_job = submit (scheduler, gate_record, 0, NULL);
  gate_wait_entered (&gate);
  a_job = submit (scheduler, a, 0, NULL);
  b_job = submit (scheduler, b, 0, NULL);
  c_job = submit (scheduler, c, 0, NULL);

  g_assert_true (reel_scheduler_set_priority (scheduler, c_job, 5));
  g_assert_cmpint (reel_job_get_priority (c_job), ==, 5);
  order1 = queue_names (scheduler);
  g_assert_cmpstr (order1, ==, "c a b");

  /* Setting a job's priority again sends it behind the others of that priority. */
  g_assert_true (reel_scheduler_set_priority (scheduler, a_job, 0));
  order2 = queue_names (scheduler);
  g_assert_cmpstr (order2, ==, "c b a");

  /* A running job can no longer be moved. */
  g_assert_false (reel_scheduler_set_priority (scheduler, gate_job, 100));
  g_assert_cmpint (reel_job_get_priority (gate_job), ==, 0);

  gate_open (&gate);
  wait_for (a);
  g_assert_cmpstr (log->str, ==, "gate c b a");
  g_assert_false (reel_scheduler_set_priority (scheduler, a_job, 1));

  g_clear_pointer (&gate_job, reel_job_unref);
  g_clear_pointer (&a_job, reel_job_unref);
  g_clear_pointer (&b_job, reel_job_unref);
  g_clear_pointer (&c_job, reel_job_unref);
  finish_scheduler (scheduler, &destroyed);
  finish_records (freed, 4);
}

static void
test_shutdown_cancels_pending (void)
{
  guint destroyed = 0, freed = 0;
  ReelScheduler *scheduler = new_scheduler (&destroyed);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ReelJob) job = NULL;
  Gate gate = { 0 };
  Record *gate_record = record_new ("gate", log, &freed);
  Record *queued[3];
  Record *late = record_new ("late", log, &freed);

  gate_record->gate = &gate;
  job = submit (scheduler, gate_record, 0, NULL);
  gate_wait_entered (&gate);
  for (guint i = 0; i < G_N_ELEMENTS (queued); i++)
    {
      queued[i] = record_new ("queued", log, &freed);
      g_clear_pointer (&job, reel_job_unref);
      /* One of them with a cancellable, to check that its handler is disconnected. */
      job = submit (scheduler, queued[i], 0, i == 1 ? cancellable : NULL);
    }

  reel_scheduler_shutdown (scheduler);
  /* The gate never opened: the running job stopped because shutdown cancelled it. */
  g_assert_null (reel_scheduler_dup_running_job (scheduler));
  wait_for (gate_record);
  g_assert_error (gate_record->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  for (guint i = 0; i < G_N_ELEMENTS (queued); i++)
    {
      wait_for (queued[i]);
      g_assert_error (queued[i]->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_false (g_atomic_int_get (&queued[i]->ran));
    }

  g_clear_pointer (&job, reel_job_unref);
  job = submit (scheduler, late, 0, NULL);
  wait_for (late);
  g_assert_error (late->error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_false (g_atomic_int_get (&late->ran));

  /* Shutting down twice is harmless, and a cancel after completion reaches no one. */
  reel_scheduler_shutdown (scheduler);
  g_cancellable_cancel (cancellable);

  g_clear_pointer (&job, reel_job_unref);
  finish_scheduler (scheduler, &destroyed);
  finish_records (freed, 5);
}

static void
test_dispose_stops_idle_worker (void)
{
  guint destroyed = 0, freed = 0;
  ReelScheduler *scheduler = new_scheduler (&destroyed);
  g_autoptr(ReelJob) job = NULL;
  FakeDevice *device;
  Record *record = record_new ("one", NULL, &freed);

  /* The job checks that it was handed the scheduler's device. */
  device = g_new0 (FakeDevice, 1);
  device->destroyed = &destroyed;
  g_clear_object (&scheduler);
  g_assert_cmpuint (destroyed, ==, 1);

  scheduler = reel_scheduler_new (device, fake_device_free);
  record->expected_device = device;
  job = submit (scheduler, record, 0, NULL);
  wait_for (record);
  g_assert_no_error (record->error);
  g_clear_pointer (&job, reel_job_unref);
  finish_scheduler (scheduler, &destroyed);
  g_assert_cmpuint (destroyed, ==, 2);
  finish_records (freed, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scheduler/priority-order", test_priority_order);
  g_test_add_func ("/scheduler/progress-on-submitting-context",
                   test_progress_on_submitting_context);
  g_test_add_func ("/scheduler/cancel-queued", test_cancel_queued);
  g_test_add_func ("/scheduler/cancel-running", test_cancel_running);
  g_test_add_func ("/scheduler/failure-does-not-stop-worker", test_failure_does_not_stop_worker);
  g_test_add_func ("/scheduler/bad-weights-job", test_bad_weights_job);
  g_test_add_func ("/scheduler/device-lost", test_device_lost);
  g_test_add_func ("/scheduler/device-lost-vulkan", test_device_lost_vulkan);
  g_test_add_func ("/scheduler/out-of-memory-job", test_out_of_memory_job);
  g_test_add_func ("/scheduler/reprioritise", test_reprioritise);
  g_test_add_func ("/scheduler/shutdown-cancels-pending", test_shutdown_cancels_pending);
  g_test_add_func ("/scheduler/dispose-stops-idle-worker", test_dispose_stops_idle_worker);

  return g_test_run ();
}
