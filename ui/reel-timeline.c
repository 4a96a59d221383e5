#define G_LOG_DOMAIN "reel-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-image-import.h"
#include "reel-timeline.h"

struct _ReelTimeline
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkLabel *summary_label;
  GtkSpinner *import_spinner;
  GtkScrolledWindow *scroller;
  GtkListView *list_view;

  /* Owned references */
  ReelProject *project;
  GtkSingleSelection *selection;
  GCancellable *import_cancellable;

  /* Borrowed references */
  ReelShot *selected_shot;

  /* Drops whose images are still being copied */
  guint n_importing;
};

G_DEFINE_FINAL_TYPE (ReelTimeline, reel_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_SHOT,
  PROP_IMPORTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
n_shots (ReelTimeline *self)
{
  return self->project ? reel_project_get_n_shots (self->project) : 0;
}

static void
update_actions (ReelTimeline *self)
{
  guint n = n_shots (self);
  guint selected = reel_timeline_get_selected_position (self);
  gboolean has_selection = selected != GTK_INVALID_LIST_POSITION;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.add-shot", self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.duplicate-shot", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.delete-shot", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.move-left",
                                 has_selection && selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.move-right",
                                 has_selection && selected + 1 < n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.move-shot", n > 1);
}

static void
update_summary (ReelTimeline *self)
{
  g_autofree char *summary = NULL;
  g_autofree char *shots = NULL;
  guint n = n_shots (self);

  if (self->project == NULL)
    {
      gtk_label_set_text (self->summary_label, NULL);
      return;
    }

  shots = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shot", "%u shots", n), n);
  /* Translators: the timeline summary, e.g. "5 shots · 24.0 s in total". */
  summary = g_strdup_printf (_("%s · %.1f s in total"), shots,
                             reel_project_get_total_duration (self->project));
  gtk_label_set_text (self->summary_label, summary);
}

static void
selection_changed_cb (ReelTimeline *self)
{
  ReelShot *shot = NULL;

  if (self->selection != NULL)
    shot = gtk_single_selection_get_selected_item (self->selection);

  update_actions (self);
  if (shot == self->selected_shot)
    return;

  self->selected_shot = shot;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SHOT]);
}

static void
shots_changed_cb (ReelTimeline *self)
{
  update_summary (self);
  update_actions (self);
}

static void
show_toast (ReelTimeline *self,
            const char   *message)
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
  /* The message names a file and says what to do: give people time to read it. */
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
scroll_to (ReelTimeline *self,
           guint         position)
{
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                              position);
}

/* ---- Shot actions ---- */

static void
add_shot_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ReelTimeline *self = REEL_TIMELINE (widget);
  guint selected = reel_timeline_get_selected_position (self);
  guint position = selected == GTK_INVALID_LIST_POSITION ? n_shots (self) : selected + 1;

  reel_project_edit_add_shot (self->project, position, NULL);
  reel_timeline_select (self, position);
}

static void
duplicate_shot_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ReelTimeline *self = REEL_TIMELINE (widget);
  guint selected = reel_timeline_get_selected_position (self);

  if (selected == GTK_INVALID_LIST_POSITION)
    return;

  reel_project_edit_duplicate_shot (self->project, selected);
  reel_timeline_select (self, selected + 1);
}

static void
delete_shot_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ReelTimeline *self = REEL_TIMELINE (widget);
  guint selected = reel_timeline_get_selected_position (self);
  g_autofree char *title = NULL;
  GtkWidget *overlay;
  ReelShot *shot;
  guint n;

  if (selected == GTK_INVALID_LIST_POSITION)
    return;

  shot = reel_project_get_shot (self->project, selected);
  title = g_strdup (reel_shot_get_title (shot));
  reel_project_edit_remove_shot (self->project, selected);
  n = n_shots (self);

  /* Deleting is one key away, so offer the way back right where the eye is. */
  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    {
      AdwToast *toast;

      if (*title != '\0')
        {
          g_autofree char *escaped = g_markup_escape_text (title, -1);

          /* Translators: a notification after deleting a shot, with an Undo button. */
          toast = adw_toast_new_format (_("“%s” deleted"), escaped);
        }
      else
        toast = adw_toast_new (_("Shot deleted"));
      /* The way back matters now, not after older messages have timed out. */
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "win.undo");
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }

  /* Keep the selection where the deleted shot was, so Delete can be pressed repeatedly. */
  if (n > 0)
    reel_timeline_select (self, MIN (selected, n - 1));
}

static void
move_shot (ReelTimeline *self,
           guint         from,
           guint         to)
{
  guint n = n_shots (self);

  if (from >= n || to >= n || from == to)
    return;

  reel_project_edit_move_shot (self->project, from, to);
  reel_timeline_select (self, to);
}

static void
move_shot_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  guint from, to;

  g_variant_get (parameter, "(uu)", &from, &to);
  move_shot (REEL_TIMELINE (widget), from, to);
}

static void
move_left_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ReelTimeline *self = REEL_TIMELINE (widget);
  guint selected = reel_timeline_get_selected_position (self);

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    gtk_widget_activate_action (widget, "timeline.move-shot", "(uu)", selected, selected - 1);
}

static void
move_right_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ReelTimeline *self = REEL_TIMELINE (widget);
  guint selected = reel_timeline_get_selected_position (self);

  if (selected != GTK_INVALID_LIST_POSITION && selected + 1 < n_shots (self))
    gtk_widget_activate_action (widget, "timeline.move-shot", "(uu)", selected, selected + 1);
}

/* ---- Drops ---- */

static char *
title_from_file (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  char *dot = strrchr (basename, '.');

  if (dot != NULL && dot != basename)
    *dot = '\0';
  return g_steal_pointer (&basename);
}

/* Files dropped together are copied one after the other, so that the shots they start keep
 * the order the files came in. */
typedef struct
{
  GWeakRef timeline;
  ReelProject *project;
  /* The shot the first file was dropped on, until that file is dealt with */
  ReelShot *target;
  GQueue files;
  GFile *current;
  guint insert_at;
  guint last_used;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_weak_ref_clear (&job->timeline);
  g_clear_object (&job->project);
  g_clear_object (&job->target);
  g_clear_object (&job->current);
  g_queue_clear_full (&job->files, g_object_unref);
  g_free (job);
}

static void
set_importing (ReelTimeline *self,
               int           delta)
{
  gboolean was_importing = self->n_importing > 0;

  self->n_importing += delta;
  gtk_widget_set_visible (GTK_WIDGET (self->import_spinner), self->n_importing > 0);
  gtk_spinner_set_spinning (self->import_spinner, self->n_importing > 0);
  if (was_importing != (self->n_importing > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
}

/* Where the file goes: the dropped-on shot if it is still there, else a new shot. */
static void
use_image (ImportJob    *job,
           ReelTimeline *self,
           GFile        *file,
           const char   *media_name)
{
  g_autofree char *title = title_from_file (file);
  g_autoptr(GError) error = NULL;
  guint position;
  ReelShot *shot;

  if (job->target != NULL)
    {
      g_autoptr(ReelShot) target = g_steal_pointer (&job->target);
      int target_position = reel_project_get_shot_position (job->project, target);

      if (target_position >= 0)
        {
          if (media_name != NULL)
            reel_project_edit_set_start_image_name (job->project, target, media_name);
          else if (!reel_project_edit_set_start_image (job->project, target, file, &error))
            {
              show_toast (self, error->message);
              return;
            }
          job->last_used = target_position;
          job->insert_at = target_position + 1;
          return;
        }
      /* The shot was deleted while its image was being copied: start a new one instead. */
    }

  position = MIN (job->insert_at, n_shots (self));
  if (media_name != NULL)
    {
      reel_project_begin_group (job->project, _("Add shot from image"));
      shot = reel_project_edit_add_shot (job->project, position, NULL);
      reel_project_edit_set_string (job->project, shot, "title", title);
      reel_project_edit_set_start_image_name (job->project, shot, media_name);
      reel_project_end_group (job->project);
    }
  else if (reel_project_edit_add_shot_from_image (job->project, position, file, title,
                                                  &error) == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  job->last_used = position;
  job->insert_at = position + 1;
}

static void import_done_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data);

static void
import_next (ImportJob    *job,
             ReelTimeline *self)
{
  GFile *file;

  while ((file = g_queue_pop_head (&job->files)) != NULL)
    {
      g_autoptr(GFile) owned = file;

      if (reel_image_import_can_run (job->project))
        {
          job->current = g_steal_pointer (&owned);
          reel_image_import_async (job->project, job->current, self->import_cancellable,
                                   import_done_cb, job);
          return;
        }

      /* A never-saved project gets its media folder from its first import, which only the
       * model can create; that one file is copied on the spot. */
      use_image (job, self, file, NULL);
    }

  if (job->last_used != GTK_INVALID_LIST_POSITION)
    reel_timeline_select (self, job->last_used);
  import_job_free (job);
  set_importing (self, -1);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ImportJob *job = user_data;
  g_autoptr(ReelTimeline) self = g_weak_ref_get (&job->timeline);
  g_autoptr(GFile) file = g_steal_pointer (&job->current);
  g_autoptr(GError) error = NULL;
  g_autofree char *media_name = NULL;

  media_name = reel_image_import_finish (job->project, result, &error);

  /* The window closed or shows another project: the copied file just stays unused. */
  if (self == NULL || self->project != job->project
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      import_job_free (job);
      if (self != NULL)
        set_importing (self, -1);
      return;
    }

  if (media_name != NULL)
    use_image (job, self, file, media_name);
  else
    {
      /* The first file failed: any others become new shots after the dropped-on one. */
      g_clear_object (&job->target);
      show_toast (self, error->message);
    }
  import_next (job, self);
}

gboolean
reel_timeline_import_files (ReelTimeline *self,
                            GSList       *files,
                            guint         position,
                            gboolean      onto_shot)
{
  ImportJob *job;

  g_return_val_if_fail (REEL_IS_TIMELINE (self), FALSE);

  if (self->project == NULL || files == NULL)
    return FALSE;

  job = g_new0 (ImportJob, 1);
  g_weak_ref_init (&job->timeline, self);
  job->project = g_object_ref (self->project);
  job->insert_at = MIN (position, n_shots (self));
  job->last_used = GTK_INVALID_LIST_POSITION;
  if (onto_shot && job->insert_at < n_shots (self))
    {
      job->target = g_object_ref (reel_project_get_shot (self->project, job->insert_at));
      job->insert_at++;
    }
  for (GSList *l = files; l != NULL; l = l->next)
    g_queue_push_tail (&job->files, g_object_ref (l->data));

  set_importing (self, +1);
  import_next (job, self);
  return TRUE;
}

gboolean
reel_timeline_get_importing (ReelTimeline *self)
{
  g_return_val_if_fail (REEL_IS_TIMELINE (self), FALSE);

  return self->n_importing > 0;
}

static gboolean
card_files_dropped_cb (ReelShotCard *card,
                       GSList       *files,
                       ReelTimeline *self)
{
  return reel_timeline_import_files (self, files, reel_shot_card_get_position (card), TRUE);
}

static void
card_shot_dropped_cb (ReelShotCard *card,
                      ReelShot     *shot,
                      ReelTimeline *self)
{
  int from = reel_project_get_shot_position (self->project, shot);

  if (from < 0)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "timeline.move-shot", "(uu)",
                              (guint) from, reel_shot_card_get_position (card));
}

/* Drops beside the cards: files become new shots at the end, a card moves to the end. */
static gboolean
strip_drop_cb (GtkDropTarget *target,
               const GValue  *value,
               double         x,
               double         y,
               ReelTimeline  *self)
{
  if (self->project == NULL)
    return FALSE;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      g_autoptr(GSList) files = gdk_file_list_get_files (g_value_get_boxed (value));

      return reel_timeline_import_files (self, files, G_MAXUINT, FALSE);
    }

  if (G_VALUE_HOLDS (value, REEL_TYPE_SHOT))
    {
      int from = reel_project_get_shot_position (self->project, g_value_get_object (value));
      guint n = n_shots (self);

      /* Dropped beside itself at the end: nothing moves. */
      if (from < 0 || (guint) from + 1 >= n)
        return FALSE;
      gtk_widget_activate_action (GTK_WIDGET (self), "timeline.move-shot", "(uu)",
                                  (guint) from, n - 1);
      return TRUE;
    }

  return FALSE;
}

/* ---- List item factory ---- */

static void
update_card_position (GtkListItem *item,
                      GParamSpec  *pspec,
                      gpointer     user_data)
{
  GtkWidget *card = gtk_list_item_get_child (item);
  guint position = gtk_list_item_get_position (item);

  if (card != NULL && position != GTK_INVALID_LIST_POSITION)
    reel_shot_card_set_position (REEL_SHOT_CARD (card), position);
}

static void
setup_card_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               ReelTimeline             *self)
{
  GtkWidget *card = reel_shot_card_new ();

  g_signal_connect_object (card, "files-dropped", G_CALLBACK (card_files_dropped_cb), self, 0);
  g_signal_connect_object (card, "shot-dropped", G_CALLBACK (card_shot_dropped_cb), self, 0);
  /* Moving a shot renumbers the cards around it without rebinding them. */
  g_signal_connect (item, "notify::position", G_CALLBACK (update_card_position), NULL);
  gtk_list_item_set_child (item, card);
}

static void
bind_card_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              ReelTimeline             *self)
{
  ReelShotCard *card = REEL_SHOT_CARD (gtk_list_item_get_child (item));

  reel_shot_card_bind (card, self->project, gtk_list_item_get_item (item));
  update_card_position (item, NULL, NULL);
}

static void
unbind_card_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                ReelTimeline             *self)
{
  reel_shot_card_unbind (REEL_SHOT_CARD (gtk_list_item_get_child (item)));
}

/* ---- Public API ---- */

void
reel_timeline_set_project (ReelTimeline *self,
                           ReelProject  *project)
{
  GListModel *shots;

  g_return_if_fail (REEL_IS_TIMELINE (self));
  g_return_if_fail (project == NULL || REEL_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (reel_project_get_shots (self->project),
                                          shots_changed_cb, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, selection_changed_cb, self);
  /* Images still being copied belong to the old project. */
  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  self->import_cancellable = g_cancellable_new ();
  gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  g_set_object (&self->project, project);

  if (project != NULL)
    {
      shots = reel_project_get_shots (project);
      self->selection = gtk_single_selection_new (g_object_ref (shots));
      gtk_single_selection_set_autoselect (self->selection, TRUE);
      gtk_single_selection_set_can_unselect (self->selection, FALSE);
      g_signal_connect_object (self->selection, "notify::selected-item",
                               G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
      /* Durations change the summary without changing the list. */
      g_signal_connect_object (shots, "items-changed", G_CALLBACK (shots_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (project, "changed", G_CALLBACK (shots_changed_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
    }

  update_summary (self);
  selection_changed_cb (self);
}

ReelShot *
reel_timeline_get_selected_shot (ReelTimeline *self)
{
  g_return_val_if_fail (REEL_IS_TIMELINE (self), NULL);

  return self->selected_shot;
}

guint
reel_timeline_get_selected_position (ReelTimeline *self)
{
  g_return_val_if_fail (REEL_IS_TIMELINE (self), GTK_INVALID_LIST_POSITION);

  if (self->selection == NULL)
    return GTK_INVALID_LIST_POSITION;
  return gtk_single_selection_get_selected (self->selection);
}

void
reel_timeline_select (ReelTimeline *self,
                      guint         position)
{
  g_return_if_fail (REEL_IS_TIMELINE (self));

  if (self->selection == NULL || position >= n_shots (self))
    return;

  gtk_single_selection_set_selected (self->selection, position);
  scroll_to (self, position);
}

ReelShotCard *
reel_timeline_get_card (ReelTimeline *self,
                        guint         position)
{
  g_return_val_if_fail (REEL_IS_TIMELINE (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *card = gtk_widget_get_first_child (row);

      if (REEL_IS_SHOT_CARD (card)
          && reel_shot_card_get_shot (REEL_SHOT_CARD (card)) != NULL
          && reel_shot_card_get_position (REEL_SHOT_CARD (card)) == position)
        return REEL_SHOT_CARD (card);
    }
  return NULL;
}

/* ---- GObject ---- */

static void
reel_timeline_dispose (GObject *object)
{
  GtkWidget *child;
  ReelTimeline *self = REEL_TIMELINE (object);

  reel_timeline_set_project (self, NULL);
  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_TIMELINE);
  /* The template's unnamed top-level child is not a template child and needs unparenting. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (reel_timeline_parent_class)->dispose (object);
}

static void
reel_timeline_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ReelTimeline *self = REEL_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_SHOT:
      g_value_set_object (value, self->selected_shot);
      break;

    case PROP_IMPORTING:
      g_value_set_boolean (value, self->n_importing > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_timeline_class_init (ReelTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_timeline_dispose;
  object_class->get_property = reel_timeline_get_property;

  properties[PROP_SELECTED_SHOT] =
    g_param_spec_object ("selected-shot", NULL, NULL,
                         REEL_TYPE_SHOT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IMPORTING] =
    g_param_spec_boolean ("importing", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reeltimeline");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/reelstudio/Reel/reel-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelTimeline, summary_label);
  gtk_widget_class_bind_template_child (widget_class, ReelTimeline, import_spinner);
  gtk_widget_class_bind_template_child (widget_class, ReelTimeline, scroller);
  gtk_widget_class_bind_template_child (widget_class, ReelTimeline, list_view);

  gtk_widget_class_install_action (widget_class, "timeline.add-shot", NULL, add_shot_action);
  gtk_widget_class_install_action (widget_class, "timeline.duplicate-shot", NULL,
                                   duplicate_shot_action);
  gtk_widget_class_install_action (widget_class, "timeline.delete-shot", NULL,
                                   delete_shot_action);
  gtk_widget_class_install_action (widget_class, "timeline.move-left", NULL, move_left_action);
  gtk_widget_class_install_action (widget_class, "timeline.move-right", NULL, move_right_action);
  gtk_widget_class_install_action (widget_class, "timeline.move-shot", "(uu)", move_shot_action);

  /* These act on the selected shot, so they only apply while the timeline has the focus:
   * in a text field, Delete and Ctrl+D keep their usual meaning. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "timeline.delete-shot", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0,
                                       "timeline.delete-shot", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "timeline.duplicate-shot", NULL);
}

static void
reel_timeline_init (ReelTimeline *self)
{
  GtkListItemFactory *factory;
  GtkDropTarget *target;
  GtkEventController *shortcuts;
  GType drop_types[] = { GDK_TYPE_FILE_LIST, G_TYPE_INVALID };

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_card_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_card_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_card_cb), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  drop_types[1] = REEL_TYPE_SHOT;
  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE);
  gtk_drop_target_set_gtypes (target, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect_object (target, "drop", G_CALLBACK (strip_drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), GTK_EVENT_CONTROLLER (target));

  /* The list view itself binds Ctrl+Shift+arrows to extending the cursor; the timeline takes
   * them first (capture phase) to move the selected shot instead. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Left, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                      gtk_named_action_new ("timeline.move-left")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Right, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                      gtk_named_action_new ("timeline.move-right")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  update_actions (self);
}
