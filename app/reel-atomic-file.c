#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "reel-atomic-file.h"

/* Large writes are split so that a kill between two chunks leaves a half-written temporary
 * file: exactly the state the rename must protect the real file from. */
#define WRITE_CHUNK (64 * 1024)

void
reel_atomic_file_crash_point (void)
{
  static gsize init = 0;
  static gint64 kill_at = 0;
  static gint64 step = 0;

  if (g_once_init_enter (&init))
    {
      const char *env = g_getenv ("REEL_TEST_KILL_AT_STEP");

      if (env != NULL)
        kill_at = g_ascii_strtoll (env, NULL, 10);
      g_once_init_leave (&init, 1);
    }

  if (kill_at > 0 && ++step == kill_at)
    raise (SIGKILL);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  /* what: "write", "rename", ... */
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not %s “%s”: %s. Check that the disk is not full and that you may "
                 "write to this folder."),
               what, path, g_strerror (saved_errno));
  return FALSE;
}

gboolean
reel_atomic_file_sync_directory (const char  *dir_path,
                                 GError     **error)
{
  int fd;

  reel_atomic_file_crash_point ();
  fd = open (dir_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return set_errno_error (error, errno, _("open folder"), dir_path);

  /* Some file systems cannot fsync a directory; the rename is still atomic there. */
  if (fsync (fd) != 0 && errno != EINVAL && errno != ENOTSUP)
    {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (error, saved_errno, _("sync folder"), dir_path);
    }
  close (fd);
  return TRUE;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length,
           const char  *path,
           GError     **error)
{
  while (length > 0)
    {
      gsize chunk = MIN (length, WRITE_CHUNK);
      gssize written;

      reel_atomic_file_crash_point ();
      written = write (fd, data, chunk);
      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return set_errno_error (error, errno, _("write"), path);
        }
      data += written;
      length -= written;
    }
  return TRUE;
}

gboolean
reel_atomic_file_replace (GFile       *file,
                          const char  *data,
                          gsize        length,
                          GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *dir_path = NULL;
  int fd;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Could not save to “%s”: only local files can be saved safely."),
                   g_file_peek_path (file) ? g_file_peek_path (file) : "?");
      return FALSE;
    }
  tmp_path = g_strconcat (path, ".tmp", NULL);
  dir_path = g_path_get_dirname (path);

  reel_atomic_file_crash_point ();
  fd = open (tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0)
    return set_errno_error (error, errno, _("create"), tmp_path);

  if (!write_all (fd, data, length, tmp_path, error))
    {
      close (fd);
      g_unlink (tmp_path);
      return FALSE;
    }

  /* Without this fsync a power cut after the rename could leave an empty file under the
   * final name on file systems that reorder metadata and data. */
  reel_atomic_file_crash_point ();
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (tmp_path);
      return set_errno_error (error, saved_errno, _("sync"), tmp_path);
    }

  reel_atomic_file_crash_point ();
  if (close (fd) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      return set_errno_error (error, saved_errno, _("close"), tmp_path);
    }

  reel_atomic_file_crash_point ();
  if (rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      return set_errno_error (error, saved_errno, _("replace"), path);
    }

  return reel_atomic_file_sync_directory (dir_path, error);
}

gboolean
reel_atomic_file_publish_new (const char  *tmp_path,
                              const char  *final_path,
                              gboolean    *out_existed,
                              GError     **error)
{
  g_autofree char *dir_path = NULL;

  g_return_val_if_fail (tmp_path != NULL, FALSE);
  g_return_val_if_fail (final_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_existed != NULL)
    *out_existed = FALSE;

  /* link() fails with EEXIST instead of replacing, unlike rename(): an existing media file
   * is never touched. */
  reel_atomic_file_crash_point ();
  if (link (tmp_path, final_path) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EEXIST)
        {
          if (out_existed != NULL)
            *out_existed = TRUE;
        }
      else if (saved_errno == EPERM || saved_errno == ENOTSUP || saved_errno == EOPNOTSUPP
               || saved_errno == EXDEV)
        {
          /* File systems without hard links: check, then rename. A race here could only
           * replace a file with identical content, because names are content hashes. */
          if (g_file_test (final_path, G_FILE_TEST_EXISTS))
            {
              if (out_existed != NULL)
                *out_existed = TRUE;
            }
          else if (rename (tmp_path, final_path) != 0)
            {
              saved_errno = errno;
              g_unlink (tmp_path);
              return set_errno_error (error, saved_errno, _("create"), final_path);
            }
        }
      else
        {
          g_unlink (tmp_path);
          return set_errno_error (error, saved_errno, _("create"), final_path);
        }
    }

  g_unlink (tmp_path);
  dir_path = g_path_get_dirname (final_path);
  return reel_atomic_file_sync_directory (dir_path, error);
}
