#define G_LOG_DOMAIN "reel-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-field-binding.h"
#include "reel-image-import.h"
#include "reel-inspector.h"
#include "reel-project-io.h"
#include "reel-thumbnail.h"

/* The start image row shows a 64 × 36 thumbnail; decode at twice that for HiDPI. */
#define START_IMAGE_THUMBNAIL_SIZE 128
/* A default caption lasts two seconds, or the whole shot if that is shorter. */
#define DEFAULT_CAPTION_LENGTH 2.0

struct _ReelInspector
{
  GtkWidget parent_instance;

  /* Template widgets */
  AdwPreferencesPage *page;
  AdwPreferencesGroup *project_group;
  AdwPreferencesGroup *no_shot_group;
  AdwPreferencesGroup *shot_group;
  AdwPreferencesGroup *prompt_group;
  AdwPreferencesGroup *start_image_group;
  AdwPreferencesGroup *camera_group;
  AdwPreferencesGroup *dialogue_group;
  AdwPreferencesGroup *sfx_group;
  AdwPreferencesGroup *music_group;
  AdwPreferencesGroup *text_group;
  AdwPreferencesGroup *takes_group;
  AdwPreferencesGroup *render_group;
  AdwEntryRow *project_title_row;
  AdwEntryRow *title_row;
  AdwEntryRow *style_row;
  AdwEntryRow *music_mood_row;
  GtkSpinButton *duration_spin;
  GtkSpinButton *seed_spin;
  GtkSpinButton *camera_speed_spin;
  GtkSpinButton *lens_spin;
  GtkSpinButton *fps_spin;
  GtkButton *seed_button;
  GtkButton *choose_image_button;
  GtkButton *clear_image_button;
  AdwComboRow *aspect_row;
  AdwComboRow *camera_move_row;
  GtkTextView *prompt_view;
  AdwActionRow *start_image_row;
  GtkPicture *start_image_picture;
  GtkScale *music_intensity_scale;

  /* Owned references */
  ReelProject *project;
  ReelShot *shot;
  GSignalGroup *shot_signals;
  GCancellable *thumbnail_cancellable;
  /* Rows added to the list groups, borrowed from those groups, to remove them on rebuild */
  GPtrArray *dialogue_rows;
  GPtrArray *sfx_rows;
  GPtrArray *text_rows;
  GPtrArray *take_rows;

  /* Borrowed references: each binding belongs to its widget */
  ReelFieldBinding *project_title_binding;
  GPtrArray *shot_bindings;
};

G_DEFINE_FINAL_TYPE (ReelInspector, reel_inspector, GTK_TYPE_WIDGET)

static void
show_toast (ReelInspector *self,
            const char    *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_warning ("%s", message);
      return;
    }
  /* Toast titles are markup; file names may hold an ampersand. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* ---- Small row builders for the cue lists ---- */

static const char *
enum_label (GType type,
            int   value)
{
  if (type == REEL_TYPE_ASPECT)
    return reel_aspect_to_label (value);
  if (type == REEL_TYPE_CAMERA_MOVE)
    return reel_camera_move_to_label (value);
  if (type == REEL_TYPE_TEXT_POSITION)
    return reel_text_position_to_label (value);
  if (type == REEL_TYPE_TEXT_STYLE)
    return reel_text_style_to_label (value);
  g_assert_not_reached ();
}

/* Drop-down items are the enum's values in order, so item i is value i. */
static void
fill_enum_combo (AdwComboRow *row,
                 GType        type)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; i < enum_class->n_values; i++)
    {
      g_assert (enum_class->values[i].value == (int) i);
      gtk_string_list_append (labels, enum_label (type, enum_class->values[i].value));
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
}

static GtkWidget *
entry_row_new (const char *title,
               ReelProject *project,
               gpointer     target,
               const char  *property)
{
  GtkWidget *row = adw_entry_row_new ();
  ReelFieldBinding *binding;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  binding = reel_field_bind_editable (GTK_EDITABLE (row), property);
  reel_field_binding_set_target (binding, project, target);
  return row;
}

static GtkWidget *
seconds_row_new (const char  *title,
                 ReelProject *project,
                 gpointer     target,
                 const char  *property)
{
  GtkWidget *row = adw_action_row_new ();
  GtkAdjustment *adjustment = gtk_adjustment_new (0, 0, REEL_CUE_TIME_MAX, 0.1, 1, 0);
  GtkWidget *spin = gtk_spin_button_new (adjustment, 0.1, 1);
  ReelFieldBinding *binding;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Seconds into the shot"));
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  binding = reel_field_bind_adjustment (spin, adjustment, property);
  reel_field_binding_set_target (binding, project, target);
  return row;
}

static GtkWidget *
enum_row_new (const char  *title,
              GType        type,
              ReelProject *project,
              gpointer     target,
              const char  *property)
{
  GtkWidget *row = adw_combo_row_new ();
  ReelFieldBinding *binding;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  fill_enum_combo (ADW_COMBO_ROW (row), type);
  binding = reel_field_bind_combo_row (ADW_COMBO_ROW (row), property);
  reel_field_binding_set_target (binding, project, target);
  return row;
}

static void
remove_cue_clicked_cb (GtkButton     *button,
                       ReelInspector *self)
{
  GObject *cue = g_object_get_data (G_OBJECT (button), "reel-cue");

  if (self->project != NULL && self->shot != NULL && cue != NULL)
    reel_project_edit_remove_cue (self->project, self->shot, cue);
}

static GtkWidget *
cue_expander_new (ReelInspector *self,
                  GObject       *cue,
                  const char    *remove_label)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  /* Titles show what people typed; markup would misread an ampersand. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  g_object_set_data_full (G_OBJECT (remove), "reel-cue", g_object_ref (cue), g_object_unref);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_cue_clicked_cb), self, 0);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), remove);

  g_object_set_data_full (G_OBJECT (row), "reel-cue", g_object_ref (cue), g_object_unref);
  return row;
}

static gboolean
fallback_title (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      fallback)
{
  const char *text = g_value_get_string (from);

  g_value_set_string (to, text != NULL && *text != '\0' ? text : fallback);
  return TRUE;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
add_placeholder_row (AdwPreferencesGroup *group,
                     GPtrArray           *rows,
                     const char          *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

/* When a cue was just added, open its row and put the cursor in its first field. */
static void
expand_last_row (GPtrArray *rows)
{
  GtkWidget *row;
  GtkWidget *first_field;

  if (rows->len == 0)
    return;
  row = g_ptr_array_index (rows, rows->len - 1);
  if (!ADW_IS_EXPANDER_ROW (row))
    return;
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  first_field = g_object_get_data (G_OBJECT (row), "reel-first-field");
  if (first_field != NULL)
    gtk_widget_grab_focus (first_field);
}

/* ---- Dialogue ---- */

/* A speaker the storyboard already knows brings their voice to a line that has none. */
static void
speaker_focus_leave_cb (GtkEventController *controller,
                        ReelInspector      *self)
{
  GtkWidget *speaker = gtk_event_controller_get_widget (controller);
  ReelDialogueLine *line = g_object_get_data (G_OBJECT (speaker), "reel-cue");
  const char *voice;

  /* Focus also leaves while rows are torn down; that is no edit of the person's. */
  if (self->project == NULL || line == NULL || !gtk_widget_get_mapped (speaker))
    return;
  if (*reel_dialogue_line_get_voice (line) != '\0')
    return;

  voice = reel_project_lookup_voice (self->project, reel_dialogue_line_get_speaker (line));
  if (voice != NULL && *voice != '\0')
    reel_project_edit_set_string (self->project, line, "voice", voice);
}

static void
rebuild_dialogue (ReelInspector *self)
{
  GListModel *lines;

  clear_rows (self->dialogue_group, self->dialogue_rows);
  if (self->shot == NULL)
    return;

  lines = reel_shot_get_dialogue (self->shot);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(ReelDialogueLine) line = g_list_model_get_item (lines, i);
      GtkWidget *row = cue_expander_new (self, G_OBJECT (line), _("Remove the Line"));
      GtkWidget *speaker = entry_row_new (_("Speaker"), self->project, line, "speaker");
      GtkEventController *focus;

      g_object_bind_property_full (line, "speaker", row, "title", G_BINDING_SYNC_CREATE,
                                   fallback_title, NULL, _("Unnamed speaker"), NULL);
      g_object_bind_property (line, "text", row, "subtitle", G_BINDING_SYNC_CREATE);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), speaker);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                entry_row_new (_("Line"), self->project, line, "text"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                entry_row_new (_("Voice"), self->project, line, "voice"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                seconds_row_new (_("Starts At"), self->project, line, "offset"));
      g_object_set_data (G_OBJECT (row), "reel-first-field", speaker);
      g_object_set_data_full (G_OBJECT (speaker), "reel-cue", g_object_ref (line),
                              g_object_unref);
      focus = gtk_event_controller_focus_new ();
      g_signal_connect_object (focus, "leave", G_CALLBACK (speaker_focus_leave_cb), self, 0);
      gtk_widget_add_controller (speaker, focus);

      adw_preferences_group_add (self->dialogue_group, row);
      g_ptr_array_add (self->dialogue_rows, row);
    }

  if (self->dialogue_rows->len == 0)
    add_placeholder_row (self->dialogue_group, self->dialogue_rows, _("No dialogue"));
}

static void
dialogue_changed_cb (ReelInspector *self,
                     guint          position,
                     guint          removed,
                     guint          added)
{
  rebuild_dialogue (self);
  if (added == 1 && removed == 0)
    expand_last_row (self->dialogue_rows);
}

static void
add_dialogue_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ReelInspector *self = REEL_INSPECTOR (widget);
  g_autoptr(ReelDialogueLine) line = NULL;
  GListModel *lines;
  const char *speaker = "";
  const char *voice = "";

  if (self->shot == NULL)
    return;

  /* A conversation usually goes on with the speaker of the previous line. */
  lines = reel_shot_get_dialogue (self->shot);
  if (g_list_model_get_n_items (lines) > 0)
    {
      g_autoptr(ReelDialogueLine) last =
        g_list_model_get_item (lines, g_list_model_get_n_items (lines) - 1);

      speaker = reel_dialogue_line_get_speaker (last);
      voice = reel_dialogue_line_get_voice (last);
    }
  line = reel_dialogue_line_new (speaker, voice, "", 0);
  reel_project_edit_add_cue (self->project, self->shot, G_OBJECT (line));
}

/* ---- Sound effects ---- */

static void
rebuild_sfx (ReelInspector *self)
{
  GListModel *cues;

  clear_rows (self->sfx_group, self->sfx_rows);
  if (self->shot == NULL)
    return;

  cues = reel_shot_get_sfx (self->shot);
  for (guint i = 0; i < g_list_model_get_n_items (cues); i++)
    {
      g_autoptr(ReelSfxCue) cue = g_list_model_get_item (cues, i);
      GtkWidget *row = cue_expander_new (self, G_OBJECT (cue), _("Remove the Sound Effect"));
      GtkWidget *description = entry_row_new (_("Sound"), self->project, cue, "description");

      g_object_bind_property_full (cue, "description", row, "title", G_BINDING_SYNC_CREATE,
                                   fallback_title, NULL, _("Undescribed sound"), NULL);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), description);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                seconds_row_new (_("Starts At"), self->project, cue, "offset"));
      g_object_set_data (G_OBJECT (row), "reel-first-field", description);

      adw_preferences_group_add (self->sfx_group, row);
      g_ptr_array_add (self->sfx_rows, row);
    }

  if (self->sfx_rows->len == 0)
    add_placeholder_row (self->sfx_group, self->sfx_rows, _("No sound effects"));
}

static void
sfx_changed_cb (ReelInspector *self,
                guint          position,
                guint          removed,
                guint          added)
{
  rebuild_sfx (self);
  if (added == 1 && removed == 0)
    expand_last_row (self->sfx_rows);
}

static void
add_sfx_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ReelInspector *self = REEL_INSPECTOR (widget);
  g_autoptr(ReelSfxCue) cue = NULL;

  if (self->shot == NULL)
    return;
  cue = reel_sfx_cue_new ("", 0);
  reel_project_edit_add_cue (self->project, self->shot, G_OBJECT (cue));
}

/* ---- On-screen text ---- */

static void
update_text_subtitle (ReelTextCue *cue,
                      GParamSpec  *pspec,
                      GtkWidget   *row)
{
  g_autofree char *subtitle = NULL;

  /* Translators: when and how a caption shows, e.g. "0.0–2.0 s · Lower third · Bottom". */
  subtitle = g_strdup_printf (_("%.1f–%.1f s · %s · %s"),
                              reel_text_cue_get_start (cue), reel_text_cue_get_end (cue),
                              reel_text_style_to_label (reel_text_cue_get_style (cue)),
                              reel_text_position_to_label (reel_text_cue_get_position (cue)));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
}

static void
rebuild_text_cues (ReelInspector *self)
{
  GListModel *cues;

  clear_rows (self->text_group, self->text_rows);
  if (self->shot == NULL)
    return;

  cues = reel_shot_get_text_cues (self->shot);
  for (guint i = 0; i < g_list_model_get_n_items (cues); i++)
    {
      g_autoptr(ReelTextCue) cue = g_list_model_get_item (cues, i);
      GtkWidget *row = cue_expander_new (self, G_OBJECT (cue), _("Remove the Text"));
      GtkWidget *text = entry_row_new (_("Text"), self->project, cue, "text");

      g_object_bind_property_full (cue, "text", row, "title", G_BINDING_SYNC_CREATE,
                                   fallback_title, NULL, _("Empty text"), NULL);
      g_signal_connect_object (cue, "notify", G_CALLBACK (update_text_subtitle), row, 0);
      update_text_subtitle (cue, NULL, row);

      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), text);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                seconds_row_new (_("Appears At"), self->project, cue, "start"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                seconds_row_new (_("Disappears At"), self->project, cue, "end"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                enum_row_new (_("Style"), REEL_TYPE_TEXT_STYLE,
                                              self->project, cue, "style"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                enum_row_new (_("Position"), REEL_TYPE_TEXT_POSITION,
                                              self->project, cue, "position"));
      g_object_set_data (G_OBJECT (row), "reel-first-field", text);

      adw_preferences_group_add (self->text_group, row);
      g_ptr_array_add (self->text_rows, row);
    }

  if (self->text_rows->len == 0)
    add_placeholder_row (self->text_group, self->text_rows, _("No titles or captions"));
}

static void
text_cues_changed_cb (ReelInspector *self,
                      guint          position,
                      guint          removed,
                      guint          added)
{
  rebuild_text_cues (self);
  if (added == 1 && removed == 0)
    expand_last_row (self->text_rows);
}

static void
add_text_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ReelInspector *self = REEL_INSPECTOR (widget);
  g_autoptr(ReelTextCue) cue = NULL;

  if (self->shot == NULL)
    return;
  cue = reel_text_cue_new ("", 0,
                           MIN (DEFAULT_CAPTION_LENGTH, reel_shot_get_duration (self->shot)));
  reel_project_edit_add_cue (self->project, self->shot, G_OBJECT (cue));
}

/* ---- Takes ---- */

static void
take_row_activated_cb (AdwActionRow  *row,
                       ReelInspector *self)
{
  ReelTake *take = g_object_get_data (G_OBJECT (row), "reel-take");

  if (self->shot != NULL && take != NULL && take != reel_shot_get_selected_take (self->shot))
    reel_project_edit_select_take (self->project, self->shot, take);
}

/* Takes are numbered in the order they were made, which is their order in the list. */
static int
take_number (GListModel *takes,
             const char *take_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (takes); i++)
    {
      g_autoptr(ReelTake) take = g_list_model_get_item (takes, i);

      if (g_strcmp0 (reel_take_get_id (take), take_id) == 0)
        return i + 1;
    }
  return 0;
}

static void
add_take_rows (ReelInspector *self,
               GListModel    *takes,
               const char    *parent_id,
               guint          depth)
{
  ReelTake *selected = reel_shot_get_selected_take (self->shot);

  for (guint i = 0; i < g_list_model_get_n_items (takes); i++)
    {
      g_autoptr(ReelTake) take = g_list_model_get_item (takes, i);
      const char *take_parent = reel_take_get_parent_id (take);
      g_autofree char *title = NULL;
      g_autofree char *created = NULL;
      GtkWidget *row;
      GtkWidget *check;

      /* Roots are takes without a parent, or whose parent is gone from the list. */
      if (parent_id == NULL)
        {
          if (take_parent != NULL && reel_shot_find_take (self->shot, take_parent) != NULL)
            continue;
        }
      else if (g_strcmp0 (take_parent, parent_id) != 0)
        continue;

      row = adw_action_row_new ();
      /* Translators: a take's name in the take list, numbered in the order they were made. */
      title = g_strdup_printf (_("Take %u"), i + 1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      /* Translators: date and time format for a take, see g_date_time_format(). */
      created = g_date_time_format (reel_take_get_created (take), _("%e %b %Y, %H:%M"));
      if (parent_id != NULL)
        {
          g_autofree char *subtitle = NULL;
          int parent_number = take_number (takes, parent_id);

          /* Translators: a remixed take's subtitle: "Remix of take 2 · 25 Nov 2026, 14:40". */
          subtitle = g_strdup_printf (_("Remix of take %d · %s"), parent_number,
                                      g_strstrip (created));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), g_strstrip (created));

      check = gtk_image_new_from_icon_name ("object-select-symbolic");
      gtk_widget_set_opacity (check, take == selected ? 1.0 : 0.0);
      /* Remixes sit under the take they came from. */
      gtk_widget_set_margin_start (check, 18 * depth);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      if (take == selected)
        gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_SELECTED, TRUE,
                                     -1);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "reel-take", g_object_ref (take), g_object_unref);
      g_signal_connect_object (row, "activated", G_CALLBACK (take_row_activated_cb), self, 0);

      adw_preferences_group_add (self->takes_group, row);
      g_ptr_array_add (self->take_rows, row);

      add_take_rows (self, takes, reel_take_get_id (take), depth + 1);
    }
}

static void
rebuild_takes (ReelInspector *self)
{
  clear_rows (self->takes_group, self->take_rows);
  if (self->shot == NULL)
    return;

  add_take_rows (self, reel_shot_get_takes (self->shot), NULL, 0);
  if (self->take_rows->len == 0)
    add_placeholder_row (self->takes_group, self->take_rows, _("No takes yet"));
}

/* ---- Start image ---- */

static void
start_image_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(ReelInspector) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = reel_thumbnail_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_picture_set_paintable (self->start_image_picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->start_image_picture), texture != NULL);
  if (texture == NULL)
    adw_action_row_set_subtitle (self->start_image_row, error->message);
}

static void
update_start_image (ReelInspector *self)
{
  const char *name = self->shot ? reel_shot_get_start_image (self->shot) : NULL;
  g_autoptr(GFile) file = NULL;

  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspector.clear-image", name != NULL);
  if (name == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->start_image_row),
                                     _("No start image"));
      adw_action_row_set_subtitle (self->start_image_row,
                                   _("The shot starts from its prompt alone"));
      gtk_picture_set_paintable (self->start_image_picture, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->start_image_picture), FALSE);
      return;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->start_image_row),
                                 _("Starts from an image"));
  /* The media name is the image's content hash, which tells two images apart. */
  adw_action_row_set_subtitle (self->start_image_row, name);

  file = reel_project_get_media_file (self->project, name);
  if (file == NULL)
    return;
  self->thumbnail_cancellable = g_cancellable_new ();
  reel_thumbnail_load_async (file, START_IMAGE_THUMBNAIL_SIZE, self->thumbnail_cancellable,
                             start_image_loaded_cb, g_object_ref (self));
}

typedef struct
{
  GWeakRef inspector;
  ReelShot *shot;
} ChosenImage;

static void
chosen_image_free (ChosenImage *chosen)
{
  g_weak_ref_clear (&chosen->inspector);
  g_clear_object (&chosen->shot);
  g_free (chosen);
}

static void
chosen_image_imported_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  ChosenImage *chosen = user_data;
  g_autoptr(ReelInspector) self = g_weak_ref_get (&chosen->inspector);
  ReelProject *project = REEL_PROJECT (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *media_name = reel_image_import_finish (project, result, &error);

  /* If the inspector closed, or the shot was deleted, while the file was copied, the copy
   * just stays unused. */
  if (self != NULL)
    {
      if (media_name == NULL)
        show_toast (self, error->message);
      else if (reel_project_get_shot_position (project, chosen->shot) >= 0)
        reel_project_edit_set_start_image_name (project, chosen->shot, media_name);
    }
  chosen_image_free (chosen);
}

static void
choose_image_response_cb (GtkNativeDialog *chooser,
                          int              response,
                          ReelInspector   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  ChosenImage *chosen;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);

  if (file == NULL || self->shot == NULL)
    return;

  /* A never-saved project's first image also creates its media folder: only the model can. */
  if (!reel_image_import_can_run (self->project))
    {
      if (!reel_project_edit_set_start_image (self->project, self->shot, file, &error))
        show_toast (self, error->message);
      return;
    }

  chosen = g_new0 (ChosenImage, 1);
  g_weak_ref_init (&chosen->inspector, self);
  chosen->shot = g_object_ref (self->shot);
  reel_image_import_async (self->project, file, NULL, chosen_image_imported_cb, chosen);
}

static void
choose_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ReelInspector *self = REEL_INSPECTOR (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a Start Image"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (choose_image_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
clear_image_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ReelInspector *self = REEL_INSPECTOR (widget);

  if (self->shot != NULL)
    reel_project_edit_set_start_image (self->project, self->shot, NULL, NULL);
}

static void
random_seed_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ReelInspector *self = REEL_INSPECTOR (widget);

  if (self->shot == NULL)
    return;
  reel_project_edit_set_int (self->project, self->shot, "seed", g_random_int ());
  reel_project_break_coalescing (self->project);
}

/* ---- Showing a shot ---- */

static void
connect_list (ReelInspector *self,
              GListModel    *list,
              GCallback      callback)
{
  g_signal_connect_object (list, "items-changed", callback, self, G_CONNECT_SWAPPED);
}

static void
disconnect_lists (ReelInspector *self)
{
  if (self->shot == NULL)
    return;
  g_signal_handlers_disconnect_by_data (reel_shot_get_dialogue (self->shot), self);
  g_signal_handlers_disconnect_by_data (reel_shot_get_sfx (self->shot), self);
  g_signal_handlers_disconnect_by_data (reel_shot_get_text_cues (self->shot), self);
  g_signal_handlers_disconnect_by_data (reel_shot_get_takes (self->shot), self);
}

static void
update_visibility (ReelInspector *self)
{
  gboolean has_shot = self->shot != NULL;
  AdwPreferencesGroup *shot_groups[] = {
    self->shot_group, self->prompt_group, self->start_image_group, self->camera_group,
    self->dialogue_group, self->sfx_group, self->music_group, self->text_group,
    self->takes_group,
  };

  gtk_widget_set_visible (GTK_WIDGET (self->no_shot_group), !has_shot);
  for (guint i = 0; i < G_N_ELEMENTS (shot_groups); i++)
    gtk_widget_set_visible (GTK_WIDGET (shot_groups[i]), has_shot);
  gtk_widget_set_visible (GTK_WIDGET (self->project_group), self->project != NULL);
}

static void
update_shot_heading (ReelInspector *self)
{
  g_autofree char *heading = NULL;
  int position;

  if (self->shot == NULL || self->project == NULL)
    return;
  position = reel_project_get_shot_position (self->project, self->shot);
  /* Translators: the inspector's heading for the shot being edited, e.g. "Shot 3". */
  heading = g_strdup_printf (_("Shot %d"), position + 1);
  adw_preferences_group_set_title (self->shot_group, heading);
}

void
reel_inspector_set_shot (ReelInspector *self,
                         ReelShot      *shot)
{
  g_return_if_fail (REEL_IS_INSPECTOR (self));
  g_return_if_fail (shot == NULL || REEL_IS_SHOT (shot));

  if (self->shot == shot)
    return;

  /* Whatever was being typed into the previous shot is finished. */
  if (self->project != NULL)
    reel_project_break_coalescing (self->project);

  disconnect_lists (self);
  g_set_object (&self->shot, shot);
  g_signal_group_set_target (self->shot_signals, shot);

  for (guint i = 0; i < self->shot_bindings->len; i++)
    reel_field_binding_set_target (g_ptr_array_index (self->shot_bindings, i),
                                   shot ? self->project : NULL, shot);

  if (shot != NULL)
    {
      connect_list (self, reel_shot_get_dialogue (shot), G_CALLBACK (dialogue_changed_cb));
      connect_list (self, reel_shot_get_sfx (shot), G_CALLBACK (sfx_changed_cb));
      connect_list (self, reel_shot_get_text_cues (shot), G_CALLBACK (text_cues_changed_cb));
      connect_list (self, reel_shot_get_takes (shot), G_CALLBACK (rebuild_takes));
    }

  rebuild_dialogue (self);
  rebuild_sfx (self);
  rebuild_text_cues (self);
  rebuild_takes (self);
  update_start_image (self);
  update_shot_heading (self);
  update_visibility (self);
}

ReelShot *
reel_inspector_get_shot (ReelInspector *self)
{
  g_return_val_if_fail (REEL_IS_INSPECTOR (self), NULL);

  return self->shot;
}

void
reel_inspector_set_project (ReelInspector *self,
                            ReelProject   *project)
{
  g_return_if_fail (REEL_IS_INSPECTOR (self));
  g_return_if_fail (project == NULL || REEL_IS_PROJECT (project));

  if (self->project == project)
    return;

  reel_inspector_set_shot (self, NULL);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_set_object (&self->project, project);
  if (project != NULL)
    g_signal_connect_object (project, "changed", G_CALLBACK (update_shot_heading), self,
                             G_CONNECT_SWAPPED);
  reel_field_binding_set_target (self->project_title_binding, project, project);
  update_visibility (self);
}

void
reel_inspector_focus_title (ReelInspector *self)
{
  g_return_if_fail (REEL_IS_INSPECTOR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

GtkTextView *
reel_inspector_get_prompt_view (ReelInspector *self)
{
  g_return_val_if_fail (REEL_IS_INSPECTOR (self), NULL);

  return self->prompt_view;
}

/* ---- GObject ---- */

static void
reel_inspector_dispose (GObject *object)
{
  GtkWidget *child;
  ReelInspector *self = REEL_INSPECTOR (object);

  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  disconnect_lists (self);
  if (self->shot_signals != NULL)
    g_signal_group_set_target (self->shot_signals, NULL);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_clear_object (&self->shot);
  g_clear_object (&self->project);

  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_INSPECTOR);
  /* The template's unnamed top-level child is not a template child and needs unparenting. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (reel_inspector_parent_class)->dispose (object);
}

static void
reel_inspector_finalize (GObject *object)
{
  ReelInspector *self = REEL_INSPECTOR (object);

  g_clear_object (&self->shot_signals);
  g_clear_pointer (&self->dialogue_rows, g_ptr_array_unref);
  g_clear_pointer (&self->sfx_rows, g_ptr_array_unref);
  g_clear_pointer (&self->text_rows, g_ptr_array_unref);
  g_clear_pointer (&self->take_rows, g_ptr_array_unref);
  g_clear_pointer (&self->shot_bindings, g_ptr_array_unref);

  G_OBJECT_CLASS (reel_inspector_parent_class)->finalize (object);
}

static void
reel_inspector_class_init (ReelInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_inspector_dispose;
  object_class->finalize = reel_inspector_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reelinspector");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/reelstudio/Reel/reel-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, page);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, project_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, no_shot_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, shot_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, prompt_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, start_image_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, camera_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, dialogue_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, sfx_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, music_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, text_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, takes_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, render_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, project_title_row);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, title_row);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, style_row);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, music_mood_row);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, camera_speed_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, lens_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, fps_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, seed_button);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, choose_image_button);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, clear_image_button);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, aspect_row);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, camera_move_row);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, start_image_row);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, start_image_picture);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, music_intensity_scale);

  gtk_widget_class_install_action (widget_class, "inspector.add-dialogue", NULL,
                                   add_dialogue_action);
  gtk_widget_class_install_action (widget_class, "inspector.add-sfx", NULL, add_sfx_action);
  gtk_widget_class_install_action (widget_class, "inspector.add-text", NULL, add_text_action);
  gtk_widget_class_install_action (widget_class, "inspector.choose-image", NULL,
                                   choose_image_action);
  gtk_widget_class_install_action (widget_class, "inspector.clear-image", NULL,
                                   clear_image_action);
  gtk_widget_class_install_action (widget_class, "inspector.random-seed", NULL,
                                   random_seed_action);
}

static void
bind_shot_field (ReelInspector    *self,
                 ReelFieldBinding *binding)
{
  g_ptr_array_add (self->shot_bindings, binding);
}

static void
bind_shot_spin (ReelInspector *self,
                GtkSpinButton *spin,
                const char    *property)
{
  bind_shot_field (self, reel_field_bind_adjustment (GTK_WIDGET (spin),
                                                     gtk_spin_button_get_adjustment (spin),
                                                     property));
}

static void
reel_inspector_init (ReelInspector *self)
{
  GtkAdjustment *intensity;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->dialogue_rows = g_ptr_array_new ();
  self->sfx_rows = g_ptr_array_new ();
  self->text_rows = g_ptr_array_new ();
  self->take_rows = g_ptr_array_new ();
  self->shot_bindings = g_ptr_array_new ();

  fill_enum_combo (self->aspect_row, REEL_TYPE_ASPECT);
  fill_enum_combo (self->camera_move_row, REEL_TYPE_CAMERA_MOVE);

  self->project_title_binding =
    reel_field_bind_editable (GTK_EDITABLE (self->project_title_row), "title");
  bind_shot_field (self, reel_field_bind_editable (GTK_EDITABLE (self->title_row), "title"));
  bind_shot_field (self, reel_field_bind_editable (GTK_EDITABLE (self->style_row), "style"));
  bind_shot_field (self, reel_field_bind_editable (GTK_EDITABLE (self->music_mood_row),
                                                   "music-mood"));
  bind_shot_field (self, reel_field_bind_text_view (self->prompt_view, "prompt"));
  bind_shot_spin (self, self->duration_spin, "duration");
  bind_shot_spin (self, self->seed_spin, "seed");
  bind_shot_spin (self, self->camera_speed_spin, "camera-speed");
  bind_shot_spin (self, self->lens_spin, "lens-mm");
  bind_shot_spin (self, self->fps_spin, "fps");
  intensity = gtk_range_get_adjustment (GTK_RANGE (self->music_intensity_scale));
  bind_shot_field (self,
                   reel_field_bind_adjustment (GTK_WIDGET (self->music_intensity_scale),
                                               intensity, "music-intensity"));
  bind_shot_field (self, reel_field_bind_combo_row (self->aspect_row, "aspect"));
  bind_shot_field (self, reel_field_bind_combo_row (self->camera_move_row, "camera-move"));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->seed_button), "inspector.random-seed");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->choose_image_button),
                                  "inspector.choose-image");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->clear_image_button),
                                  "inspector.clear-image");

  self->shot_signals = g_signal_group_new (REEL_TYPE_SHOT);
  g_signal_group_connect_object (self->shot_signals, "notify::start-image",
                                 G_CALLBACK (update_start_image), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->shot_signals, "notify::selected-take",
                                 G_CALLBACK (rebuild_takes), self, G_CONNECT_SWAPPED);

  update_visibility (self);
}
