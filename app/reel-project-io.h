#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "reel-project.h"
/* The contract places the autosave/recovery functions beside load and save. */
#include "reel-recovery.h"

G_BEGIN_DECLS

/* Reading and writing NAME.reel bundles: project.json (schema version 2, see
 * app/PROJECT-FORMAT.md) beside a content-addressed media/ folder.
 *
 * Loading validates the whole file before the caller sees anything: it returns a complete
 * project or NULL with a REEL_PROJECT_ERROR whose message names the file and the field
 * ("shots[2].camera.move") and says what to do. Files of schema version 1 are migrated while
 * loading; unknown members of every object are kept and written back on save. */

#define REEL_PROJECT_FILE_NAME      "project.json"
#define REEL_PROJECT_SCHEMA_VERSION 2

/* @bundle: the NAME.reel directory (its project.json is also accepted). The project's path is
 * the bundle's absolute path, and it is clean with an empty undo history. */
ReelProject *reel_project_load           (GFile        *bundle,
                                          GError      **error);

/* Writes project.json atomically (temporary file, fsync, rename, folder fsync) into the
 * project's bundle and makes the current state the save point. The project must have a path. */
gboolean     reel_project_save           (ReelProject  *self,
                                          GError      **error);

/* Saves into @bundle (created if missing), copying media the project uses from its current
 * bundle or scratch folder first (existing media files are never overwritten), then makes
 * @bundle the project's path. */
gboolean     reel_project_save_as        (ReelProject  *self,
                                          GFile        *bundle,
                                          GError      **error);

/* The file a media name refers to: inside the bundle's media/, or inside the scratch folder of
 * a never-saved project. NULL when @media_name is not a valid media name or the project has
 * neither a path nor a scratch folder. */
GFile       *reel_project_get_media_file (ReelProject  *self,
                                          const char   *media_name);
/* The folder that holds (or will hold) the project's media/, or NULL. */
GFile       *reel_project_get_media_root (ReelProject  *self);

/* The project as a schema-2 document, unknown members included. */
JsonNode    *reel_project_to_json        (ReelProject  *self);
/* The same, as the exact bytes a save writes (pretty-printed UTF-8, final newline). */
char        *reel_project_to_data        (ReelProject  *self,
                                          gsize        *out_length);

/* Builds a project from project.json bytes. @display_name names the file in error messages;
 * media names are checked against @media_root/media/ (NULL skips the media checks, e.g. for
 * a file received without its bundle). The result has no path. */
ReelProject *reel_project_load_from_data (const char   *data,
                                          gsize         length,
                                          const char   *display_name,
                                          GFile        *media_root,
                                          GError      **error);

/* The two halves of reel_project_load_from_data(), for readers that need the tree in between
 * (recovery files carry extra metadata). parse_data guards against input that would crash or
 * fool json-glib and returns an object node; load_from_object migrates and validates. */
JsonNode    *reel_project_parse_data       (const char   *data,
                                            gsize         length,
                                            const char   *display_name,
                                            GError      **error);
ReelProject *reel_project_load_from_object (JsonObject   *root,
                                            const char   *display_name,
                                            GFile        *media_root,
                                            GError      **error);

/* Any JSON tree in project.json's layout: two-space indent, shortest round-tripping numbers. */
char        *reel_json_to_data             (JsonNode     *root,
                                            gsize        *out_length);

G_END_DECLS
