#define G_LOG_DOMAIN "reel-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-project-io.h"
#include "reel-thumbnail.h"
#include "reel-window-private.h"

/* The preview shows the selected shot's picture at most this many pixels on its long side. */
#define PREVIEW_SIZE 1280

G_DEFINE_FINAL_TYPE (ReelWindow, reel_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_title (ReelWindow *self)
{
  const char *title = reel_project_get_title (self->project);
  const char *path = reel_project_get_path (self->project);
  g_autofree char *shown = NULL;
  g_autofree char *window_title = NULL;
  g_autofree char *subtitle = NULL;

  if (title == NULL || *title == '\0')
    title = _("Untitled storyboard");

  /* The bullet is the usual GNOME marker for unsaved changes. */
  if (_reel_window_has_unsaved_changes (self))
    shown = g_strdup_printf ("• %s", title);
  else
    shown = g_strdup (title);

  if (path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *parent_path = parent ? g_file_get_path (parent) : NULL;
      g_autofree char *home = g_build_filename (g_get_home_dir (), G_DIR_SEPARATOR_S, NULL);

      /* The folder, shortened the way a shell would show it. */
      if (parent_path != NULL && g_str_has_prefix (parent_path, home))
        subtitle = g_build_filename ("~", parent_path + strlen (home), NULL);
      else
        subtitle = g_steal_pointer (&parent_path);
    }
  else
    subtitle = g_strdup (_("Not saved yet"));

  adw_window_title_set_title (self->window_title, shown);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  /* Translators: the window title, e.g. "Noir detective — Reel". */
  window_title = g_strdup_printf (_("%s — Reel"), shown);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

static void
update_main_page (ReelWindow *self)
{
  gboolean empty = reel_project_get_n_shots (self->project) == 0;

  gtk_stack_set_visible_child_name (self->main_stack, empty ? "empty" : "board");
}

static void
shots_items_changed_cb (ReelWindow *self,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GListModel *shots)
{
  update_main_page (self);
}

static void
project_notify_cb (ReelWindow *self,
                   GParamSpec *pspec,
                   ReelProject *project)
{
  update_title (self);
  _reel_window_update_actions (self);
}

/* ---- Preview of the selected shot ---- */

static void
preview_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ReelWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = reel_thumbnail_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (texture == NULL)
    {
      /* A missing or broken file is reported when it is imported or loaded; here the preview
       * only explains why there is no picture. The description is markup. */
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (self->preview_placeholder, escaped);
      gtk_stack_set_visible_child_name (self->preview_stack, "placeholder");
      return;
    }

  gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->preview_stack, "picture");
}

static const char *
shot_picture_name (ReelShot *shot)
{
  ReelTake *take = reel_shot_get_selected_take (shot);

  /* A generated take is what the sequence will show, so it wins over the start image. */
  if (take != NULL && reel_take_get_thumbnail (take) != NULL)
    return reel_take_get_thumbnail (take);
  return reel_shot_get_start_image (shot);
}

static void
update_preview (ReelWindow *self)
{
  ReelShot *shot = reel_timeline_get_selected_shot (self->timeline);
  const char *media_name;
  g_autoptr(GFile) file = NULL;

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);

  if (shot == NULL)
    {
      gtk_picture_set_paintable (self->preview_picture, NULL);
      gtk_stack_set_visible_child_name (self->preview_stack, "placeholder");
      adw_status_page_set_title (self->preview_placeholder, NULL);
      return;
    }

  if (*reel_shot_get_title (shot) != '\0')
    adw_status_page_set_title (self->preview_placeholder, reel_shot_get_title (shot));
  else
    adw_status_page_set_title (self->preview_placeholder, _("Untitled shot"));
  media_name = shot_picture_name (shot);
  if (media_name == NULL)
    {
      /* Without a picture, the prompt is the best picture of the shot there is. */
      if (*reel_shot_get_prompt (shot) != '\0')
        {
          g_autofree char *prompt = g_markup_escape_text (reel_shot_get_prompt (shot), -1);

          adw_status_page_set_description (self->preview_placeholder, prompt);
        }
      else
        adw_status_page_set_description (self->preview_placeholder,
                                         _("Describe the shot in the prompt, or drop an image "
                                           "on its card to start it from that frame."));
      gtk_picture_set_paintable (self->preview_picture, NULL);
      gtk_stack_set_visible_child_name (self->preview_stack, "placeholder");
      return;
    }

  file = reel_project_get_media_file (self->project, media_name);
  if (file == NULL)
    {
      gtk_picture_set_paintable (self->preview_picture, NULL);
      gtk_stack_set_visible_child_name (self->preview_stack, "placeholder");
      return;
    }
  self->preview_cancellable = g_cancellable_new ();
  reel_thumbnail_load_async (file, PREVIEW_SIZE, self->preview_cancellable,
                             preview_loaded_cb, g_object_ref (self));
}

static void
selected_shot_changed_cb (ReelWindow   *self,
                          GParamSpec   *pspec,
                          ReelTimeline *timeline)
{
  ReelShot *shot = reel_timeline_get_selected_shot (timeline);

  g_signal_group_set_target (self->shot_signals, shot);
  reel_inspector_set_shot (self->inspector, shot);
  update_preview (self);
}

static void
shot_picture_changed_cb (ReelWindow *self)
{
  update_preview (self);
}

/* The prompt only shows while there is no picture; typing must not reload the picture. */
static void
shot_prompt_changed_cb (ReelWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->preview_stack), "placeholder") == 0)
    update_preview (self);
}

/* ---- Dropping images on the empty board ---- */

static gboolean
empty_page_drop_cb (GtkDropTarget *target,
                    const GValue  *value,
                    double         x,
                    double         y,
                    ReelWindow    *self)
{
  g_autoptr(GSList) files = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  return reel_timeline_import_files (self->timeline, files, G_MAXUINT, FALSE);
}

/* ---- Autosave ---- */

static void
autosave_failed_cb (ReelWindow   *self,
                    const char   *message,
                    ReelAutosave *autosave)
{
  reel_window_add_toast (self, message);
}

void
_reel_window_start_autosave (ReelWindow *self)
{
  g_assert (self->autosave == NULL);

  self->autosave = reel_autosave_new (self->project, REEL_AUTOSAVE_DEFAULT_IDLE_MS);
  g_signal_connect_object (self->autosave, "write-failed", G_CALLBACK (autosave_failed_cb),
                           self, G_CONNECT_SWAPPED);
}

void
_reel_window_stop_autosave (ReelWindow *self)
{
  if (self->autosave != NULL)
    g_signal_handlers_disconnect_by_data (self->autosave, self);
  g_clear_object (&self->autosave);
}

/* ---- Closing ---- */

static void
save_window_state (ReelWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static void
close_dialog_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          ReelWindow       *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    {
      /* Dropping the changes on purpose must not bring them back as "recovered" next time. */
      if (self->autosave != NULL)
        reel_autosave_discard (self->autosave);
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  else if (g_strcmp0 (response, "save") == 0)
    {
      self->close_after_save = TRUE;
      _reel_window_save (self);
    }
}

static void
ask_before_closing (ReelWindow *self)
{
  GtkWidget *dialog;
  const char *title = reel_project_get_title (self->project);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                     _("Save Changes to “%s”?"), title);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("If you close without saving, your changes since the last save "
                                 "are lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
reel_window_close_request (GtkWindow *window)
{
  ReelWindow *self = REEL_WINDOW (window);

  /* Pending typing must land in the document before we decide whether it is dirty. */
  reel_project_break_coalescing (self->project);

  if (!self->close_confirmed && _reel_window_has_unsaved_changes (self))
    {
      ask_before_closing (self);
      return TRUE;
    }

  save_window_state (self);
  _reel_window_stop_autosave (self);

  return GTK_WINDOW_CLASS (reel_window_parent_class)->close_request (window);
}

gboolean
_reel_window_has_unsaved_changes (ReelWindow *self)
{
  /* A restored autosave is dirty in the model itself (reel_project_mark_unsaved). */
  return reel_project_get_dirty (self->project);
}

void
_reel_window_set_restored_project (ReelWindow  *self,
                                   ReelProject *project)
{
  reel_window_set_project (self, project);
  update_title (self);
}

/* ---- Public API ---- */

ReelWindow *
reel_window_new (GtkApplication *application,
                 ReelProject    *project)
{
  g_autoptr(ReelProject) fresh = NULL;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (project == NULL || REEL_IS_PROJECT (project), NULL);

  if (project == NULL)
    project = fresh = reel_project_new ();

  return g_object_new (REEL_TYPE_WINDOW,
                       "application", application,
                       "project", project,
                       NULL);
}

ReelProject *
reel_window_get_project (ReelWindow *self)
{
  g_return_val_if_fail (REEL_IS_WINDOW (self), NULL);

  return self->project;
}

void
reel_window_set_project (ReelWindow  *self,
                         ReelProject *project)
{
  g_return_if_fail (REEL_IS_WINDOW (self));
  g_return_if_fail (REEL_IS_PROJECT (project));

  if (self->project == project)
    return;

  _reel_window_stop_autosave (self);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (reel_project_get_shots (self->project),
                                          shots_items_changed_cb, self);
  g_set_object (&self->project, project);
  g_signal_connect_object (reel_project_get_shots (project), "items-changed",
                           G_CALLBACK (shots_items_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_group_set_target (self->project_signals, project);
  reel_inspector_set_project (self->inspector, project);
  reel_timeline_set_project (self->timeline, project);
  _reel_window_start_autosave (self);

  update_main_page (self);
  update_title (self);
  _reel_window_update_actions (self);
  selected_shot_changed_cb (self, NULL, self->timeline);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

gboolean
reel_window_is_pristine (ReelWindow *self)
{
  g_return_val_if_fail (REEL_IS_WINDOW (self), FALSE);

  return reel_project_get_path (self->project) == NULL
         && !_reel_window_has_unsaved_changes (self)
         && !reel_project_get_can_undo (self->project)
         && reel_project_get_n_shots (self->project) == 0;
}

void
reel_window_add_toast (ReelWindow *self,
                       const char *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (REEL_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* Toast titles are markup; file names may hold an ampersand. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  /* Error messages name files and say what to do, so they need longer than the default. */
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
reel_window_show_error (ReelWindow *self,
                        const char *heading,
                        const char *message)
{
  GtkWidget *dialog;

  g_return_if_fail (REEL_IS_WINDOW (self));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ---- */

static void
reel_window_constructed (GObject *object)
{
  ReelWindow *self = REEL_WINDOW (object);

  G_OBJECT_CLASS (reel_window_parent_class)->constructed (object);

  if (self->project == NULL)
    {
      g_autoptr(ReelProject) project = reel_project_new ();

      reel_window_set_project (self, project);
    }
}

static void
reel_window_dispose (GObject *object)
{
  ReelWindow *self = REEL_WINDOW (object);

  _reel_window_stop_autosave (self);
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  if (self->project_signals != NULL)
    g_signal_group_set_target (self->project_signals, NULL);
  if (self->shot_signals != NULL)
    g_signal_group_set_target (self->shot_signals, NULL);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (reel_project_get_shots (self->project),
                                          shots_items_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_WINDOW);

  G_OBJECT_CLASS (reel_window_parent_class)->dispose (object);
}

static void
reel_window_finalize (GObject *object)
{
  ReelWindow *self = REEL_WINDOW (object);

  g_clear_object (&self->project_signals);
  g_clear_object (&self->shot_signals);
  g_clear_object (&self->project);
  g_clear_object (&self->settings);
  g_clear_object (&self->recent_menu);

  G_OBJECT_CLASS (reel_window_parent_class)->finalize (object);
}

static void
reel_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ReelWindow *self = REEL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ReelWindow *self = REEL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      if (g_value_get_object (value) != NULL)
        reel_window_set_project (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_window_class_init (ReelWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = reel_window_constructed;
  object_class->dispose = reel_window_dispose;
  object_class->finalize = reel_window_finalize;
  object_class->get_property = reel_window_get_property;
  object_class->set_property = reel_window_set_property;

  window_class->close_request = reel_window_close_request;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         REEL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (REEL_TYPE_TIMELINE);
  g_type_ensure (REEL_TYPE_INSPECTOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/reelstudio/Reel/reel-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, redo_button);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, inspector_button);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, preview_placeholder);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, inspector);

  _reel_window_class_actions_init (klass);
}

static void
reel_window_init (ReelWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Without the schema (running uninstalled without `meson devenv`) the window still works; it
   * only forgets its size and recent projects. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new (APP_ID);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_signal_connect_object (self->settings, "changed::recent-projects",
                               G_CALLBACK (_reel_window_update_recent_menu), self,
                               G_CONNECT_SWAPPED);
    }
  else
    g_warning ("GSettings schema %s is not installed; window size and recent projects are not "
               "remembered", APP_ID);

  self->recent_menu = g_menu_new ();
  adw_split_button_set_menu_model (self->open_button, G_MENU_MODEL (self->recent_menu));
  _reel_window_update_recent_menu (self);

  self->project_signals = g_signal_group_new (REEL_TYPE_PROJECT);
  g_signal_group_connect_object (self->project_signals, "notify::title",
                                 G_CALLBACK (project_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->project_signals, "notify::path",
                                 G_CALLBACK (project_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->project_signals, "notify::dirty",
                                 G_CALLBACK (project_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->project_signals, "notify::can-undo",
                                 G_CALLBACK (project_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->project_signals, "notify::can-redo",
                                 G_CALLBACK (project_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->project_signals, "notify::undo-label",
                                 G_CALLBACK (project_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->project_signals, "notify::redo-label",
                                 G_CALLBACK (project_notify_cb), self, G_CONNECT_SWAPPED);

  self->shot_signals = g_signal_group_new (REEL_TYPE_SHOT);
  g_signal_group_connect_object (self->shot_signals, "notify::start-image",
                                 G_CALLBACK (shot_picture_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->shot_signals, "notify::selected-take",
                                 G_CALLBACK (shot_picture_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->shot_signals, "notify::title",
                                 G_CALLBACK (shot_picture_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->shot_signals, "notify::prompt",
                                 G_CALLBACK (shot_prompt_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->timeline, "notify::selected-shot",
                           G_CALLBACK (selected_shot_changed_cb), self, G_CONNECT_SWAPPED);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (empty_page_drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->empty_page), GTK_EVENT_CONTROLLER (target));
}
