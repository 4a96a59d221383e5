#pragma once

/* The engine's scheduler: one worker thread owns the device (a backend, or anything else the
 * jobs need: the scheduler never looks inside it), and runs jobs one at a time, highest
 * priority first and in submission order within a priority. Jobs report progress per step and
 * complete through an _async/_finish pair on the main context they were submitted from. A job
 * that fails (out of memory, bad weights) completes with its GError and the worker goes on with
 * the next one.
 *
 * Device loss is different: a job that fails with REEL_RENDER_ERROR_DEVICE_LOST leaves the
 * device useless, so the scheduler enters a lost state. It emits ::device-lost (with the
 * error) on that job's main context, before the job's completion callback, and every job
 * after it fails at once with REEL_RENDER_ERROR_DEVICE_LOST, without running, until the owner
 * installs a new device with reel_scheduler_replace_device().
 *
 * A job cancelled while it runs fails with G_IO_ERROR_CANCELLED, also when the backend
 * reported it as REEL_RENDER_ERROR_CANCELLED. */

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _ReelJob ReelJob;

typedef enum
{
  REEL_JOB_NEW,
  REEL_JOB_QUEUED,
  REEL_JOB_RUNNING,
  REEL_JOB_DONE,
} ReelJobState;

/* Runs on the worker thread. It should call reel_job_check_cancelled() between steps (or give
 * cancellable to the backend: reel_backend_set_cancellable(), reel_backend_sync()),
 * report progress with reel_job_report_progress(), and may leave a result with
 * reel_job_set_result(). Returns FALSE with error set on failure. */
typedef gboolean (*ReelJobFunc) (ReelJob       *job,
                                 gpointer       device,
                                 gpointer       job_data,
                                 GCancellable  *cancellable,
                                 GError       **error);

/* Called on the submitter's main context, in step order, always before the completion
 * callback. */
typedef void (*ReelJobProgressFunc) (ReelJob  *job,
                                     guint     step,
                                     guint     n_steps,
                                     gpointer  user_data);

/* job_data is freed with destroy when the job is freed, which may happen on any thread. */
ReelJob      *reel_job_new              (const char     *name,
                                         int             priority,
                                         ReelJobFunc     func,
                                         gpointer        job_data,
                                         GDestroyNotify  destroy);
ReelJob      *reel_job_ref              (ReelJob *job);
void          reel_job_unref            (ReelJob *job);

const char   *reel_job_get_name         (ReelJob *job);
int           reel_job_get_priority     (ReelJob *job);
ReelJobState  reel_job_get_state        (ReelJob *job);

/* For the job function, on the worker thread. */
void          reel_job_report_progress  (ReelJob  *job,
                                         guint     step,
                                         guint     n_steps);
/* Fails with G_IO_ERROR_CANCELLED once the job's cancellable or the scheduler's shutdown has
 * asked the job to stop. */
gboolean      reel_job_check_cancelled  (ReelJob  *job,
                                         GError  **error);
void          reel_job_set_result       (ReelJob        *job,
                                         gpointer        result,
                                         GDestroyNotify  destroy);
/* After completion, on any thread: takes the result the job left (or NULL). */
gpointer      reel_job_steal_result     (ReelJob *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelJob, reel_job_unref)

#define REEL_TYPE_SCHEDULER (reel_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (ReelScheduler, reel_scheduler, REEL, SCHEDULER, GObject)

/* The scheduler owns device and frees it with device_destroy after its worker has stopped. */
ReelScheduler *reel_scheduler_new          (gpointer        device,
                                            GDestroyNotify  device_destroy);

/* Queues job (which must be new). The job fails with G_IO_ERROR_CANCELLED if cancellable is
 * cancelled before it starts or while it runs, and with G_IO_ERROR_CLOSED after shutdown. */
void           reel_scheduler_submit_async (ReelScheduler       *self,
                                            ReelJob             *job,
                                            GCancellable        *cancellable,
                                            ReelJobProgressFunc  progress_callback,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean       reel_scheduler_submit_finish (ReelScheduler  *self,
                                             GAsyncResult   *result,
                                             GError        **error);

/* Moves a queued job to its new priority, behind the jobs already there. Returns FALSE when
 * the job is no longer queued (it is running or done), in which case nothing changes. */
gboolean       reel_scheduler_set_priority (ReelScheduler *self,
                                            ReelJob       *job,
                                            int            priority);

/* The queued jobs in the order they will run (the running job is not included). */
GPtrArray     *reel_scheduler_dup_queue    (ReelScheduler *self);
/* The running job, or NULL. */
ReelJob       *reel_scheduler_dup_running_job (ReelScheduler *self);

/* Installs a new device (after a device loss, or to switch devices). Between jobs, the worker
 * frees the old device with its destroy function, on the worker thread, and runs every later
 * job, including those already queued, on the new one; the lost state ends there. */
void           reel_scheduler_replace_device (ReelScheduler  *self,
                                              gpointer        device,
                                              GDestroyNotify  device_destroy);
/* Whether a job reported a device loss and no new device has been installed since. */
gboolean       reel_scheduler_is_device_lost (ReelScheduler *self);

/* Cancels the running job and every queued one, and waits for the worker to stop; their
 * callbacks run on their main contexts afterwards. Later submissions fail. Idempotent; also
 * done when the scheduler is disposed. */
void           reel_scheduler_shutdown     (ReelScheduler *self);

G_END_DECLS
