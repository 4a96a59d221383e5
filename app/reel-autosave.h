#pragma once

#include <glib-object.h>

#include "reel-project.h"

G_BEGIN_DECLS

/* Writes a project's recovery file once it has been idle for a while after a change, and
 * removes it when the project is saved (or undone back to its save point). The window creates
 * one per open project; it is plain GLib, driven by the default main context.
 *
 * Signals:
 *   write-failed (const char *message)
 *                an autosave could not be written; the message names the file and the cause. */

#define REEL_AUTOSAVE_DEFAULT_IDLE_MS 5000

#define REEL_TYPE_AUTOSAVE (reel_autosave_get_type ())

G_DECLARE_FINAL_TYPE (ReelAutosave, reel_autosave, REEL, AUTOSAVE, GObject)

ReelAutosave *reel_autosave_new              (ReelProject  *project,
                                              guint         idle_ms);

ReelProject  *reel_autosave_get_project      (ReelAutosave *self);

/* Writes the recovery file now if a write is pending; FALSE with @error when it failed. */
gboolean      reel_autosave_flush            (ReelAutosave *self,
                                              GError      **error);

/* The user chose to drop the unsaved changes (closing without saving): cancel any pending
 * write and remove the recovery file. */
void          reel_autosave_discard          (ReelAutosave *self);

G_END_DECLS
