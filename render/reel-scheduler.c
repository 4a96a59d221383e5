#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include "reel-render-error.h"
#include "reel-scheduler.h"

struct _ReelJob
{
  gatomicrefcount ref_count;
  char *name;
  ReelJobFunc func;
  gpointer job_data;
  GDestroyNotify job_data_destroy;

  /* Guarded by the scheduler's mutex once submitted. */
  int priority;
  guint64 sequence;             /* FIFO order within a priority */
  int state;                    /* ReelJobState; atomic so that getters need no lock */

  /* Cancelled by the submitter's cancellable or by shutdown; the job function sees only this
   * one, so it has one thing to check. */
  GCancellable *cancellable;

  /* Set at submission; the task moves into the completion source when the job finishes, so
   * that its last reference (and the scheduler's, through the task's source object) is always
   * dropped on the submitter's main context, never on the worker. */
  ReelScheduler *scheduler;
  GTask *task;
  GCancellable *user_cancellable;
  gulong cancelled_id;
  ReelJobProgressFunc progress_callback;
  gpointer user_data;

  gpointer result;
  GDestroyNotify result_destroy;
};

struct _ReelScheduler
{
  GObject parent_instance;

  gpointer device;
  GDestroyNotify device_destroy;

  GThread *worker;
  GMutex mutex;
  GCond cond;
  /* Owned references, guarded by mutex. */
  GQueue queue;                 /* ReelJob, in run order */
  ReelJob *running;
  guint64 next_sequence;
  gboolean stopping;
  GError *lost_error;           /* the loss that made the device useless, until replaced */
  gboolean replacing;           /* new_device waits for the worker to install it */
  gpointer new_device;
  GDestroyNotify new_device_destroy;
};

enum
{
  DEVICE_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ReelScheduler, reel_scheduler, G_TYPE_OBJECT)

ReelJob *
reel_job_new (const char     *name,
              int             priority,
              ReelJobFunc     func,
              gpointer        job_data,
              GDestroyNotify  destroy)
{
  ReelJob *job;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  job = g_new0 (ReelJob, 1);
  g_atomic_ref_count_init (&job->ref_count);
  job->name = g_strdup (name);
  job->priority = priority;
  job->func = func;
  job->job_data = job_data;
  job->job_data_destroy = destroy;
  job->state = REEL_JOB_NEW;
  job->cancellable = g_cancellable_new ();
  return job;
}

ReelJob *
reel_job_ref (ReelJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);

  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

void
reel_job_unref (ReelJob *job)
{
  g_return_if_fail (job != NULL);

  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;

  /* A job holds its task only between submission and completion, and completion always
   * takes it. */
  g_assert (job->task == NULL);
  if (job->result_destroy != NULL && job->result != NULL)
    job->result_destroy (job->result);
  if (job->job_data_destroy != NULL)
    job->job_data_destroy (job->job_data);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->user_cancellable);
  g_free (job->name);
  g_free (job);
}

const char *
reel_job_get_name (ReelJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);

  return job->name;
}

int
reel_job_get_priority (ReelJob *job)
{
  g_return_val_if_fail (job != NULL, 0);

  return g_atomic_int_get (&job->priority);
}

ReelJobState
reel_job_get_state (ReelJob *job)
{
  g_return_val_if_fail (job != NULL, REEL_JOB_NEW);

  return (ReelJobState) g_atomic_int_get (&job->state);
}

typedef struct
{
  GTask *task;
  ReelJob *job;
  guint step;
  guint n_steps;
} Progress;

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  g_object_unref (progress->task);
  reel_job_unref (progress->job);
  g_free (progress);
}

static gboolean
progress_idle_cb (gpointer data)
{
  Progress *progress = data;

  progress->job->progress_callback (progress->job, progress->step, progress->n_steps,
                                    progress->job->user_data);
  return G_SOURCE_REMOVE;
}

/* Progress and completion both travel as idle sources of the same priority on the task's
 * context; GLib dispatches those in the order they were attached, so progress can never
 * arrive after the completion callback. g_main_context_invoke() is not used because from a
 * thread without a default context it may run the callback right there, on the worker. */
static void
attach_to_task_context (GTask          *task,
                        GSourceFunc     func,
                        gpointer        data,
                        GDestroyNotify  destroy)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, g_task_get_priority (task));
  g_source_set_callback (source, func, data, destroy);
  g_source_set_static_name (source, "[reel] scheduler job");
  g_source_attach (source, g_task_get_context (task));
}

void
reel_job_report_progress (ReelJob *job,
                          guint    step,
                          guint    n_steps)
{
  Progress *progress;

  g_return_if_fail (job != NULL);
  g_return_if_fail (reel_job_get_state (job) == REEL_JOB_RUNNING);

  if (job->progress_callback == NULL)
    return;

  progress = g_new0 (Progress, 1);
  progress->task = g_object_ref (job->task);
  progress->job = reel_job_ref (job);
  progress->step = step;
  progress->n_steps = n_steps;
  attach_to_task_context (job->task, progress_idle_cb, progress, progress_free);
}

gboolean
reel_job_check_cancelled (ReelJob  *job,
                          GError  **error)
{
  g_return_val_if_fail (job != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_cancellable_is_cancelled (job->cancellable))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "“%s” was cancelled", job->name);
  return FALSE;
}

void
reel_job_set_result (ReelJob        *job,
                     gpointer        result,
                     GDestroyNotify  destroy)
{
  g_return_if_fail (job != NULL);

  if (job->result_destroy != NULL && job->result != NULL)
    job->result_destroy (job->result);
  job->result = result;
  job->result_destroy = destroy;
}

gpointer
reel_job_steal_result (ReelJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);
  g_return_val_if_fail (reel_job_get_state (job) == REEL_JOB_DONE, NULL);

  job->result_destroy = NULL;
  return g_steal_pointer (&job->result);
}

typedef struct
{
  GTask *task;
  ReelJob *job;
  GError *error;
} Completion;

static void
completion_free (gpointer data)
{
  Completion *completion = data;

  g_clear_object (&completion->task);
  g_clear_pointer (&completion->job, reel_job_unref);
  g_clear_error (&completion->error);
  g_free (completion);
}

static gboolean
completion_idle_cb (gpointer data)
{
  Completion *completion = data;
  ReelJob *job = completion->job;

  /* Here, on the submitter's context and outside any "cancelled" handler, disconnecting is
   * safe: it cannot deadlock on a handler that is running on this thread. */
  if (job->cancelled_id != 0)
    g_cancellable_disconnect (job->user_cancellable, job->cancelled_id);
  job->cancelled_id = 0;

  if (completion->error != NULL)
    g_task_return_error (completion->task, g_steal_pointer (&completion->error));
  else
    g_task_return_boolean (completion->task, TRUE);
  return G_SOURCE_REMOVE;
}

/* Takes the caller's reference on job. The job must already be marked done. */
static void
complete_job (ReelJob *job,
              GError  *error)
{
  Completion *completion = g_new0 (Completion, 1);

  completion->task = g_steal_pointer (&job->task);
  completion->job = job;
  completion->error = error;
  attach_to_task_context (completion->task, completion_idle_cb, completion, completion_free);
}

static int
compare_jobs (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const ReelJob *ja = a, *jb = b;

  if (ja->priority != jb->priority)
    return ja->priority > jb->priority ? -1 : 1;
  return ja->sequence < jb->sequence ? -1 : ja->sequence > jb->sequence;
}

static void
job_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  ReelJob *job = user_data;
  ReelScheduler *self = job->scheduler;
  gboolean dropped = FALSE;

  /* First, so that a submission racing with this handler either finds the job's cancellable
   * cancelled or has already queued the job for us to drop. A running job sees it at its next
   * check, between dispatches. */
  g_cancellable_cancel (job->cancellable);

  g_mutex_lock (&self->mutex);
  if (reel_job_get_state (job) == REEL_JOB_QUEUED)
    {
      g_queue_remove (&self->queue, job);
      g_atomic_int_set (&job->state, REEL_JOB_DONE);
      dropped = TRUE;
    }
  g_mutex_unlock (&self->mutex);

  if (dropped)
    complete_job (job, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                    "“%s” was cancelled before it started", job->name));
}

typedef struct
{
  ReelScheduler *scheduler;
  GError *error;
} DeviceLost;

static void
device_lost_free (gpointer data)
{
  DeviceLost *lost = data;

  g_object_unref (lost->scheduler);
  g_error_free (lost->error);
  g_free (lost);
}

static gboolean
device_lost_idle_cb (gpointer data)
{
  DeviceLost *lost = data;

  g_signal_emit (lost->scheduler, signals[DEVICE_LOST], 0, lost->error);
  return G_SOURCE_REMOVE;
}

/* Turns a finished job's error into what the scheduler promises: cancellation as
 * G_IO_ERROR_CANCELLED, and a device loss into the lost state. */
static void
classify_error (ReelScheduler  *self,
                ReelJob        *job,
                GError        **error)
{
  if (g_error_matches (*error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_CANCELLED)
      && g_cancellable_is_cancelled (job->cancellable))
    {
      (*error)->domain = G_IO_ERROR;
      (*error)->code = G_IO_ERROR_CANCELLED;
    }

  if (g_error_matches (*error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST))
    {
      gboolean first;
      DeviceLost *lost;

      g_mutex_lock (&self->mutex);
      first = self->lost_error == NULL;
      if (first)
        self->lost_error = g_error_copy (*error);
      g_mutex_unlock (&self->mutex);
      if (!first)
        return;

      g_message ("The compute device was lost while running “%s”: %s", job->name,
                 (*error)->message);
      /* Attached before the job's completion, so the owner hears of the loss first. */
      lost = g_new0 (DeviceLost, 1);
      lost->scheduler = g_object_ref (self);
      lost->error = g_error_copy (*error);
      attach_to_task_context (job->task, device_lost_idle_cb, lost, device_lost_free);
    }
}

/* Swaps in the device of reel_scheduler_replace_device(); called with the mutex held, returns
 * with it released, and frees the old device outside it. */
static void
install_new_device (ReelScheduler *self)
{
  gpointer old = self->device;
  GDestroyNotify old_destroy = self->device_destroy;

  self->device = g_steal_pointer (&self->new_device);
  self->device_destroy = g_steal_pointer (&self->new_device_destroy);
  self->replacing = FALSE;
  g_clear_error (&self->lost_error);
  g_mutex_unlock (&self->mutex);

  if (old_destroy != NULL && old != NULL)
    old_destroy (old);
}

static gpointer
worker_main (gpointer data)
{
  ReelScheduler *self = data;

  for (;;)
    {
      ReelJob *job;
      GError *error = NULL;
      GError *lost = NULL;
      gboolean ok;

      g_mutex_lock (&self->mutex);
      while (g_queue_is_empty (&self->queue) && !self->stopping && !self->replacing)
        g_cond_wait (&self->cond, &self->mutex);
      if (self->stopping)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }
      if (self->replacing)
        {
          install_new_device (self);
          continue;
        }
      job = g_queue_pop_head (&self->queue);
      g_atomic_int_set (&job->state, REEL_JOB_RUNNING);
      self->running = reel_job_ref (job);
      if (self->lost_error != NULL)
        lost = g_error_copy (self->lost_error);
      g_mutex_unlock (&self->mutex);

      if (lost != NULL)
        {
          /* The device is dead: fail at once, with the same advice, instead of touching it. */
          error = g_error_new (REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST,
                               "“%s” was not run: the compute device was lost during an "
                               "earlier job. Restart the render, and if it keeps happening "
                               "choose another compute device in Preferences. The loss: %s",
                               job->name, lost->message);
          g_error_free (lost);
          ok = FALSE;
        }
      else if (!reel_job_check_cancelled (job, &error))
        ok = FALSE;
      else
        ok = job->func (job, self->device, job->job_data, job->cancellable, &error);

      if (ok && error != NULL)
        {
          g_critical ("Job “%s” succeeded but set an error: %s", job->name, error->message);
          g_clear_error (&error);
        }
      else if (!ok && error == NULL)
        {
          g_critical ("Job “%s” failed without setting an error", job->name);
          error = g_error_new (REEL_RENDER_ERROR, REEL_RENDER_ERROR_FAILED,
                               "“%s” failed for an unknown reason", job->name);
        }
      if (error != NULL)
        classify_error (self, job, &error);

      g_mutex_lock (&self->mutex);
      g_atomic_int_set (&job->state, REEL_JOB_DONE);
      g_clear_pointer (&self->running, reel_job_unref);
      g_mutex_unlock (&self->mutex);

      complete_job (job, error);
    }

  return NULL;
}

void
reel_scheduler_shutdown (ReelScheduler *self)
{
  GQueue drained = G_QUEUE_INIT;
  ReelJob *job;

  g_return_if_fail (REEL_IS_SCHEDULER (self));

  if (self->worker == NULL)
    return;
  g_return_if_fail (g_thread_self () != self->worker);

  g_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  drained = self->queue;
  g_queue_init (&self->queue);
  for (GList *l = drained.head; l != NULL; l = l->next)
    g_atomic_int_set (&((ReelJob *) l->data)->state, REEL_JOB_DONE);
  if (self->running != NULL)
    g_cancellable_cancel (self->running->cancellable);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_thread_join (g_steal_pointer (&self->worker));

  while ((job = g_queue_pop_head (&drained)) != NULL)
    complete_job (job, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                    "“%s” was cancelled: the engine is shutting down",
                                    job->name));
}

void
reel_scheduler_submit_async (ReelScheduler       *self,
                             ReelJob             *job,
                             GCancellable        *cancellable,
                             ReelJobProgressFunc  progress_callback,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean closed, cancelled;

  g_return_if_fail (REEL_IS_SCHEDULER (self));
  g_return_if_fail (job != NULL);
  g_return_if_fail (reel_job_get_state (job) == REEL_JOB_NEW);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_scheduler_submit_async);
  g_task_set_name (task, job->name);
  g_task_set_task_data (task, reel_job_ref (job), (GDestroyNotify) reel_job_unref);

  if (g_task_return_error_if_cancelled (task))
    {
      g_atomic_int_set (&job->state, REEL_JOB_DONE);
      return;
    }

  job->scheduler = self;
  job->task = g_object_ref (task);
  job->progress_callback = progress_callback;
  job->user_data = user_data;
  g_set_object (&job->user_cancellable, cancellable);

  /* Connected before the job becomes visible to the worker, so that the handler id is set
   * before anything can complete the job. A cancellation from now until the job is queued
   * finds it new and only cancels the job's own cancellable, which is checked below. */
  if (cancellable != NULL)
    job->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (job_cancelled_cb),
                                               job, NULL);

  g_mutex_lock (&self->mutex);
  closed = self->stopping;
  cancelled = g_cancellable_is_cancelled (job->cancellable);
  if (closed || cancelled)
    g_atomic_int_set (&job->state, REEL_JOB_DONE);
  else
    {
      job->sequence = self->next_sequence++;
      g_atomic_int_set (&job->state, REEL_JOB_QUEUED);
      g_queue_insert_sorted (&self->queue, reel_job_ref (job), compare_jobs, NULL);
      g_cond_signal (&self->cond);
    }
  g_mutex_unlock (&self->mutex);

  if (closed)
    complete_job (reel_job_ref (job),
                  g_error_new (G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "Cannot run “%s”: the engine has shut down", job->name));
  else if (cancelled)
    complete_job (reel_job_ref (job),
                  g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "“%s” was cancelled before it started", job->name));
}

gboolean
reel_scheduler_submit_finish (ReelScheduler  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (REEL_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_scheduler_submit_async,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
reel_scheduler_set_priority (ReelScheduler *self,
                             ReelJob       *job,
                             int            priority)
{
  gboolean queued;

  g_return_val_if_fail (REEL_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (job != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  queued = reel_job_get_state (job) == REEL_JOB_QUEUED && job->scheduler == self;
  if (queued)
    {
      /* The queue's reference moves with the job. */
      g_queue_remove (&self->queue, job);
      g_atomic_int_set (&job->priority, priority);
      job->sequence = self->next_sequence++;
      g_queue_insert_sorted (&self->queue, job, compare_jobs, NULL);
    }
  g_mutex_unlock (&self->mutex);

  return queued;
}

GPtrArray *
reel_scheduler_dup_queue (ReelScheduler *self)
{
  GPtrArray *jobs;

  g_return_val_if_fail (REEL_IS_SCHEDULER (self), NULL);

  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_job_unref);
  g_mutex_lock (&self->mutex);
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    g_ptr_array_add (jobs, reel_job_ref (l->data));
  g_mutex_unlock (&self->mutex);
  return jobs;
}

ReelJob *
reel_scheduler_dup_running_job (ReelScheduler *self)
{
  ReelJob *job = NULL;

  g_return_val_if_fail (REEL_IS_SCHEDULER (self), NULL);

  g_mutex_lock (&self->mutex);
  if (self->running != NULL)
    job = reel_job_ref (self->running);
  g_mutex_unlock (&self->mutex);
  return job;
}

static void
reel_scheduler_dispose (GObject *object)
{
  reel_scheduler_shutdown (REEL_SCHEDULER (object));

  G_OBJECT_CLASS (reel_scheduler_parent_class)->dispose (object);
}

static void
reel_scheduler_finalize (GObject *object)
{
  ReelScheduler *self = REEL_SCHEDULER (object);

  if (self->device_destroy != NULL && self->device != NULL)
    self->device_destroy (self->device);
  if (self->new_device_destroy != NULL && self->new_device != NULL)
    self->new_device_destroy (self->new_device);
  g_clear_error (&self->lost_error);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (reel_scheduler_parent_class)->finalize (object);
}

static void
reel_scheduler_class_init (ReelSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reel_scheduler_dispose;
  object_class->finalize = reel_scheduler_finalize;

  /**
   * ReelScheduler::device-lost:
   * @error: the job's REEL_RENDER_ERROR_DEVICE_LOST error
   *
   * A job lost the device. Emitted once per loss, on the main context of that job, before its
   * completion callback; create a new device and call reel_scheduler_replace_device().
   */
  signals[DEVICE_LOST] = g_signal_new ("device-lost", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_ERROR);
}

static void
reel_scheduler_init (ReelScheduler *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->queue);
}

void
reel_scheduler_replace_device (ReelScheduler  *self,
                               gpointer        device,
                               GDestroyNotify  device_destroy)
{
  gpointer dropped = NULL;
  GDestroyNotify dropped_destroy = NULL;

  g_return_if_fail (REEL_IS_SCHEDULER (self));

  g_mutex_lock (&self->mutex);
  if (self->stopping)
    {
      /* Nothing will run on it. */
      dropped = device;
      dropped_destroy = device_destroy;
    }
  else
    {
      /* A replacement not yet installed is superseded. */
      if (self->replacing)
        {
          dropped = self->new_device;
          dropped_destroy = self->new_device_destroy;
        }
      self->new_device = device;
      self->new_device_destroy = device_destroy;
      self->replacing = TRUE;
      g_cond_signal (&self->cond);
    }
  g_mutex_unlock (&self->mutex);

  if (dropped_destroy != NULL && dropped != NULL)
    dropped_destroy (dropped);
}

gboolean
reel_scheduler_is_device_lost (ReelScheduler *self)
{
  gboolean lost;

  g_return_val_if_fail (REEL_IS_SCHEDULER (self), FALSE);

  g_mutex_lock (&self->mutex);
  lost = self->lost_error != NULL;
  g_mutex_unlock (&self->mutex);
  return lost;
}

ReelScheduler *
reel_scheduler_new (gpointer       device,
                    GDestroyNotify device_destroy)
{
  ReelScheduler *self = g_object_new (REEL_TYPE_SCHEDULER, NULL);

  self->device = device;
  self->device_destroy = device_destroy;
  self->worker = g_thread_new ("reel-engine", worker_main, self);
  return self;
}
