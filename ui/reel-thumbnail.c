#define G_LOG_DOMAIN "reel-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-thumbnail.h"

typedef struct
{
  char *path;
  int max_size;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->path);
  g_free (load);
}

/* Main-thread only. Small projects hold a few dozen images; the cache lives as long as the
 * process, which is what keeps scrolling and undo from decoding the same file twice. */
static GHashTable *
get_cache (void)
{
  static GHashTable *cache;

  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  return cache;
}

static char *
cache_key (const char *path,
           int         max_size)
{
  return g_strdup_printf ("%d:%s", max_size, path);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  GError *error = NULL;
  GdkPixbuf *pixbuf;

  if (g_task_return_error_if_cancelled (task))
    return;

  pixbuf = gdk_pixbuf_new_from_file_at_scale (load->path, load->max_size, load->max_size,
                                              TRUE, &error);
  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

void
reel_thumbnail_load_async (GFile               *file,
                           int                  max_size,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  GdkTexture *cached;
  LoadData *load;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (max_size > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_thumbnail_load_async);

  load = g_new0 (LoadData, 1);
  load->path = g_file_get_path (file);
  load->max_size = max_size;
  g_task_set_task_data (task, load, load_data_free);

  if (load->path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Cannot show “%s”: only local files can be previewed"), uri);
      return;
    }

  key = cache_key (load->path, max_size);
  cached = g_hash_table_lookup (get_cache (), key);
  if (cached != NULL)
    {
      g_task_return_pointer (task, g_object_ref (cached), g_object_unref);
      return;
    }

  g_task_run_in_thread (task, load_thread);
}

GdkTexture *
reel_thumbnail_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(GObject) object = NULL;
  LoadData *load;
  GdkTexture *texture;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_thumbnail_load_async,
                        NULL);

  object = g_task_propagate_pointer (G_TASK (result), error);
  if (object == NULL)
    return NULL;
  if (GDK_IS_TEXTURE (object))
    return GDK_TEXTURE (g_steal_pointer (&object));

  load = g_task_get_task_data (G_TASK (result));
  texture = gdk_texture_new_for_pixbuf (GDK_PIXBUF (object));
  g_hash_table_replace (get_cache (), cache_key (load->path, load->max_size),
                        g_object_ref (texture));
  return texture;
}
