#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A bundle's media/ folder is content-addressed: every file is named
 * "<64 lowercase hex digits of its sha256>.<ext>" (ext: 1–5 lowercase letters or digits) and
 * is never modified once written. Names are the only references project.json holds. */

#define REEL_MEDIA_DIR_NAME "media"

gboolean reel_media_name_is_valid (const char *name);

/* Copies @source into @media_dir (created if missing) under its content hash. The copy is
 * written to a temporary file, fsync'd and published without replacing anything, so importing
 * the same bytes twice yields the same name and one file. Images (by content type) must
 * decode with GdkPixbuf. Errors are REEL_PROJECT_ERROR and name @source. */
gboolean reel_media_store_import (GFile       *media_dir,
                                  GFile       *source,
                                  char       **out_media_name,
                                  GError     **error);

/* Copies every media file of @from_dir that @to_dir lacks (Save As). Existing files in
 * @to_dir are kept: with content-addressed names they already hold the same bytes. */
gboolean reel_media_store_copy_missing (GFile   *from_dir,
                                        GFile   *to_dir,
                                        GError **error);

/* Whether @file exists and, after resolving symlinks, lies inside @bundle_dir. Sets a
 * REEL_PROJECT_ERROR_MISSING_MEDIA or _UNSAFE_PATH error whose message names @field. */
gboolean reel_media_store_check_file (GFile       *bundle_dir,
                                      GFile       *file,
                                      const char  *json_path,
                                      const char  *field,
                                      GError     **error);

G_END_DECLS
