#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "reel-atomic-file.h"
#include "reel-media-store.h"
#include "reel-project-error.h"
#include "reel-project-io.h"
#include "reel-project-private.h"

#define COPY_CHUNK (64 * 1024)

gboolean
reel_media_name_is_valid (const char *name)
{
  gsize len, i;

  if (name == NULL)
    return FALSE;
  len = strlen (name);
  /* 64 hex digits, a dot, then 1–5 characters of extension. */
  if (len < 66 || len > 70 || name[64] != '.')
    return FALSE;
  for (i = 0; i < 64; i++)
    if (!g_ascii_isdigit (name[i]) && !(name[i] >= 'a' && name[i] <= 'f'))
      return FALSE;
  for (i = 65; i < len; i++)
    if (!g_ascii_isdigit (name[i]) && !g_ascii_islower (name[i]))
      return FALSE;
  return TRUE;
}

static gboolean
extension_is_valid (const char *ext)
{
  gsize len = strlen (ext);

  if (len < 1 || len > 5)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (ext[i]) && !g_ascii_islower (ext[i]))
      return FALSE;
  return TRUE;
}

/* The stored name keeps the source's extension (lower-cased) so that other tools still
 * recognise the file; the content type supplies one when the source has none. */
static char *
choose_extension (GFile      *source,
                  const char *content_type)
{
  g_autofree char *basename = g_file_get_basename (source);
  const char *dot = basename != NULL ? strrchr (basename, '.') : NULL;

  if (dot != NULL)
    {
      g_autofree char *ext = g_ascii_strdown (dot + 1, -1);

      if (extension_is_valid (ext))
        return g_steal_pointer (&ext);
    }

  if (content_type != NULL)
    {
      g_autofree char *mime = g_content_type_get_mime_type (content_type);
      const char *slash = mime != NULL ? strchr (mime, '/') : NULL;

      if (slash != NULL)
        {
          g_autofree char *ext = g_ascii_strdown (slash + 1, -1);

          if (extension_is_valid (ext))
            return g_steal_pointer (&ext);
        }
    }

  return g_strdup ("bin");
}

static gboolean
copy_and_hash (GFile         *source,
               int            fd,
               const char    *tmp_path,
               GChecksum     *checksum,
               guchar        *head,
               gsize         *head_len,
               GError       **error)
{
  g_autoptr(GFileInputStream) in = NULL;
  g_autofree guchar *buffer = g_malloc (COPY_CHUNK);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *source_name = g_file_get_parse_name (source);

  *head_len = 0;
  in = g_file_read (source, NULL, &local_error);
  if (in == NULL)
    {
      g_set_error (error, REEL_PROJECT_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                   ? REEL_PROJECT_ERROR_NOT_FOUND : REEL_PROJECT_ERROR_FAILED,
                   _("Could not read “%s”: %s. Check that the file exists and is readable."),
                   source_name, local_error->message);
      return FALSE;
    }

  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buffer, COPY_CHUNK, NULL,
                                      &local_error);
      const guchar *p = buffer;
      gsize left;

      if (n < 0)
        {
          g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                       _("Could not read “%s”: %s."), source_name, local_error->message);
          return FALSE;
        }
      if (n == 0)
        break;

      /* The first bytes let GIO sniff the content type. */
      if (*head_len < 4096)
        {
          gsize take = MIN ((gsize) n, 4096 - *head_len);

          memcpy (head + *head_len, buffer, take);
          *head_len += take;
        }

      g_checksum_update (checksum, buffer, n);
      left = n;
      while (left > 0)
        {
          gssize written;

          reel_atomic_file_crash_point ();
          written = write (fd, p, left);
          if (written < 0)
            {
              if (errno == EINTR)
                continue;
              g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                           _("Could not write “%s”: %s. Check that the disk is not full."),
                           tmp_path, g_strerror (errno));
              return FALSE;
            }
          p += written;
          left -= written;
        }
    }

  return TRUE;
}

/* gdk-pixbuf's own message names the temporary copy being decoded, which means nothing to the
 * person who dropped the file, so the reason is told in our words. */
static const char *
describe_decode_error (const GError *error)
{
  if (g_error_matches (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
    return _("its format is not one Reel recognises");
  if (g_error_matches (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE))
    return _("the file is damaged or incomplete");
  if (g_error_matches (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY))
    return _("it is too large to decode");
  return _("it could not be decoded");
}

gboolean
reel_media_store_import (GFile       *media_dir,
                         GFile       *source,
                         char       **out_media_name,
                         GError     **error)
{
  g_autofree char *media_path = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *source_name = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *ext = NULL;
  g_autofree char *name = NULL;
  g_autofree char *final_path = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  g_autoptr(GError) local_error = NULL;
  guchar head[4096];
  gsize head_len = 0;
  gboolean uncertain = FALSE;
  gboolean existed = FALSE;
  int fd;

  g_return_val_if_fail (G_IS_FILE (media_dir), FALSE);
  g_return_val_if_fail (G_IS_FILE (source), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  source_name = g_file_get_parse_name (source);
  media_path = g_file_get_path (media_dir);
  if (g_mkdir_with_parents (media_path, 0777) != 0)
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                   _("Could not create the media folder “%s”: %s. Check the folder's "
                     "permissions."), media_path, g_strerror (errno));
      return FALSE;
    }

  tmp_path = g_build_filename (media_path, ".import-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0666 & ~0022);
  if (fd < 0)
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                   _("Could not create a file in “%s”: %s. Check that the disk is not full "
                     "and that you may write to this folder."), media_path, g_strerror (errno));
      return FALSE;
    }

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  if (!copy_and_hash (source, fd, tmp_path, checksum, head, &head_len, error))
    goto fail;

  reel_atomic_file_crash_point ();
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      fd = -1;
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                   _("Could not write “%s”: %s. Check that the disk is not full."),
                   tmp_path, g_strerror (errno));
      goto fail;
    }
  fd = -1;

  {
    g_autofree char *basename = g_file_get_basename (source);

    content_type = g_content_type_guess (basename, head, head_len, &uncertain);
  }

  /* Decode the bytes actually stored, not the source, so that what the project references
   * is known to be readable. */
  mime = g_content_type_get_mime_type (content_type);
  if (mime == NULL
      || (!g_str_has_prefix (mime, "video/") && !g_str_has_prefix (mime, "audio/")))
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (tmp_path, &local_error);

      if (pixbuf == NULL)
        {
          g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_INVALID_VALUE,
                       _("“%s” is not an image Reel can read: %s. Use a PNG, JPEG or WebP "
                         "image."), source_name, describe_decode_error (local_error));
          goto fail;
        }
    }

  ext = choose_extension (source, content_type);
  name = g_strdup_printf ("%s.%s", g_checksum_get_string (checksum), ext);
  final_path = g_build_filename (media_path, name, NULL);

  if (!reel_atomic_file_publish_new (tmp_path, final_path, &existed, &local_error))
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                   _("Could not import “%s”: %s"), source_name, local_error->message);
      return FALSE;
    }

  g_debug ("Imported %s as %s%s", source_name, name, existed ? " (already present)" : "");
  if (out_media_name != NULL)
    *out_media_name = g_steal_pointer (&name);
  return TRUE;

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);
  return FALSE;
}

gboolean
reel_media_store_check_file (GFile       *bundle_dir,
                             GFile       *file,
                             const char  *json_path,
                             const char  *field,
                             GError     **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *bundle_path = g_file_get_path (bundle_dir);
  g_autofree char *real_bundle = NULL;
  g_autofree char *real_file = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_MISSING_MEDIA,
                   _("%s: %s: the media file “media/%s” is missing. Copy it back into the "
                     "bundle's media folder, or remove the reference."),
                   json_path, field, basename);
      return FALSE;
    }

  real_bundle = realpath (bundle_path, NULL);
  real_file = realpath (path, NULL);
  if (real_bundle == NULL || real_file == NULL
      || !g_str_has_prefix (real_file, real_bundle)
      || real_file[strlen (real_bundle)] != G_DIR_SEPARATOR)
    {
      /* A symlink in media/ could make Reel read (and later embed or upload) any file on
       * the machine, so anything resolving outside the bundle is refused. */
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_UNSAFE_PATH,
                   _("%s: %s: the media file “media/%s” is a link that points outside the "
                     "project bundle. Replace the link with a copy of the file."),
                   json_path, field, basename);
      return FALSE;
    }

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_MISSING_MEDIA,
                   _("%s: %s: “media/%s” is not a regular file. Replace it with the media "
                     "file, or remove the reference."),
                   json_path, field, basename);
      return FALSE;
    }

  return TRUE;
}

static gboolean
copy_one (const char  *from_path,
          const char  *media_path,
          const char  *name,
          GError     **error)
{
  g_autofree char *tmp_path = g_build_filename (media_path, ".copy-XXXXXX", NULL);
  g_autofree char *final_path = g_build_filename (media_path, name, NULL);
  g_autoptr(GFile) from = g_file_new_for_path (from_path);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guchar head[4096];
  gsize head_len;
  int fd;

  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0666 & ~0022);
  if (fd < 0)
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                   _("Could not create a file in “%s”: %s. Check that the disk is not full "
                     "and that you may write to this folder."), media_path, g_strerror (errno));
      return FALSE;
    }
  if (!copy_and_hash (from, fd, tmp_path, checksum, head, &head_len, error))
    {
      close (fd);
      g_unlink (tmp_path);
      return FALSE;
    }
  reel_atomic_file_crash_point ();
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                   _("Could not write “%s”: %s. Check that the disk is not full."),
                   tmp_path, g_strerror (errno));
      g_unlink (tmp_path);
      return FALSE;
    }
  return reel_atomic_file_publish_new (tmp_path, final_path, NULL, error);
}

gboolean
reel_media_store_copy_missing (GFile   *from_dir,
                               GFile   *to_dir,
                               GError **error)
{
  g_autofree char *from_path = g_file_get_path (from_dir);
  g_autofree char *to_path = g_file_get_path (to_dir);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (G_IS_FILE (from_dir), FALSE);
  g_return_val_if_fail (G_IS_FILE (to_dir), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_mkdir_with_parents (to_path, 0777) != 0)
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                   _("Could not create the media folder “%s”: %s. Choose a folder you may "
                     "write to."), to_path, g_strerror (errno));
      return FALSE;
    }

  /* A project that never imported anything has no media folder yet. */
  dir = g_dir_open (from_path, 0, NULL);
  if (dir == NULL)
    return TRUE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = NULL;
      g_autofree char *target = NULL;

      /* Only media names: temporary files of an interrupted import are left behind. */
      if (!reel_media_name_is_valid (name))
        continue;
      target = g_build_filename (to_path, name, NULL);
      if (g_file_test (target, G_FILE_TEST_EXISTS))
        continue;
      source = g_build_filename (from_path, name, NULL);
      if (!copy_one (source, to_path, name, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
reel_project_import_media (ReelProject  *self,
                           GFile        *source,
                           char        **out_media_name,
                           GError      **error)
{
  g_autoptr(GFile) root = NULL;
  g_autoptr(GFile) media_dir = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (source), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  root = reel_project_get_media_root (self);
  if (root == NULL)
    {
      /* A never-saved project keeps its media in a scratch folder under the user's state
       * folder, where a recovery file can still find them after a crash; Save As moves them
       * into the bundle. */
      g_autofree char *base = g_build_filename (g_get_user_state_dir (), "reel", "unsaved",
                                                NULL);
      g_autofree char *scratch = g_build_filename (base, "project-XXXXXX", NULL);

      if (g_mkdir_with_parents (base, 0700) != 0 || g_mkdtemp (scratch) == NULL)
        {
          g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                       _("Could not create a folder for the media of the unsaved project in "
                         "“%s”: %s. Save the project first, then add the file again."),
                       base, g_strerror (errno));
          return FALSE;
        }
      reel_project_set_scratch_dir (self, scratch);
      root = g_file_new_for_path (scratch);
    }

  media_dir = g_file_get_child (root, REEL_MEDIA_DIR_NAME);
  return reel_media_store_import (media_dir, source, out_media_name, error);
}
