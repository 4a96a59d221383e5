#define G_LOG_DOMAIN "reel-ui"

#include "config.h"

#include <math.h>

#include "reel-field-binding.h"

typedef enum
{
  KIND_EDITABLE,
  KIND_TEXT_VIEW,
  KIND_ADJUSTMENT,
  KIND_COMBO_ROW,
} Kind;

struct _ReelFieldBinding
{
  Kind kind;
  char *property;

  /* Borrowed reference: the widget owns the binding */
  GtkWidget *widget;

  /* Owned reference: the object whose change signal the binding listens to (the widget, its
   * text buffer or its adjustment) */
  GObject *source;
  gulong source_handler;

  /* Owned references */
  ReelProject *project;
  GObject *target;

  gulong notify_id;
  /* Set while the binding writes the model's value into the widget, so the widget's change
   * signal does not echo it back as an edit. */
  gboolean syncing;
};

static void
binding_free (gpointer data)
{
  ReelFieldBinding *self = data;

  /* A buffer or adjustment may outlive the widget; it must not call into a freed binding. The
   * widget's own handlers are already gone by the time its data is freed. */
  if ((gpointer) self->source != (gpointer) self->widget)
    {
      g_clear_signal_handler (&self->source_handler, self->source);
      g_clear_object (&self->source);
    }

  if (self->target != NULL)
    g_clear_signal_handler (&self->notify_id, self->target);
  g_clear_object (&self->target);
  g_clear_object (&self->project);
  g_free (self->property);
  g_free (self);
}

static GParamSpec *
target_pspec (ReelFieldBinding *self)
{
  return g_object_class_find_property (G_OBJECT_GET_CLASS (self->target), self->property);
}

static char *
widget_text (ReelFieldBinding *self)
{
  if (self->kind == KIND_TEXT_VIEW)
    {
      GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->source);
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->source)));
}

static double
target_number (ReelFieldBinding *self)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) number = G_VALUE_INIT;

  g_value_init (&value, target_pspec (self)->value_type);
  g_object_get_property (self->target, self->property, &value);
  g_value_init (&number, G_TYPE_DOUBLE);
  g_value_transform (&value, &number);
  return g_value_get_double (&number);
}

static int
target_enum (ReelFieldBinding *self)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, target_pspec (self)->value_type);
  g_object_get_property (self->target, self->property, &value);
  return g_value_get_enum (&value);
}

/* ---- Model -> widget ---- */

static void
sync_widget (ReelFieldBinding *self)
{
  self->syncing = TRUE;

  switch (self->kind)
    {
    case KIND_EDITABLE:
    case KIND_TEXT_VIEW:
      {
        g_autofree char *shown = widget_text (self);
        g_autofree char *value = NULL;

        if (self->target != NULL)
          g_object_get (self->target, self->property, &value, NULL);
        /* Setting equal text would move the cursor under the person's fingers. */
        if (g_strcmp0 (shown, value ? value : "") != 0)
          {
            if (self->kind == KIND_EDITABLE)
              gtk_editable_set_text (GTK_EDITABLE (self->source), value ? value : "");
            else
              gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->source), value ? value : "", -1);
          }
      }
      break;

    case KIND_ADJUSTMENT:
      if (self->target != NULL)
        gtk_adjustment_set_value (GTK_ADJUSTMENT (self->source), target_number (self));
      break;

    case KIND_COMBO_ROW:
      if (self->target != NULL)
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->source), target_enum (self));
      break;

    default:
      g_assert_not_reached ();
    }

  self->syncing = FALSE;
}

static void
target_notify_cb (GObject          *target,
                  GParamSpec       *pspec,
                  ReelFieldBinding *self)
{
  sync_widget (self);
}

/* ---- Widget -> model ---- */

static void
text_changed_cb (ReelFieldBinding *self)
{
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;
  gsize length;

  if (self->syncing || self->target == NULL)
    return;

  text = widget_text (self);
  g_object_get (self->target, self->property, &value, NULL);
  if (g_strcmp0 (text, value ? value : "") == 0)
    return;

  reel_project_edit_set_string (self->project, self->target, self->property, text);

  /* A finished word is one undo step: the next letter starts a new one. */
  length = strlen (text);
  if (length > 0 && g_ascii_isspace (text[length - 1]))
    reel_project_break_coalescing (self->project);
}

static void
value_changed_cb (ReelFieldBinding *self)
{
  double value = gtk_adjustment_get_value (GTK_ADJUSTMENT (self->source));
  GParamSpec *pspec;

  if (self->syncing || self->target == NULL)
    return;
  if (target_number (self) == value)
    return;

  pspec = target_pspec (self);
  if (pspec->value_type == G_TYPE_DOUBLE || pspec->value_type == G_TYPE_FLOAT)
    reel_project_edit_set_double (self->project, self->target, self->property, value);
  else
    reel_project_edit_set_int (self->project, self->target, self->property,
                               (gint64) llround (value));
}

static void
selected_changed_cb (ReelFieldBinding *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->source));

  if (self->syncing || self->target == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  if ((guint) target_enum (self) == selected)
    return;

  reel_project_edit_set_enum (self->project, self->target, self->property, (int) selected);
  /* Each choice is its own step, unlike typing. */
  reel_project_break_coalescing (self->project);
}

static void
focus_leave_cb (ReelFieldBinding *self)
{
  if (self->project != NULL)
    reel_project_break_coalescing (self->project);
}

static ReelFieldBinding *
binding_new (Kind        kind,
             GtkWidget  *widget,
             GObject    *source,
             const char *property)
{
  ReelFieldBinding *self = g_new0 (ReelFieldBinding, 1);
  GtkEventController *focus;

  self->kind = kind;
  self->widget = widget;
  /* Referencing the widget itself would keep it alive forever. */
  self->source = (gpointer) source == (gpointer) widget ? source : g_object_ref (source);
  self->property = g_strdup (property);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (widget, focus);

  /* One binding per widget; the key keeps a second bind from leaking the first silently. */
  g_assert (g_object_get_data (G_OBJECT (widget), "reel-field-binding") == NULL);
  g_object_set_data_full (G_OBJECT (widget), "reel-field-binding", self, binding_free);
  return self;
}

ReelFieldBinding *
reel_field_bind_editable (GtkEditable *editable,
                          const char  *property)
{
  ReelFieldBinding *self;

  g_return_val_if_fail (GTK_IS_EDITABLE (editable), NULL);

  self = binding_new (KIND_EDITABLE, GTK_WIDGET (editable), G_OBJECT (editable), property);
  /* The project's undo stack is the only one: a field's own Ctrl+Z would fight it. */
  gtk_editable_set_enable_undo (editable, FALSE);
  self->source_handler = g_signal_connect_swapped (editable, "changed",
                                                   G_CALLBACK (text_changed_cb), self);
  return self;
}

ReelFieldBinding *
reel_field_bind_text_view (GtkTextView *view,
                           const char  *property)
{
  GtkTextBuffer *buffer;
  ReelFieldBinding *self;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  buffer = gtk_text_view_get_buffer (view);
  self = binding_new (KIND_TEXT_VIEW, GTK_WIDGET (view), G_OBJECT (buffer), property);
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  self->source_handler = g_signal_connect_swapped (buffer, "changed",
                                                   G_CALLBACK (text_changed_cb), self);
  return self;
}

ReelFieldBinding *
reel_field_bind_adjustment (GtkWidget     *widget,
                            GtkAdjustment *adjustment,
                            const char    *property)
{
  ReelFieldBinding *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (GTK_IS_ADJUSTMENT (adjustment), NULL);

  self = binding_new (KIND_ADJUSTMENT, widget, G_OBJECT (adjustment), property);
  self->source_handler = g_signal_connect_swapped (adjustment, "value-changed",
                                                   G_CALLBACK (value_changed_cb), self);
  return self;
}

ReelFieldBinding *
reel_field_bind_combo_row (AdwComboRow *row,
                           const char  *property)
{
  ReelFieldBinding *self;

  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), NULL);

  self = binding_new (KIND_COMBO_ROW, GTK_WIDGET (row), G_OBJECT (row), property);
  self->source_handler = g_signal_connect_swapped (row, "notify::selected",
                                                   G_CALLBACK (selected_changed_cb), self);
  return self;
}

void
reel_field_binding_set_target (ReelFieldBinding *self,
                               ReelProject      *project,
                               gpointer          target)
{
  g_autofree char *signal = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (project == NULL || REEL_IS_PROJECT (project));
  g_return_if_fail (target == NULL || G_IS_OBJECT (target));

  if (target != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (target),
                                                      self->property) == NULL)
    {
      g_critical ("%s has no property “%s” to edit", G_OBJECT_TYPE_NAME (target),
                  self->property);
      return;
    }

  if (self->target != NULL)
    g_clear_signal_handler (&self->notify_id, self->target);
  g_set_object (&self->project, project);
  g_set_object (&self->target, target);

  if (self->target != NULL)
    {
      signal = g_strconcat ("notify::", self->property, NULL);
      self->notify_id = g_signal_connect (self->target, signal,
                                          G_CALLBACK (target_notify_cb), self);
    }
  sync_widget (self);
}
