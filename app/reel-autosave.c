#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include "reel-autosave.h"
#include "reel-recovery.h"

struct _ReelAutosave
{
  GObject parent_instance;

  /* Owned references */
  ReelProject *project;

  guint idle_ms;
  guint timeout_id;
  gulong changed_id;
  gulong dirty_id;
};

G_DEFINE_FINAL_TYPE (ReelAutosave, reel_autosave, G_TYPE_OBJECT)

enum {
  WRITE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
remove_recovery (ReelAutosave *self)
{
  GFile *file = reel_project_get_recovery_file (self->project);

  if (file != NULL)
    reel_recovery_discard (file);
}

static gboolean
write_now (ReelAutosave  *self,
           GError       **error)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);

  /* A change undone back to the save point leaves nothing to recover. */
  if (!reel_project_get_dirty (self->project))
    {
      remove_recovery (self);
      return TRUE;
    }
  return reel_project_write_recovery (self->project, error);
}

static gboolean
timeout_cb (gpointer user_data)
{
  ReelAutosave *self = user_data;
  g_autoptr(GError) error = NULL;

  self->timeout_id = 0;
  if (!write_now (self, &error))
    {
      g_debug ("Autosave failed: %s", error->message);
      g_signal_emit (self, signals[WRITE_FAILED], 0, error->message);
    }
  return G_SOURCE_REMOVE;
}

static void
changed_cb (ReelAutosave *self)
{
  /* Restarting the timer on every change writes only once the user pauses, so typing never
   * waits on the disk. */
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (self->idle_ms, timeout_cb, self);
}

static void
notify_dirty_cb (ReelAutosave *self)
{
  if (!reel_project_get_dirty (self->project))
    {
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      remove_recovery (self);
    }
}

static void
reel_autosave_dispose (GObject *object)
{
  ReelAutosave *self = REEL_AUTOSAVE (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->project != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->project);
      g_clear_signal_handler (&self->dirty_id, self->project);
    }
  g_clear_object (&self->project);

  G_OBJECT_CLASS (reel_autosave_parent_class)->dispose (object);
}

static void
reel_autosave_class_init (ReelAutosaveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reel_autosave_dispose;

  signals[WRITE_FAILED] = g_signal_new ("write-failed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
reel_autosave_init (ReelAutosave *self)
{
}

ReelAutosave *
reel_autosave_new (ReelProject *project,
                   guint        idle_ms)
{
  ReelAutosave *self;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);

  self = g_object_new (REEL_TYPE_AUTOSAVE, NULL);
  self->project = g_object_ref (project);
  self->idle_ms = idle_ms > 0 ? idle_ms : REEL_AUTOSAVE_DEFAULT_IDLE_MS;
  self->changed_id = g_signal_connect_swapped (project, "changed", G_CALLBACK (changed_cb), self);
  self->dirty_id = g_signal_connect_swapped (project, "notify::dirty",
                                             G_CALLBACK (notify_dirty_cb), self);
  return self;
}

ReelProject *
reel_autosave_get_project (ReelAutosave *self)
{
  g_return_val_if_fail (REEL_IS_AUTOSAVE (self), NULL);

  return self->project;
}

gboolean
reel_autosave_flush (ReelAutosave  *self,
                     GError       **error)
{
  g_return_val_if_fail (REEL_IS_AUTOSAVE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->timeout_id == 0)
    return TRUE;
  return write_now (self, error);
}

void
reel_autosave_discard (ReelAutosave *self)
{
  g_return_if_fail (REEL_IS_AUTOSAVE (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  remove_recovery (self);
}
