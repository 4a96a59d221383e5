#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "reel-atomic-file.h"
#include "reel-media-store.h"
#include "reel-project-io.h"
#include "reel-project-private.h"
#include "reel-recovery.h"

#define META_MEMBER "reel_recovery"
/* Scratch media of never-saved projects that no recovery file refers to are removed after
 * this long: long enough that no running Reel could still be using them. */
#define SCRATCH_MAX_AGE_S (24 * 60 * 60)

static GQuark
recovery_file_quark (void)
{
  return g_quark_from_static_string ("reel-recovery-file");
}

char *
reel_recovery_get_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "reel", "recovery", NULL);
}

GFile *
reel_project_get_recovery_file (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return g_object_get_qdata (G_OBJECT (self), recovery_file_quark ());
}

gboolean
reel_project_write_recovery (ReelProject  *self,
                             GError      **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GFile) media_root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *written = g_date_time_format_iso8601 (now);
  g_autofree char *dir = reel_recovery_get_dir ();
  g_autofree char *data = NULL;
  JsonObject *meta;
  GFile *file;
  gsize length;

  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                   _("Could not create the autosave folder “%s”: %s. Check that the disk is "
                     "not full."), dir, g_strerror (saved_errno));
      return FALSE;
    }

  file = g_object_get_qdata (G_OBJECT (self), recovery_file_quark ());
  if (file == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = g_strconcat (uuid, ".json", NULL);

      file = g_file_new_build_filename (dir, name, NULL);
      g_object_set_qdata_full (G_OBJECT (self), recovery_file_quark (), file, g_object_unref);
    }

  root = reel_project_to_json (self);
  meta = json_object_new ();
  json_object_set_string_member (meta, "title", reel_project_get_title (self));
  if (reel_project_get_path (self) != NULL)
    json_object_set_string_member (meta, "bundle", reel_project_get_path (self));
  else
    json_object_set_null_member (meta, "bundle");
  media_root = reel_project_get_media_root (self);
  if (media_root != NULL)
    json_object_set_string_member (meta, "media_root", g_file_peek_path (media_root));
  else
    json_object_set_null_member (meta, "media_root");
  json_object_set_string_member (meta, "written", written);
  json_object_set_object_member (json_node_get_object (root), META_MEMBER, meta);

  data = reel_json_to_data (root, &length);
  return reel_atomic_file_replace (file, data, length, error);
}

static JsonNode *
read_recovery (GFile       *recovery_file,
               JsonObject **out_meta,
               GError     **error)
{
  g_autofree char *path = g_file_get_path (recovery_file);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonNode *meta;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_NOT_FOUND,
                   _("%s: (file): the autosave could not be read (%s)."), path,
                   local_error->message);
      return NULL;
    }
  root = reel_project_parse_data (contents, length, path, error);
  if (root == NULL)
    return NULL;

  meta = json_object_get_member (json_node_get_object (root), META_MEMBER);
  if (meta == NULL || !JSON_NODE_HOLDS_OBJECT (meta))
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_MALFORMED,
                   _("%s: %s: missing or not an object, so this is not a Reel autosave. "
                     "Delete the file."), path, META_MEMBER);
      return NULL;
    }
  *out_meta = json_node_get_object (meta);
  return g_steal_pointer (&root);
}

static const char *
meta_string (JsonObject *meta,
             const char *name)
{
  JsonNode *node = json_object_get_member (meta, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
reel_recovery_peek (GFile       *recovery_file,
                    char       **out_title,
                    char       **out_bundle_path,
                    GDateTime  **out_written,
                    GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *meta;
  const char *written;

  g_return_val_if_fail (G_IS_FILE (recovery_file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  root = read_recovery (recovery_file, &meta, error);
  if (root == NULL)
    return FALSE;

  if (out_title != NULL)
    *out_title = g_strdup (meta_string (meta, "title"));
  if (out_bundle_path != NULL)
    *out_bundle_path = g_strdup (meta_string (meta, "bundle"));
  if (out_written != NULL)
    {
      written = meta_string (meta, "written");
      *out_written = written != NULL ? g_date_time_new_from_iso8601 (written, NULL) : NULL;
    }
  return TRUE;
}

/* A restored autosave holds changes that were never saved, so it must be dirty, or closing it
 * would silently drop them; it has no steps to undo into the saved file. */
static void
mark_unsaved (ReelProject *project)
{
  reel_project_clear_history (project);
  reel_project_mark_unsaved (project);
}

ReelProject *
reel_project_load_recovery (GFile   *recovery_file,
                            GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) meta = NULL;
  g_autoptr(GFile) media_root = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autofree char *path = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *media_root_path = NULL;
  JsonObject *meta_borrowed;

  g_return_val_if_fail (G_IS_FILE (recovery_file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_file_get_path (recovery_file);
  root = read_recovery (recovery_file, &meta_borrowed, error);
  if (root == NULL)
    return NULL;

  /* The metadata is not part of the document: it must not end up among its unknown fields. */
  meta = json_object_ref (meta_borrowed);
  json_object_remove_member (json_node_get_object (root), META_MEMBER);
  bundle = g_strdup (meta_string (meta, "bundle"));
  media_root_path = g_strdup (meta_string (meta, "media_root"));
  if (media_root_path != NULL)
    media_root = g_file_new_for_path (media_root_path);

  project = reel_project_load_from_object (json_node_get_object (root), path, media_root, error);
  if (project == NULL)
    return NULL;

  if (bundle != NULL)
    reel_project_set_path_internal (project, bundle);
  else if (media_root_path != NULL)
    reel_project_set_scratch_dir (project, media_root_path);
  mark_unsaved (project);
  g_object_set_qdata_full (G_OBJECT (project), recovery_file_quark (),
                           g_object_ref (recovery_file), g_object_unref);
  return g_steal_pointer (&project);
}

/* Scratch folders (see reel_project_import_media()) whose project was closed without saving
 * and left no recovery file. */
static void
prune_scratch (GHashTable *referenced)
{
  g_autofree char *base = g_build_filename (g_get_user_state_dir (), "reel", "unsaved", NULL);
  g_autoptr(GDir) dir = g_dir_open (base, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *scratch = g_build_filename (base, name, NULL);
      g_autofree char *media = g_build_filename (scratch, REEL_MEDIA_DIR_NAME, NULL);
      g_autoptr(GDir) media_dir = NULL;
      GStatBuf st;
      const char *file;

      if (g_hash_table_contains (referenced, scratch) || g_stat (scratch, &st) != 0
          || now - st.st_mtime < SCRATCH_MAX_AGE_S)
        continue;
      media_dir = g_dir_open (media, 0, NULL);
      while (media_dir != NULL && (file = g_dir_read_name (media_dir)) != NULL)
        {
          g_autofree char *file_path = g_build_filename (media, file, NULL);

          g_unlink (file_path);
        }
      g_rmdir (media);
      g_rmdir (scratch);
    }
}

GFile *
reel_recovery_find_pending (void)
{
  g_autofree char *dir_path = reel_recovery_get_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GHashTable) referenced = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                            g_free, NULL);
  g_autofree char *newest = NULL;
  gint64 newest_mtime = G_MININT64;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *meta;
      const char *media_root;
      GStatBuf st;

      /* Temporary files of an interrupted autosave are not recoveries. */
      if (!g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;

      file = g_file_new_for_path (path);
      root = read_recovery (file, &meta, NULL);
      if (root == NULL)
        continue;
      media_root = meta_string (meta, "media_root");
      if (media_root != NULL)
        g_hash_table_add (referenced, g_strdup (media_root));

      if (newest == NULL || st.st_mtime > newest_mtime
          || (st.st_mtime == newest_mtime && g_strcmp0 (path, newest) > 0))
        {
          g_free (newest);
          newest = g_steal_pointer (&path);
          newest_mtime = st.st_mtime;
        }
    }

  prune_scratch (referenced);
  return newest != NULL ? g_file_new_for_path (newest) : NULL;
}

void
reel_recovery_discard (GFile *recovery_file)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  g_return_if_fail (G_IS_FILE (recovery_file));

  path = g_file_get_path (recovery_file);
  if (g_unlink (path) != 0 && errno != ENOENT)
    g_debug ("Could not remove the autosave %s: %s", path, g_strerror (errno));
  dir = g_path_get_dirname (path);
  reel_atomic_file_sync_directory (dir, NULL);
}
