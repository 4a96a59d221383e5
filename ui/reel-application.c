#define G_LOG_DOMAIN "reel-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-application.h"
#include "reel-project-io.h"
#include "reel-recovery.h"
#include "reel-window-private.h"

struct _ReelApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (ReelApplication, reel_application, ADW_TYPE_APPLICATION)

typedef struct
{
  const char *action;
  const char *accels[3];
} Accelerator;

/* Every entry also appears in reel-shortcuts-window.ui. */
static const Accelerator accelerators[] = {
  { "win.new", { "<Control>n", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.save-as", { "<Control><Shift>s", NULL } },
  { "win.undo", { "<Control>z", NULL } },
  { "win.redo", { "<Control><Shift>z", "<Control>y", NULL } },
  { "win.add-shot", { "<Control><Shift>n", NULL } },
  { "win.toggle-inspector", { "F9", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "app.quit", { "<Control>q", NULL } },
};

ReelWindow *
reel_application_open_window (ReelApplication *self,
                              ReelProject     *project)
{
  ReelWindow *window;

  g_return_val_if_fail (REEL_IS_APPLICATION (self), NULL);

  window = reel_window_new (GTK_APPLICATION (self), project);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static ReelWindow *
find_window_for_path (ReelApplication *self,
                      const char      *path)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      ReelProject *project;

      if (!REEL_IS_WINDOW (l->data))
        continue;
      project = reel_window_get_project (l->data);
      if (g_strcmp0 (reel_project_get_path (project), path) == 0)
        return l->data;
    }
  return NULL;
}

static ReelWindow *
find_pristine_window (ReelApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (REEL_IS_WINDOW (l->data) && reel_window_is_pristine (l->data))
      return l->data;
  return NULL;
}

ReelWindow *
reel_application_open_project (ReelApplication *self,
                               GFile           *bundle,
                               ReelWindow      *requester)
{
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  ReelWindow *window = NULL;

  g_return_val_if_fail (REEL_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (bundle), NULL);

  path = g_file_get_path (bundle);
  if (path != NULL)
    window = find_window_for_path (self, path);
  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return window;
    }

  if (requester != NULL && reel_window_is_pristine (requester))
    window = requester;
  else
    window = find_pristine_window (self);

  project = reel_project_load (bundle, &error);
  if (project == NULL)
    {
      g_autofree char *name = g_file_get_basename (bundle);
      g_autofree char *heading = NULL;

      if (window == NULL)
        window = requester;
      if (window == NULL)
        window = reel_application_open_window (self, NULL);
      /* Translators: %s is the project folder's name; the message below gives its path. */
      heading = g_strdup_printf (_("Could Not Open “%s”"), name);
      gtk_window_present (GTK_WINDOW (window));
      reel_window_show_error (window, heading, error->message);
      return window;
    }

  if (window != NULL)
    {
      reel_window_set_project (window, project);
      gtk_window_present (GTK_WINDOW (window));
    }
  else
    window = reel_application_open_window (self, project);

  _reel_window_remember_recent (window, reel_project_get_path (project));
  return window;
}

/* ---- Crash recovery ---- */

typedef struct
{
  ReelApplication *application;
  GFile *recovery_file;
  ReelProject *project;
  ReelWindow *window;
} Recovery;

static void
recovery_free (gpointer data)
{
  Recovery *recovery = data;

  g_clear_object (&recovery->application);
  g_clear_object (&recovery->recovery_file);
  g_clear_object (&recovery->project);
  g_clear_weak_pointer (&recovery->window);
  g_free (recovery);
}

static void
recovery_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      Recovery         *recovery)
{
  if (g_strcmp0 (response, "restore") == 0)
    {
      ReelWindow *window = recovery->window;

      /* Restoring never replaces a project the person has already opened. */
      if (window == NULL || !reel_window_is_pristine (window))
        window = reel_application_open_window (recovery->application, NULL);
      _reel_window_set_restored_project (window, recovery->project);
    }
  else if (g_strcmp0 (response, "discard") == 0)
    reel_recovery_discard (recovery->recovery_file);
}

/* After a crash the autosave left a recovery file behind: offer it before anything else. */
static gboolean
offer_recovery (ReelApplication *self,
                ReelWindow      *window)
{
  g_autoptr(GFile) recovery_file = reel_recovery_find_pending ();
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  Recovery *recovery;

  if (recovery_file == NULL)
    return FALSE;

  project = reel_project_load_recovery (recovery_file, &error);
  if (project == NULL)
    {
      /* Unreadable work cannot be offered; keeping it would ask again at every start. */
      g_warning ("Discarding unreadable recovery file: %s", error->message);
      reel_recovery_discard (recovery_file);
      return FALSE;
    }

  recovery = g_new0 (Recovery, 1);
  recovery->application = g_object_ref (self);
  recovery->recovery_file = g_steal_pointer (&recovery_file);
  recovery->project = g_steal_pointer (&project);
  g_set_weak_pointer (&recovery->window, window);

  dialog = adw_message_dialog_new (GTK_WINDOW (window), _("Restore Unsaved Work?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Reel stopped before changes to “%s” were saved. Restore "
                                    "them from the automatic backup, or discard the backup."),
                                  reel_project_get_title (recovery->project));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "discard", _("_Discard"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  /* Closing the dialog keeps the backup for the next start rather than losing it. */
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  g_signal_connect_data (dialog, "response", G_CALLBACK (recovery_response_cb),
                         recovery, (GClosureNotify) (void (*) (void)) recovery_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ---- Application actions ---- */

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { _("The Reel developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Reel"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Reel developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Write a storyboard as a timeline of shots and "
                                      "pre-visualise it on your own computer."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one a line, as they should appear in About. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Each window asks about its own unsaved changes; the application ends with the last one. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action_cb },
  { .name = "quit", .activate = quit_action_cb },
};

/* ---- GApplication ---- */

static void
reel_application_startup (GApplication *app)
{
  const char *datadir = g_getenv ("REEL_DATADIR");

  G_APPLICATION_CLASS (reel_application_parent_class)->startup (app);

  /* Running from the build tree (meson devenv, tests), the icons are not installed yet. */
  if (datadir != NULL)
    {
      g_autofree char *icons = g_build_filename (datadir, "icons", NULL);

      gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      icons);
    }

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accelerators[i].action,
                                           accelerators[i].accels);
}

static void
reel_application_activate (GApplication *app)
{
  ReelApplication *self = REEL_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (reel_application_open_window (self, NULL));
  offer_recovery (self, REEL_WINDOW (window));
}

static void
reel_application_open (GApplication  *app,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  ReelApplication *self = REEL_APPLICATION (app);
  gboolean first_start = gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
  ReelWindow *window = NULL;

  for (int i = 0; i < n_files; i++)
    window = reel_application_open_project (self, files[i], NULL);

  if (first_start && window != NULL)
    offer_recovery (self, window);
}

static void
reel_application_class_init (ReelApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = reel_application_startup;
  app_class->activate = reel_application_activate;
  app_class->open = reel_application_open;
}

static void
reel_application_init (ReelApplication *self)
{
}

ReelApplication *
reel_application_new (void)
{
  return g_object_new (REEL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/reelstudio/Reel",
                       NULL);
}
