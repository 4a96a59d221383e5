#define G_LOG_DOMAIN "reel-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-application.h"
#include "reel-project-io.h"
#include "reel-window-private.h"

/* How many projects the Open button's menu remembers. */
#define RECENT_MAX 10

/* ---- Recent projects ---- */

void
_reel_window_update_recent_menu (ReelWindow *self)
{
  g_auto(GStrv) paths = NULL;
  guint n_shown = 0;

  g_menu_remove_all (self->recent_menu);
  if (self->settings != NULL)
    paths = g_settings_get_strv (self->settings, "recent-projects");

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[i]);
      g_autofree char *basename = g_file_get_basename (file);
      g_autoptr(GMenuItem) item = NULL;

      /* A project moved or deleted since is not worth offering. */
      if (!g_file_query_exists (file, NULL))
        continue;

      if (g_str_has_suffix (basename, ".reel"))
        basename[strlen (basename) - strlen (".reel")] = '\0';
      item = g_menu_item_new (basename, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-recent",
                                               g_variant_new_string (paths[i]));
      g_menu_append_item (self->recent_menu, item);
      n_shown++;
    }

  if (n_shown == 0)
    {
      /* An item without an action is shown insensitive: a hint, not a command. */
      g_menu_append (self->recent_menu, _("No Recent Projects"), NULL);
    }
}

void
_reel_window_remember_recent (ReelWindow *self,
                              const char *path)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) paths = NULL;
  guint n = 1;

  if (self->settings == NULL || path == NULL)
    return;

  old = g_settings_get_strv (self->settings, "recent-projects");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < RECENT_MAX; i++)
    {
      if (g_strcmp0 (old[i], path) == 0)
        continue;
      g_strv_builder_add (builder, old[i]);
      n++;
    }
  paths = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) paths);
}

/* ---- Action state ---- */

void
_reel_window_update_actions (ReelWindow *self)
{
  const char *undo_label = reel_project_get_undo_label (self->project);
  const char *redo_label = reel_project_get_redo_label (self->project);
  g_autofree char *undo_tooltip = NULL;
  g_autofree char *redo_tooltip = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 reel_project_get_can_undo (self->project));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo",
                                 reel_project_get_can_redo (self->project));

  /* Translators: a tooltip such as "Undo Edit prompt"; %s is what the undo reverts. */
  undo_tooltip = undo_label ? g_strdup_printf (_("Undo %s"), undo_label) : g_strdup (_("Undo"));
  /* Translators: a tooltip such as "Redo Edit prompt"; %s is what the redo repeats. */
  redo_tooltip = redo_label ? g_strdup_printf (_("Redo %s"), redo_label) : g_strdup (_("Redo"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->undo_button), undo_tooltip);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->redo_button), redo_tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->undo_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, undo_tooltip, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->redo_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, redo_tooltip, -1);
}

/* ---- Saving ---- */

static void
finish_save (ReelWindow *self,
             gboolean    ok,
             GError     *error)
{
  if (!ok)
    {
      self->close_after_save = FALSE;
      reel_window_show_error (self, _("Could Not Save the Project"), error->message);
      return;
    }

  _reel_window_remember_recent (self, reel_project_get_path (self->project));
  if (self->close_after_save)
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

static void
save_as_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     ReelWindow      *self)
{
  g_autoptr(GFile) chosen = NULL;
  g_autoptr(GFile) bundle = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  gboolean ok;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      self->close_after_save = FALSE;
      g_object_unref (chooser);
      return;
    }

  chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);

  /* Bundles are recognised by their suffix, so add it when the person left it out. */
  basename = g_file_get_basename (chosen);
  if (g_str_has_suffix (basename, ".reel"))
    bundle = g_object_ref (chosen);
  else
    {
      g_autoptr(GFile) parent = g_file_get_parent (chosen);
      g_autofree char *with_suffix = g_strconcat (basename, ".reel", NULL);

      bundle = g_file_get_child (parent, with_suffix);
    }

  ok = reel_project_save_as (self->project, bundle, &error);
  finish_save (self, ok, error);
}

void
_reel_window_save_as (ReelWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  reel_project_break_coalescing (self->project);

  chooser = gtk_file_chooser_native_new (_("Save Project As"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = g_strconcat (reel_project_get_title (self->project), ".reel", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_as_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_reel_window_save (ReelWindow *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  reel_project_break_coalescing (self->project);

  if (reel_project_get_path (self->project) == NULL)
    {
      _reel_window_save_as (self);
      return;
    }

  ok = reel_project_save (self->project, &error);
  finish_save (self, ok, error);
}

/* ---- Actions ---- */

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));

  if (REEL_IS_APPLICATION (app))
    reel_application_open_window (REEL_APPLICATION (app), NULL);
}

static void
open_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  ReelWindow      *self)
{
  g_autoptr(GFile) bundle = NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (response == GTK_RESPONSE_ACCEPT)
    bundle = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);

  if (bundle != NULL && REEL_IS_APPLICATION (app))
    reel_application_open_project (REEL_APPLICATION (app), bundle, self);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ReelWindow *self = REEL_WINDOW (widget);
  GtkFileChooserNative *chooser;

  /* A project is a NAME.reel folder, so the chooser picks folders. */
  chooser = gtk_file_chooser_native_new (_("Open Project"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (open_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));
  g_autoptr(GFile) bundle = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  if (REEL_IS_APPLICATION (app))
    reel_application_open_project (REEL_APPLICATION (app), bundle, REEL_WINDOW (widget));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _reel_window_save (REEL_WINDOW (widget));
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _reel_window_save_as (REEL_WINDOW (widget));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ReelWindow *self = REEL_WINDOW (widget);

  reel_project_undo (self->project);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ReelWindow *self = REEL_WINDOW (widget);

  reel_project_redo (self->project);
}

static void
add_shot_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ReelWindow *self = REEL_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->timeline), "timeline.add-shot", NULL);
  /* A new shot wants a name first; the timeline's own + button leaves the focus alone. */
  reel_inspector_focus_title (self->inspector);
}

static void
toggle_inspector_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ReelWindow *self = REEL_WINDOW (widget);

  gtk_toggle_button_set_active (self->inspector_button,
                                !gtk_toggle_button_get_active (self->inspector_button));
}

void
_reel_window_class_actions_init (ReelWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* Accelerators are registered with the application (reel-application.c) so that the
   * shortcuts window reads them from the same place. */
  gtk_widget_class_install_action (widget_class, "win.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.add-shot", NULL, add_shot_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-inspector", NULL,
                                   toggle_inspector_action);
}
