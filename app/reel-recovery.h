#pragma once

#include <gio/gio.h>

#include "reel-project.h"

G_BEGIN_DECLS

/* Recovery files: the autosave of a project with unsaved changes, kept in
 * $XDG_STATE_HOME/reel/recovery/ so that the next start can offer to restore what a crash
 * would otherwise have lost. A recovery file is project.json (schema 2) plus a "reel_recovery"
 * member recording the bundle it belongs to and where its media are. Each project object
 * writes to its own file; saving or discarding removes it. */

/* The folder that holds recovery files. */
char        *reel_recovery_get_dir        (void);

/* Writes the project's current state to its recovery file (atomically). */
gboolean     reel_project_write_recovery  (ReelProject  *self,
                                           GError      **error);
/* The recovery file this project writes, or NULL if it has written none. */
GFile       *reel_project_get_recovery_file (ReelProject *self);

/* Loads a recovery file as a project with unsaved changes (dirty, with an empty undo history):
 * its path is the bundle it was made from (NULL for a never-saved project, whose media stay in
 * their scratch folder). The loaded project continues to use @recovery_file, so its next
 * autosave replaces it. */
ReelProject *reel_project_load_recovery   (GFile        *recovery_file,
                                           GError      **error);

/* The newest recovery file, or NULL when there is none. Call at start-up, before any project
 * of this run has written one (it also prunes day-old unreferenced scratch media). */
GFile       *reel_recovery_find_pending   (void);

/* What a recovery file holds, for the "Restore unsaved changes?" question. Any out argument
 * may be NULL; *out_bundle_path is NULL for a never-saved project. */
gboolean     reel_recovery_peek           (GFile        *recovery_file,
                                           char        **out_title,
                                           char        **out_bundle_path,
                                           GDateTime   **out_written,
                                           GError      **error);

/* Removes the recovery file. The scratch media of a never-saved project stay, since a restored
 * project may still use them; reel_recovery_find_pending() removes scratch folders that no
 * recovery file refers to once they are a day old. */
void         reel_recovery_discard        (GFile        *recovery_file);

G_END_DECLS
