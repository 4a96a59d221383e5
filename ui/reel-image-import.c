#define G_LOG_DOMAIN "reel-ui"

#include "config.h"

#include "reel-image-import.h"
#include "reel-media-store.h"
#include "reel-project-io.h"

typedef struct
{
  GFile *media_dir;
  GFile *image;
} ImportData;

static void
import_data_free (gpointer data)
{
  ImportData *import = data;

  g_clear_object (&import->media_dir);
  g_clear_object (&import->image);
  g_free (import);
}

/* Worker thread: touches only its own copies of the two files. */
static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *import = task_data;
  g_autofree char *media_name = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (reel_media_store_import (import->media_dir, import->image, &media_name, &error))
    g_task_return_pointer (task, g_steal_pointer (&media_name), g_free);
  else
    g_task_return_error (task, error);
}

gboolean
reel_image_import_can_run (ReelProject *project)
{
  g_autoptr(GFile) root = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);

  root = reel_project_get_media_root (project);
  return root != NULL;
}

void
reel_image_import_async (ReelProject         *project,
                         GFile               *image,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) root = NULL;
  ImportData *import;

  g_return_if_fail (REEL_IS_PROJECT (project));
  g_return_if_fail (G_IS_FILE (image));
  g_return_if_fail (reel_image_import_can_run (project));

  task = g_task_new (project, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_image_import_async);

  /* The worker gets copies, never the project: the model is main-thread only. */
  root = reel_project_get_media_root (project);
  import = g_new0 (ImportData, 1);
  import->media_dir = g_file_get_child (root, REEL_MEDIA_DIR_NAME);
  import->image = g_file_dup (image);
  g_task_set_task_data (task, import, import_data_free);

  g_task_run_in_thread (task, import_thread);
}

char *
reel_image_import_finish (ReelProject   *project,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, project), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_image_import_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
