#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Crash-safe file replacement: the data goes to "<file>.tmp", is fsync'd, renamed over
 * <file>, and the directory is fsync'd, so a crash at any moment leaves either the old or
 * the new contents under the final name. Errors are G_IO_ERROR and name the file. */
gboolean reel_atomic_file_replace (GFile       *file,
                                   const char  *data,
                                   gsize        length,
                                   GError     **error);

/* Moves a finished, fsync'd temporary file to @final_path without ever replacing an
 * existing file there. If @final_path already exists the temporary file is removed and
 * *@out_existed is set: callers use this for content-addressed names, where an existing file
 * already holds the same bytes. */
gboolean reel_atomic_file_publish_new (const char  *tmp_path,
                                       const char  *final_path,
                                       gboolean    *out_existed,
                                       GError     **error);

gboolean reel_atomic_file_sync_directory (const char  *dir_path,
                                          GError     **error);

/* Every step of a save (open, each write, fsync, close, rename, directory fsync) is a crash
 * point. When the environment variable REEL_TEST_KILL_AT_STEP is N, the process kills itself
 * with SIGKILL at the Nth crash point, so tests can prove that a save interrupted at any step
 * leaves a loadable project. Without the variable this does nothing. */
void     reel_atomic_file_crash_point (void);

G_END_DECLS
