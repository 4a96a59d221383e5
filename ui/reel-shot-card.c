#define G_LOG_DOMAIN "reel-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-project-io.h"
#include "reel-shot-card.h"
#include "reel-thumbnail.h"

/* Thumbnails are decoded at twice the card's size so they stay sharp on HiDPI screens. */
#define THUMBNAIL_SIZE 368

struct _ReelShotCard
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkPicture *picture;
  GtkLabel *number_label;
  GtkLabel *title_label;
  GtkLabel *duration_label;

  /* Owned references */
  ReelProject *project;
  ReelShot *shot;
  GSignalGroup *shot_signals;
  GCancellable *cancellable;
  GtkDropTarget *drop_target;

  guint position;
};

G_DEFINE_FINAL_TYPE (ReelShotCard, reel_shot_card, GTK_TYPE_WIDGET)

enum {
  FILES_DROPPED,
  SHOT_DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_labels (ReelShotCard *self)
{
  g_autofree char *duration = NULL;
  const char *title;

  if (self->shot == NULL)
    return;

  title = reel_shot_get_title (self->shot);
  if (*title == '\0')
    {
      gtk_label_set_text (self->title_label, _("Untitled shot"));
      gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "dim-label");
    }
  else
    {
      gtk_label_set_text (self->title_label, title);
      gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "dim-label");
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), reel_shot_get_prompt (self->shot));

  /* Translators: a shot's length in seconds, e.g. "4.0 s". */
  duration = g_strdup_printf (_("%.1f s"), reel_shot_get_duration (self->shot));
  gtk_label_set_text (self->duration_label, duration);
}

static void
update_accessible_label (ReelShotCard *self)
{
  g_autofree char *label = NULL;

  if (self->shot == NULL)
    return;
  /* Translators: what a screen reader says for a shot card: "Shot 3: Rain on the window". */
  label = g_strdup_printf (_("Shot %u: %s"), self->position + 1,
                           gtk_label_get_text (self->title_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
thumbnail_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ReelShotCard) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = reel_thumbnail_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A missing picture was reported when the project loaded; the card just shows none. */
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->picture), texture != NULL);
}

static void
update_picture (ReelShotCard *self)
{
  g_autoptr(GFile) file = NULL;
  const char *media_name = NULL;
  ReelTake *take;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->shot != NULL)
    {
      /* The selected take is what the finished sequence shows, so it wins over the start
       * image once generation has produced one. */
      take = reel_shot_get_selected_take (self->shot);
      if (take != NULL)
        media_name = reel_take_get_thumbnail (take);
      if (media_name == NULL)
        media_name = reel_shot_get_start_image (self->shot);
    }
  if (media_name != NULL)
    file = reel_project_get_media_file (self->project, media_name);

  if (file == NULL)
    {
      gtk_picture_set_paintable (self->picture, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->picture), FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  reel_thumbnail_load_async (file, THUMBNAIL_SIZE, self->cancellable, thumbnail_loaded_cb,
                             g_object_ref (self));
}

static void
shot_text_changed_cb (ReelShotCard *self)
{
  update_labels (self);
  update_accessible_label (self);
}

static void
shot_picture_changed_cb (ReelShotCard *self)
{
  update_picture (self);
}

/* ---- Drag and drop ---- */

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 ReelShotCard  *self)
{
  if (self->shot == NULL)
    return NULL;
  return gdk_content_provider_new_typed (REEL_TYPE_SHOT, self->shot);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               ReelShotCard  *self)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, paintable, 0, 0);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         ReelShotCard  *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));
      gboolean handled = FALSE;

      if (files == NULL)
        return FALSE;
      g_signal_emit (self, signals[FILES_DROPPED], 0, files, &handled);
      g_slist_free (files);
      return handled;
    }

  if (G_VALUE_HOLDS (value, REEL_TYPE_SHOT))
    {
      ReelShot *shot = g_value_get_object (value);

      if (shot == NULL || shot == self->shot)
        return FALSE;
      g_signal_emit (self, signals[SHOT_DROPPED], 0, shot);
      return TRUE;
    }

  return FALSE;
}

/* ---- Public API ---- */

GtkWidget *
reel_shot_card_new (void)
{
  return g_object_new (REEL_TYPE_SHOT_CARD, NULL);
}

void
reel_shot_card_bind (ReelShotCard *self,
                     ReelProject  *project,
                     ReelShot     *shot)
{
  g_return_if_fail (REEL_IS_SHOT_CARD (self));
  g_return_if_fail (REEL_IS_PROJECT (project));
  g_return_if_fail (REEL_IS_SHOT (shot));

  g_set_object (&self->project, project);
  g_set_object (&self->shot, shot);
  g_signal_group_set_target (self->shot_signals, shot);
  update_labels (self);
  update_accessible_label (self);
  update_picture (self);
}

void
reel_shot_card_unbind (ReelShotCard *self)
{
  g_return_if_fail (REEL_IS_SHOT_CARD (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_signal_group_set_target (self->shot_signals, NULL);
  g_clear_object (&self->shot);
  g_clear_object (&self->project);
  gtk_picture_set_paintable (self->picture, NULL);
}

ReelShot *
reel_shot_card_get_shot (ReelShotCard *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_CARD (self), NULL);

  return self->shot;
}

void
reel_shot_card_set_position (ReelShotCard *self,
                             guint         position)
{
  g_autofree char *number = NULL;

  g_return_if_fail (REEL_IS_SHOT_CARD (self));

  self->position = position;
  number = g_strdup_printf ("%u", position + 1);
  gtk_label_set_text (self->number_label, number);
  update_accessible_label (self);
}

guint
reel_shot_card_get_position (ReelShotCard *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_CARD (self), 0);

  return self->position;
}

GtkDropTarget *
reel_shot_card_get_drop_target (ReelShotCard *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_CARD (self), NULL);

  return self->drop_target;
}

/* ---- GObject ---- */

static void
reel_shot_card_dispose (GObject *object)
{
  GtkWidget *child;
  ReelShotCard *self = REEL_SHOT_CARD (object);

  reel_shot_card_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_SHOT_CARD);
  /* The template's unnamed top-level child is not a template child and needs unparenting. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (reel_shot_card_parent_class)->dispose (object);
}

static void
reel_shot_card_finalize (GObject *object)
{
  ReelShotCard *self = REEL_SHOT_CARD (object);

  g_clear_object (&self->shot_signals);

  G_OBJECT_CLASS (reel_shot_card_parent_class)->finalize (object);
}

static void
reel_shot_card_class_init (ReelShotCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_shot_card_dispose;
  object_class->finalize = reel_shot_card_finalize;

  /* Returns TRUE when the timeline used at least one of the files. */
  signals[FILES_DROPPED] =
    g_signal_new ("files-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, G_TYPE_POINTER);
  signals[SHOT_DROPPED] =
    g_signal_new ("shot-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, REEL_TYPE_SHOT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reelshotcard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/reelstudio/Reel/reel-shot-card.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, picture);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, number_label);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, duration_label);
}

static void
reel_shot_card_init (ReelShotCard *self)
{
  GtkDragSource *source;
  GType drop_types[] = { GDK_TYPE_FILE_LIST, G_TYPE_INVALID };

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->shot_signals = g_signal_group_new (REEL_TYPE_SHOT);
  g_signal_group_connect_object (self->shot_signals, "notify::title",
                                 G_CALLBACK (shot_text_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->shot_signals, "notify::duration",
                                 G_CALLBACK (shot_text_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->shot_signals, "notify::prompt",
                                 G_CALLBACK (shot_text_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->shot_signals, "notify::start-image",
                                 G_CALLBACK (shot_picture_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->shot_signals, "notify::selected-take",
                                 G_CALLBACK (shot_picture_changed_cb), self, G_CONNECT_SWAPPED);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect_object (source, "prepare", G_CALLBACK (drag_prepare_cb), self, 0);
  g_signal_connect_object (source, "drag-begin", G_CALLBACK (drag_begin_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (source));

  /* Files come copied from the file manager; cards move within the timeline. */
  drop_types[1] = REEL_TYPE_SHOT;
  self->drop_target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE);
  gtk_drop_target_set_gtypes (self->drop_target, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect_object (self->drop_target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));
}
