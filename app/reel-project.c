#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "reel-project.h"
#include "reel-project-private.h"
#include "reel-undo-stack.h"

typedef struct
{
  char *speaker;
  char *voice;
} Speaker;

struct _ReelProject
{
  GObject        parent_instance;

  char          *title;
  char          *path;
  char          *scratch_dir;

  /* Owned references */
  GListStore    *shots;
  GArray        *speakers;       /* of Speaker, in project.json order */
  JsonObject    *extra;
  ReelUndoStack *history;

  /* What was last notified, so the read-only properties notify only on change. */
  gboolean       dirty;
  gboolean       can_undo;
  gboolean       can_redo;
  char          *undo_label;
  char          *redo_label;

  /* An undo or redo is being applied: edits echoed back by widgets are ignored. */
  guint          applying : 1;
};

G_DEFINE_FINAL_TYPE (ReelProject, reel_project, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_PATH,
  PROP_DIRTY,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  N_PROPS
};

enum {
  CHANGED,
  SPEAKERS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
speaker_clear (gpointer data)
{
  Speaker *speaker = data;

  g_clear_pointer (&speaker->speaker, g_free);
  g_clear_pointer (&speaker->voice, g_free);
}

static GArray *
speakers_new (void)
{
  GArray *speakers = g_array_new (FALSE, TRUE, sizeof (Speaker));

  g_array_set_clear_func (speakers, speaker_clear);
  return speakers;
}

static GArray *
speakers_copy (GArray *from)
{
  GArray *copy = speakers_new ();

  for (guint i = 0; i < from->len; i++)
    {
      const Speaker *speaker = &g_array_index (from, Speaker, i);
      Speaker dup = { g_strdup (speaker->speaker), g_strdup (speaker->voice) };

      g_array_append_val (copy, dup);
    }

  return copy;
}

static gboolean
speakers_equal (GArray *a,
                GArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      const Speaker *sa = &g_array_index (a, Speaker, i);
      const Speaker *sb = &g_array_index (b, Speaker, i);

      if (g_strcmp0 (sa->speaker, sb->speaker) != 0 || g_strcmp0 (sa->voice, sb->voice) != 0)
        return FALSE;
    }

  return TRUE;
}

static void
reel_project_dispose (GObject *object)
{
  ReelProject *self = (ReelProject *) object;

  /* Commands hold the shots and cues they touched; drop them before the lists. */
  g_clear_pointer (&self->history, reel_undo_stack_free);

  G_OBJECT_CLASS (reel_project_parent_class)->dispose (object);
}

static void
reel_project_finalize (GObject *object)
{
  ReelProject *self = (ReelProject *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->scratch_dir, g_free);
  g_clear_pointer (&self->undo_label, g_free);
  g_clear_pointer (&self->redo_label, g_free);
  g_clear_object (&self->shots);
  g_clear_pointer (&self->speakers, g_array_unref);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (reel_project_parent_class)->finalize (object);
}

static void
reel_project_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ReelProject *self = REEL_PROJECT (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->can_undo);
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->can_redo);
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, self->undo_label);
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, self->redo_label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_project_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ReelProject *self = REEL_PROJECT (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      reel_project_set_title_internal (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_project_class_init (ReelProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags read_only = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = reel_project_dispose;
  object_class->finalize = reel_project_finalize;
  object_class->get_property = reel_project_get_property;
  object_class->set_property = reel_project_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, read_only);
  properties[PROP_DIRTY] = g_param_spec_boolean ("dirty", NULL, NULL, FALSE, read_only);
  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, read_only);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, read_only);
  properties[PROP_UNDO_LABEL] = g_param_spec_string ("undo-label", NULL, NULL, NULL, read_only);
  properties[PROP_REDO_LABEL] = g_param_spec_string ("redo-label", NULL, NULL, NULL, read_only);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SPEAKERS_CHANGED] =
    g_signal_new ("speakers-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
reel_project_init (ReelProject *self)
{
  self->title = g_strdup ("");
  self->shots = g_list_store_new (REEL_TYPE_SHOT);
  self->speakers = speakers_new ();
  self->history = reel_undo_stack_new (REEL_PROJECT_UNDO_LIMIT);
}

ReelProject *
reel_project_new (void)
{
  ReelProject *self = g_object_new (REEL_TYPE_PROJECT, NULL);

  self->title = (g_free (self->title), g_strdup (_("Untitled storyboard")));
  return self;
}

/* ---- History state ---- */

static void
sync_history_state (ReelProject *self)
{
  gboolean dirty = !reel_undo_stack_is_at_save_point (self->history);
  gboolean can_undo = reel_undo_stack_can_undo (self->history);
  gboolean can_redo = reel_undo_stack_can_redo (self->history);
  const char *undo_label = reel_undo_stack_get_undo_label (self->history);
  const char *redo_label = reel_undo_stack_get_redo_label (self->history);

  g_object_freeze_notify (G_OBJECT (self));

  if (self->dirty != dirty)
    {
      self->dirty = dirty;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
    }
  if (self->can_undo != can_undo)
    {
      self->can_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }
  if (self->can_redo != can_redo)
    {
      self->can_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
    }
  if (g_strcmp0 (self->undo_label, undo_label) != 0)
    {
      g_free (self->undo_label);
      self->undo_label = g_strdup (undo_label);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_LABEL]);
    }
  if (g_strcmp0 (self->redo_label, redo_label) != 0)
    {
      g_free (self->redo_label);
      self->redo_label = g_strdup (redo_label);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDO_LABEL]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
document_changed (ReelProject *self)
{
  sync_history_state (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
ignore_edit_while_applying (ReelProject *self)
{
  if (!self->applying)
    return FALSE;

  /* Typically a widget writing back the value an undo just gave it. */
  g_debug ("Ignoring an edit made while an undo or redo is applied");
  return TRUE;
}

/* ---- Command: set properties of one object ---- */

typedef struct
{
  GParamSpec *pspec;
  GValue      old_value;
  GValue      new_value;
} SetEntry;

typedef struct
{
  ReelUndoCommand  parent;
  GObject         *target;
  /* The project owns the history, so a command on the project itself must not own it back. */
  gboolean         owns_target;
  GParamSpec      *primary;
  /* Discrete actions (set start image, select take) are steps of their own; only plain
   * property sets (typing, dragging) coalesce. */
  gboolean         mergeable;
  /* The primary property first, then any property the setter changed along with it (a text
   * cue's end dragged by its start), so undo restores them in a valid order. */
  GArray          *entries;
} SetCommand;

static void
set_entry_clear (gpointer data)
{
  SetEntry *entry = data;

  g_value_unset (&entry->old_value);
  g_value_unset (&entry->new_value);
}

static void
set_command_apply (SetCommand *command,
                   gboolean    forward)
{
  g_object_freeze_notify (command->target);

  for (guint i = 0; i < command->entries->len; i++)
    {
      SetEntry *entry = &g_array_index (command->entries, SetEntry, i);

      g_object_set_property (command->target, entry->pspec->name,
                             forward ? &entry->new_value : &entry->old_value);
    }

  g_object_thaw_notify (command->target);
}

static void
set_command_undo (ReelUndoCommand *command)
{
  set_command_apply ((SetCommand *) command, FALSE);
}

static void
set_command_redo (ReelUndoCommand *command)
{
  set_command_apply ((SetCommand *) command, TRUE);
}

static SetEntry *
set_command_find_entry (SetCommand *command,
                        GParamSpec *pspec)
{
  for (guint i = 0; i < command->entries->len; i++)
    {
      SetEntry *entry = &g_array_index (command->entries, SetEntry, i);

      if (entry->pspec == pspec)
        return entry;
    }

  return NULL;
}

static gboolean
set_command_merge (ReelUndoCommand *command,
                   ReelUndoCommand *next)
{
  SetCommand *self = (SetCommand *) command;
  SetCommand *other = (SetCommand *) next;

  if (!self->mergeable || !other->mergeable
      || self->target != other->target || self->primary != other->primary)
    return FALSE;

  for (guint i = 0; i < other->entries->len; i++)
    {
      SetEntry *incoming = &g_array_index (other->entries, SetEntry, i);
      SetEntry *entry = set_command_find_entry (self, incoming->pspec);

      if (entry != NULL)
        {
          g_value_unset (&entry->new_value);
          g_value_init (&entry->new_value, G_VALUE_TYPE (&incoming->new_value));
          g_value_copy (&incoming->new_value, &entry->new_value);
        }
      else
        {
          SetEntry added = { incoming->pspec, G_VALUE_INIT, G_VALUE_INIT };

          g_value_init (&added.old_value, G_VALUE_TYPE (&incoming->old_value));
          g_value_copy (&incoming->old_value, &added.old_value);
          g_value_init (&added.new_value, G_VALUE_TYPE (&incoming->new_value));
          g_value_copy (&incoming->new_value, &added.new_value);
          g_array_append_val (self->entries, added);
        }
    }

  return TRUE;
}

static gboolean
set_command_is_noop (ReelUndoCommand *command)
{
  SetCommand *self = (SetCommand *) command;

  for (guint i = 0; i < self->entries->len; i++)
    {
      SetEntry *entry = &g_array_index (self->entries, SetEntry, i);

      if (g_param_values_cmp (entry->pspec, &entry->old_value, &entry->new_value) != 0)
        return FALSE;
    }

  return TRUE;
}

static void
set_command_clear (ReelUndoCommand *command)
{
  SetCommand *self = (SetCommand *) command;

  g_clear_pointer (&self->entries, g_array_unref);
  if (self->owns_target)
    g_clear_object (&self->target);
}

static const ReelUndoCommandClass set_command_class = {
  .undo = set_command_undo,
  .redo = set_command_redo,
  .merge = set_command_merge,
  .is_noop = set_command_is_noop,
  .clear = set_command_clear,
  .size = sizeof (SetCommand),
};

/* ---- Command: insert into / remove from a list ---- */

typedef struct
{
  ReelUndoCommand  parent;
  GListStore      *store;
  GObject         *item;
  guint            position;
  gboolean         insert;     /* what redo does */
} ListCommand;

static void
list_command_apply (ListCommand *self,
                    gboolean     insert)
{
  if (insert)
    {
      g_list_store_insert (self->store, self->position, self->item);
    }
  else
    {
      g_autoptr(GObject) current =
        g_list_model_get_item (G_LIST_MODEL (self->store), self->position);

      /* The stack replays steps in order, so the item must be exactly where it was left. */
      g_assert (current == self->item);
      g_list_store_remove (self->store, self->position);
    }
}

static void
list_command_undo (ReelUndoCommand *command)
{
  ListCommand *self = (ListCommand *) command;

  list_command_apply (self, !self->insert);
}

static void
list_command_redo (ReelUndoCommand *command)
{
  ListCommand *self = (ListCommand *) command;

  list_command_apply (self, self->insert);
}

static void
list_command_clear (ReelUndoCommand *command)
{
  ListCommand *self = (ListCommand *) command;

  g_clear_object (&self->store);
  g_clear_object (&self->item);
}

static const ReelUndoCommandClass list_command_class = {
  .undo = list_command_undo,
  .redo = list_command_redo,
  .clear = list_command_clear,
  .size = sizeof (ListCommand),
};

/* ---- Command: move within a list ---- */

typedef struct
{
  ReelUndoCommand  parent;
  GListStore      *store;
  guint            from;
  guint            to;
} MoveCommand;

static void
move_item (GListStore *store,
           guint       from,
           guint       to)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), from);

  g_assert (item != NULL);
  g_list_store_remove (store, from);
  g_list_store_insert (store, to, item);
}

static void
move_command_undo (ReelUndoCommand *command)
{
  MoveCommand *self = (MoveCommand *) command;

  move_item (self->store, self->to, self->from);
}

static void
move_command_redo (ReelUndoCommand *command)
{
  MoveCommand *self = (MoveCommand *) command;

  move_item (self->store, self->from, self->to);
}

static void
move_command_clear (ReelUndoCommand *command)
{
  MoveCommand *self = (MoveCommand *) command;

  g_clear_object (&self->store);
}

static const ReelUndoCommandClass move_command_class = {
  .undo = move_command_undo,
  .redo = move_command_redo,
  .clear = move_command_clear,
  .size = sizeof (MoveCommand),
};

/* ---- Command: replace the speaker map ---- */

typedef struct
{
  ReelUndoCommand  parent;
  ReelProject     *project;    /* unowned: the project owns the history */
  GArray          *before;
  GArray          *after;
} SpeakersCommand;

static void
replace_speakers (ReelProject *self,
                  GArray      *speakers)
{
  g_clear_pointer (&self->speakers, g_array_unref);
  self->speakers = speakers_copy (speakers);
  g_signal_emit (self, signals[SPEAKERS_CHANGED], 0);
}

static void
speakers_command_undo (ReelUndoCommand *command)
{
  SpeakersCommand *self = (SpeakersCommand *) command;

  replace_speakers (self->project, self->before);
}

static void
speakers_command_redo (ReelUndoCommand *command)
{
  SpeakersCommand *self = (SpeakersCommand *) command;

  replace_speakers (self->project, self->after);
}

static void
speakers_command_clear (ReelUndoCommand *command)
{
  SpeakersCommand *self = (SpeakersCommand *) command;

  g_clear_pointer (&self->before, g_array_unref);
  g_clear_pointer (&self->after, g_array_unref);
}

static const ReelUndoCommandClass speakers_command_class = {
  .undo = speakers_command_undo,
  .redo = speakers_command_redo,
  .clear = speakers_command_clear,
  .size = sizeof (SpeakersCommand),
};

/* ---- Ownership and labels ---- */

static gboolean
project_owns (ReelProject *self,
              gpointer     object)
{
  guint n;

  if (object == (gpointer) self)
    return TRUE;

  if (REEL_IS_SHOT (object))
    return g_list_store_find (self->shots, object, NULL);

  if (!REEL_IS_DIALOGUE_LINE (object) && !REEL_IS_SFX_CUE (object)
      && !REEL_IS_TEXT_CUE (object) && !REEL_IS_TAKE (object))
    return FALSE;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->shots));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReelShot) shot = g_list_model_get_item (G_LIST_MODEL (self->shots), i);

      if (g_list_store_find (reel_shot_get_store_for_item (shot, object), object, NULL))
        return TRUE;
    }

  return FALSE;
}

typedef struct
{
  const char *property;
  const char *label;
} Label;

static const char *
find_label (const Label *labels,
            gsize        n_labels,
            const char  *property)
{
  for (gsize i = 0; i < n_labels; i++)
    if (g_str_equal (labels[i].property, property))
      return _(labels[i].label);
  return NULL;
}

/* The undo label of setting `pspec` on `target`: "Edit prompt", "Change lens". */
static const char *
label_for_set (GObject    *target,
               GParamSpec *pspec)
{
  static const Label project_labels[] = {
    { "title", N_("Rename storyboard") },
  };
  static const Label shot_labels[] = {
    { "title", N_("Rename shot") },
    { "duration", N_("Change duration") },
    { "prompt", N_("Edit prompt") },
    { "style", N_("Change style") },
    { "aspect", N_("Change aspect ratio") },
    { "seed", N_("Change seed") },
    { "camera-move", N_("Change camera move") },
    { "camera-speed", N_("Change camera speed") },
    { "lens-mm", N_("Change lens") },
    { "fps", N_("Change frame rate") },
    { "music-mood", N_("Edit music mood") },
    { "music-intensity", N_("Change music intensity") },
    { "start-image", N_("Change start image") },
    { "selected-take", N_("Select take") },
  };
  static const Label dialogue_labels[] = {
    { "speaker", N_("Change speaker") },
    { "voice", N_("Change voice") },
    { "text", N_("Edit dialogue") },
    { "offset", N_("Move dialogue line") },
  };
  static const Label sfx_labels[] = {
    { "description", N_("Edit sound effect") },
    { "offset", N_("Move sound effect") },
  };
  static const Label text_labels[] = {
    { "text", N_("Edit on-screen text") },
    { "start", N_("Change text timing") },
    { "end", N_("Change text timing") },
    { "position", N_("Change text position") },
    { "style", N_("Change text style") },
  };
  const char *label = NULL;

  if (REEL_IS_PROJECT (target))
    label = find_label (project_labels, G_N_ELEMENTS (project_labels), pspec->name);
  else if (REEL_IS_SHOT (target))
    label = find_label (shot_labels, G_N_ELEMENTS (shot_labels), pspec->name);
  else if (REEL_IS_DIALOGUE_LINE (target))
    label = find_label (dialogue_labels, G_N_ELEMENTS (dialogue_labels), pspec->name);
  else if (REEL_IS_SFX_CUE (target))
    label = find_label (sfx_labels, G_N_ELEMENTS (sfx_labels), pspec->name);
  else if (REEL_IS_TEXT_CUE (target))
    label = find_label (text_labels, G_N_ELEMENTS (text_labels), pspec->name);
  else if (REEL_IS_TAKE (target))
    label = _("Change take");

  return label != NULL ? label : _("Edit");
}

/* ---- Property edits ---- */

static GParamSpec *
find_editable_pspec (gpointer    target,
                     const char *property)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (target), property);

  if (pspec == NULL)
    {
      g_critical ("%s has no property named “%s”", G_OBJECT_TYPE_NAME (target), property);
      return NULL;
    }
  if ((pspec->flags & G_PARAM_WRITABLE) == 0 || (pspec->flags & G_PARAM_CONSTRUCT_ONLY) != 0)
    {
      g_critical ("Property “%s” of %s cannot be edited", property, G_OBJECT_TYPE_NAME (target));
      return NULL;
    }

  return pspec;
}

/* Set, then record every property whose value actually changed (the setters clamp and may
 * adjust related properties) as one undo step. A set that changes nothing records nothing. */
static void
edit_set_value (ReelProject  *self,
                GObject      *target,
                GParamSpec   *pspec,
                const GValue *value,
                const char   *label)
{
  g_autofree GParamSpec **pspecs = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) changed = NULL;
  SetCommand *command;
  guint n_pspecs;

  if (ignore_edit_while_applying (self))
    return;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (target), &n_pspecs);
  before = g_array_new (FALSE, TRUE, sizeof (SetEntry));
  g_array_set_clear_func (before, set_entry_clear);

  for (guint i = 0; i < n_pspecs; i++)
    {
      SetEntry entry = { pspecs[i], G_VALUE_INIT, G_VALUE_INIT };

      if ((pspecs[i]->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE
          || (pspecs[i]->flags & G_PARAM_CONSTRUCT_ONLY) != 0)
        continue;

      g_value_init (&entry.old_value, pspecs[i]->value_type);
      g_object_get_property (target, pspecs[i]->name, &entry.old_value);
      g_array_append_val (before, entry);
    }

  g_object_set_property (target, pspec->name, value);

  changed = g_array_new (FALSE, TRUE, sizeof (SetEntry));
  g_array_set_clear_func (changed, set_entry_clear);

  for (guint i = 0; i < before->len; i++)
    {
      SetEntry *entry = &g_array_index (before, SetEntry, i);

      g_value_init (&entry->new_value, entry->pspec->value_type);
      g_object_get_property (target, entry->pspec->name, &entry->new_value);
      if (g_param_values_cmp (entry->pspec, &entry->old_value, &entry->new_value) == 0)
        continue;

      /* Move the values over; the primary property goes first. */
      if (entry->pspec == pspec)
        g_array_prepend_vals (changed, entry, 1);
      else
        g_array_append_vals (changed, entry, 1);
      memset (&entry->old_value, 0, sizeof (GValue));
      memset (&entry->new_value, 0, sizeof (GValue));
    }

  if (changed->len == 0)
    return;

  command = reel_undo_command_new (&set_command_class,
                                   label != NULL ? label : label_for_set (target, pspec));
  /* An explicitly labelled edit is a discrete action. */
  command->mergeable = label == NULL;
  command->owns_target = target != (GObject *) self;
  command->target = command->owns_target ? g_object_ref (target) : target;
  command->primary = pspec;
  command->entries = g_steal_pointer (&changed);

  reel_undo_stack_push (self->history, (ReelUndoCommand *) command);
  document_changed (self);
}

/* Checks shared by the typed edit_set variants; NULL when the call is invalid. */
static GParamSpec *
check_edit_target (ReelProject *self,
                   gpointer     target,
                   const char  *property)
{
  GParamSpec *pspec;

  if (!project_owns (self, target))
    {
      g_critical ("%s %p does not belong to this project (removed, or never added?)",
                  G_OBJECT_TYPE_NAME (target), target);
      return NULL;
    }

  pspec = find_editable_pspec (target, property);
  return pspec;
}

void
reel_project_edit_set (ReelProject  *self,
                       gpointer      target,
                       const char   *property,
                       const GValue *value)
{
  g_auto(GValue) converted = G_VALUE_INIT;
  GParamSpec *pspec;

  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (G_IS_OBJECT (target));
  g_return_if_fail (property != NULL);
  g_return_if_fail (G_IS_VALUE (value));

  pspec = check_edit_target (self, target, property);
  if (pspec == NULL)
    return;

  g_value_init (&converted, pspec->value_type);
  if (G_VALUE_TYPE (value) == pspec->value_type
      || g_value_type_compatible (G_VALUE_TYPE (value), pspec->value_type))
    {
      g_value_copy (value, &converted);
    }
  else if (!g_value_transform (value, &converted))
    {
      g_critical ("Cannot set property “%s” of %s from a %s", property,
                  G_OBJECT_TYPE_NAME (target), G_VALUE_TYPE_NAME (value));
      return;
    }

  /* Clamp to the property's range here, so no GObject out-of-range warning fires. */
  g_param_value_validate (pspec, &converted);

  edit_set_value (self, target, pspec, &converted, NULL);
}

void
reel_project_edit_set_string (ReelProject *self,
                              gpointer     target,
                              const char  *property,
                              const char  *value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_STRING);
  g_value_set_string (&gvalue, value);
  reel_project_edit_set (self, target, property, &gvalue);
}

void
reel_project_edit_set_double (ReelProject *self,
                              gpointer     target,
                              const char  *property,
                              double       value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_DOUBLE);
  g_value_set_double (&gvalue, value);
  reel_project_edit_set (self, target, property, &gvalue);
}

void
reel_project_edit_set_boolean (ReelProject *self,
                               gpointer     target,
                               const char  *property,
                               gboolean     value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_BOOLEAN);
  g_value_set_boolean (&gvalue, value);
  reel_project_edit_set (self, target, property, &gvalue);
}

void
reel_project_edit_set_int (ReelProject *self,
                           gpointer     target,
                           const char  *property,
                           gint64       value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;
  GParamSpec *pspec;

  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (G_IS_OBJECT (target));
  g_return_if_fail (property != NULL);

  pspec = check_edit_target (self, target, property);
  if (pspec == NULL)
    return;

  /* Clamp in 64 bits before narrowing, so 1e10 becomes the maximum, not a wrapped number. */
  g_value_init (&gvalue, pspec->value_type);
  if (G_IS_PARAM_SPEC_INT (pspec))
    g_value_set_int (&gvalue, CLAMP (value, G_PARAM_SPEC_INT (pspec)->minimum,
                                     G_PARAM_SPEC_INT (pspec)->maximum));
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    g_value_set_uint (&gvalue, CLAMP (value, (gint64) G_PARAM_SPEC_UINT (pspec)->minimum,
                                      (gint64) G_PARAM_SPEC_UINT (pspec)->maximum));
  else if (G_IS_PARAM_SPEC_INT64 (pspec))
    g_value_set_int64 (&gvalue, CLAMP (value, G_PARAM_SPEC_INT64 (pspec)->minimum,
                                       G_PARAM_SPEC_INT64 (pspec)->maximum));
  else if (G_IS_PARAM_SPEC_UINT64 (pspec))
    g_value_set_uint64 (&gvalue, value < 0 ? G_PARAM_SPEC_UINT64 (pspec)->minimum
                        : CLAMP ((guint64) value, G_PARAM_SPEC_UINT64 (pspec)->minimum,
                                 G_PARAM_SPEC_UINT64 (pspec)->maximum));
  else
    {
      g_critical ("Property “%s” of %s is not an integer", property, G_OBJECT_TYPE_NAME (target));
      return;
    }

  edit_set_value (self, target, pspec, &gvalue, NULL);
}

void
reel_project_edit_set_enum (ReelProject *self,
                            gpointer     target,
                            const char  *property,
                            int          value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;
  GParamSpec *pspec;

  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (G_IS_OBJECT (target));
  g_return_if_fail (property != NULL);

  pspec = check_edit_target (self, target, property);
  if (pspec == NULL)
    return;

  if (!G_IS_PARAM_SPEC_ENUM (pspec))
    {
      g_critical ("Property “%s” of %s is not an enum", property, G_OBJECT_TYPE_NAME (target));
      return;
    }
  if (g_enum_get_value (G_PARAM_SPEC_ENUM (pspec)->enum_class, value) == NULL)
    {
      g_critical ("%d is not a value of %s (property “%s”)", value,
                  g_type_name (pspec->value_type), property);
      return;
    }

  g_value_init (&gvalue, pspec->value_type);
  g_value_set_enum (&gvalue, value);
  edit_set_value (self, target, pspec, &gvalue, NULL);
}

/* ---- Structural edits ---- */

static void
push_list_change (ReelProject *self,
                  GListStore  *store,
                  gpointer     item,
                  guint        position,
                  gboolean     insert,
                  const char  *label)
{
  ListCommand *command = reel_undo_command_new (&list_command_class, label);

  command->store = g_object_ref (store);
  command->item = g_object_ref (item);
  command->position = position;
  command->insert = insert;

  list_command_apply (command, insert);
  reel_undo_stack_push (self->history, (ReelUndoCommand *) command);
  document_changed (self);
}

ReelShot *
reel_project_edit_add_shot (ReelProject *self,
                            guint        position,
                            ReelShot    *shot)
{
  g_autoptr(ReelShot) added = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);
  g_return_val_if_fail (shot == NULL || REEL_IS_SHOT (shot), NULL);
  g_return_val_if_fail (shot == NULL || !g_list_store_find (self->shots, shot, NULL), NULL);

  if (ignore_edit_while_applying (self))
    return NULL;

  added = shot != NULL ? g_object_ref (shot) : reel_shot_new ();
  position = MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->shots)));
  push_list_change (self, self->shots, added, position, TRUE, _("Add shot"));

  /* The list holds it now. */
  return added;
}

ReelShot *
reel_project_edit_duplicate_shot (ReelProject *self,
                                  guint        position)
{
  g_autoptr(ReelShot) original = NULL;
  g_autoptr(ReelShot) copy = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);
  g_return_val_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->shots)), NULL);

  if (ignore_edit_while_applying (self))
    return NULL;

  original = g_list_model_get_item (G_LIST_MODEL (self->shots), position);
  copy = reel_shot_duplicate (original);
  push_list_change (self, self->shots, copy, position + 1, TRUE, _("Duplicate shot"));

  return copy;
}

void
reel_project_edit_remove_shot (ReelProject *self,
                               guint        position)
{
  g_autoptr(ReelShot) shot = NULL;

  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->shots)));

  if (ignore_edit_while_applying (self))
    return;

  shot = g_list_model_get_item (G_LIST_MODEL (self->shots), position);
  push_list_change (self, self->shots, shot, position, FALSE, _("Delete shot"));
}

void
reel_project_edit_move_shot (ReelProject *self,
                             guint        from,
                             guint        to)
{
  MoveCommand *command;
  guint n;

  g_return_if_fail (REEL_IS_PROJECT (self));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->shots));
  g_return_if_fail (from < n);
  g_return_if_fail (to < n);

  if (from == to || ignore_edit_while_applying (self))
    return;

  command = reel_undo_command_new (&move_command_class, _("Move shot"));
  command->store = g_object_ref (self->shots);
  command->from = from;
  command->to = to;

  move_item (self->shots, from, to);
  reel_undo_stack_push (self->history, (ReelUndoCommand *) command);
  document_changed (self);
}

static gboolean
check_shot (ReelProject *self,
            ReelShot    *shot)
{
  if (g_list_store_find (self->shots, shot, NULL))
    return TRUE;

  g_critical ("Shot %s does not belong to this project", reel_shot_get_id (shot));
  return FALSE;
}

static gboolean
is_cue (gpointer object)
{
  return REEL_IS_DIALOGUE_LINE (object) || REEL_IS_SFX_CUE (object) || REEL_IS_TEXT_CUE (object);
}

void
reel_project_edit_add_cue (ReelProject *self,
                           ReelShot    *shot,
                           GObject     *cue)
{
  GListStore *store;
  const char *label;

  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (REEL_IS_SHOT (shot));
  g_return_if_fail (is_cue (cue));

  if (!check_shot (self, shot) || ignore_edit_while_applying (self))
    return;

  store = reel_shot_get_store_for_item (shot, cue);
  g_return_if_fail (!g_list_store_find (store, cue, NULL));

  if (REEL_IS_DIALOGUE_LINE (cue))
    label = _("Add dialogue line");
  else if (REEL_IS_SFX_CUE (cue))
    label = _("Add sound effect");
  else
    label = _("Add on-screen text");

  push_list_change (self, store, cue, g_list_model_get_n_items (G_LIST_MODEL (store)), TRUE,
                    label);
}

void
reel_project_edit_remove_cue (ReelProject *self,
                              ReelShot    *shot,
                              GObject     *cue)
{
  GListStore *store;
  const char *label;
  guint position;

  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (REEL_IS_SHOT (shot));
  g_return_if_fail (is_cue (cue));

  if (!check_shot (self, shot) || ignore_edit_while_applying (self))
    return;

  store = reel_shot_get_store_for_item (shot, cue);
  if (!g_list_store_find (store, cue, &position))
    {
      g_critical ("The %s is not a cue of shot %s", G_OBJECT_TYPE_NAME (cue),
                  reel_shot_get_id (shot));
      return;
    }

  if (REEL_IS_DIALOGUE_LINE (cue))
    label = _("Remove dialogue line");
  else if (REEL_IS_SFX_CUE (cue))
    label = _("Remove sound effect");
  else
    label = _("Remove on-screen text");

  push_list_change (self, store, cue, position, FALSE, label);
}

static void
set_start_image_name (ReelProject *self,
                      ReelShot    *shot,
                      const char  *media_name)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, media_name);
  edit_set_value (self, G_OBJECT (shot),
                  g_object_class_find_property (G_OBJECT_GET_CLASS (shot), "start-image"),
                  &value,
                  media_name != NULL ? _("Set start image") : _("Remove start image"));
}

void
reel_project_edit_set_start_image_name (ReelProject *self,
                                        ReelShot    *shot,
                                        const char  *media_name)
{
  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (REEL_IS_SHOT (shot));

  if (!check_shot (self, shot))
    return;

  set_start_image_name (self, shot, media_name);
}

gboolean
reel_project_edit_set_start_image (ReelProject  *self,
                                   ReelShot     *shot,
                                   GFile        *image,
                                   GError      **error)
{
  g_autofree char *media_name = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);
  g_return_val_if_fail (image == NULL || G_IS_FILE (image), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_shot (self, shot))
    return FALSE;

  if (image != NULL && !reel_project_import_media (self, image, &media_name, error))
    return FALSE;

  set_start_image_name (self, shot, media_name);
  return TRUE;
}

ReelShot *
reel_project_edit_add_shot_from_image (ReelProject  *self,
                                       guint         position,
                                       GFile        *image,
                                       const char   *title,
                                       GError      **error)
{
  g_autofree char *media_name = NULL;
  g_autoptr(ReelShot) shot = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);
  g_return_val_if_fail (G_IS_FILE (image), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (ignore_edit_while_applying (self))
    return NULL;

  /* Import before touching the document, so a bad file leaves no empty shot (and no step to
   * redo) behind. */
  if (!reel_project_import_media (self, image, &media_name, error))
    return NULL;

  /* Filled in before it joins the project: the whole shot is one insertion step. */
  shot = reel_shot_new ();
  reel_shot_set_title (shot, title);
  reel_shot_set_start_image (shot, media_name);

  position = MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->shots)));
  push_list_change (self, self->shots, shot, position, TRUE, _("Add shot from image"));

  return shot;
}

void
reel_project_edit_add_take (ReelProject *self,
                            ReelShot    *shot,
                            ReelTake    *take)
{
  GListStore *store;

  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (REEL_IS_SHOT (shot));
  g_return_if_fail (REEL_IS_TAKE (take));

  if (!check_shot (self, shot) || ignore_edit_while_applying (self))
    return;

  store = reel_shot_get_store_for_item (shot, take);
  g_return_if_fail (!g_list_store_find (store, take, NULL));

  push_list_change (self, store, take, g_list_model_get_n_items (G_LIST_MODEL (store)), TRUE,
                    _("Add take"));
}

void
reel_project_edit_select_take (ReelProject *self,
                               ReelShot    *shot,
                               ReelTake    *take)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (REEL_IS_SHOT (shot));
  g_return_if_fail (take == NULL || REEL_IS_TAKE (take));

  if (!check_shot (self, shot))
    return;
  if (take != NULL && !g_list_store_find (reel_shot_get_store_for_item (shot, take), take, NULL))
    {
      g_critical ("Take %s is not a take of shot %s", reel_take_get_id (take),
                  reel_shot_get_id (shot));
      return;
    }

  g_value_init (&value, REEL_TYPE_TAKE);
  g_value_set_object (&value, take);
  edit_set_value (self, G_OBJECT (shot),
                  g_object_class_find_property (G_OBJECT_GET_CLASS (shot), "selected-take"),
                  &value, _("Select take"));
}

void
reel_project_edit_set_speaker_voice (ReelProject *self,
                                     const char  *speaker,
                                     const char  *voice)
{
  g_autoptr(GArray) before = NULL;
  SpeakersCommand *command;
  gboolean existed;
  const char *label;

  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (speaker != NULL);

  if (ignore_edit_while_applying (self))
    return;

  existed = reel_project_lookup_voice (self, speaker) != NULL;
  before = speakers_copy (self->speakers);
  reel_project_set_speaker_internal (self, speaker, voice);

  if (speakers_equal (before, self->speakers))
    return;

  if (voice == NULL)
    label = _("Remove speaker");
  else if (existed)
    label = _("Change voice");
  else
    label = _("Add speaker");

  command = reel_undo_command_new (&speakers_command_class, label);
  command->project = self;
  command->before = g_steal_pointer (&before);
  command->after = speakers_copy (self->speakers);

  reel_undo_stack_push (self->history, (ReelUndoCommand *) command);
  document_changed (self);
}

/* ---- Groups, undo, redo ---- */

void
reel_project_begin_group (ReelProject *self,
                          const char  *label)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  reel_undo_stack_begin_group (self->history, label);
}

void
reel_project_end_group (ReelProject *self)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  reel_undo_stack_end_group (self->history);
  sync_history_state (self);
}

void
reel_project_break_coalescing (ReelProject *self)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  reel_undo_stack_break_merge (self->history);
}

static gboolean
undo_or_redo (ReelProject *self,
              gboolean     undo)
{
  gboolean done;

  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (!reel_undo_stack_in_group (self->history), FALSE);
  g_return_val_if_fail (!self->applying, FALSE);

  self->applying = TRUE;
  done = undo ? reel_undo_stack_undo (self->history) : reel_undo_stack_redo (self->history);
  self->applying = FALSE;

  if (done)
    document_changed (self);

  return done;
}

gboolean
reel_project_undo (ReelProject *self)
{
  return undo_or_redo (self, TRUE);
}

gboolean
reel_project_redo (ReelProject *self)
{
  return undo_or_redo (self, FALSE);
}

/* ---- Getters ---- */

const char *
reel_project_get_title (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return self->title;
}

const char *
reel_project_get_path (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return self->path;
}

gboolean
reel_project_get_dirty (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);

  return self->dirty;
}

gboolean
reel_project_get_can_undo (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);

  return self->can_undo;
}

gboolean
reel_project_get_can_redo (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);

  return self->can_redo;
}

const char *
reel_project_get_undo_label (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return self->undo_label;
}

const char *
reel_project_get_redo_label (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return self->redo_label;
}

GListModel *
reel_project_get_shots (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return G_LIST_MODEL (self->shots);
}

guint
reel_project_get_n_shots (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->shots));
}

ReelShot *
reel_project_get_shot (ReelProject *self,
                       guint        position)
{
  g_autoptr(ReelShot) shot = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  shot = g_list_model_get_item (G_LIST_MODEL (self->shots), position);
  /* Borrowed: the list keeps its reference. */
  return shot;
}

ReelShot *
reel_project_find_shot (ReelProject *self,
                        const char  *shot_id)
{
  guint n;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  if (shot_id == NULL)
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->shots));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReelShot) shot = g_list_model_get_item (G_LIST_MODEL (self->shots), i);

      if (g_strcmp0 (reel_shot_get_id (shot), shot_id) == 0)
        return shot;
    }

  return NULL;
}

int
reel_project_get_shot_position (ReelProject *self,
                                ReelShot    *shot)
{
  guint position;

  g_return_val_if_fail (REEL_IS_PROJECT (self), -1);
  g_return_val_if_fail (REEL_IS_SHOT (shot), -1);

  if (!g_list_store_find (self->shots, shot, &position))
    return -1;
  return (int) position;
}

double
reel_project_get_total_duration (ReelProject *self)
{
  double total = 0.0;
  guint n;

  g_return_val_if_fail (REEL_IS_PROJECT (self), 0.0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->shots));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReelShot) shot = g_list_model_get_item (G_LIST_MODEL (self->shots), i);

      total += reel_shot_get_duration (shot);
    }

  return total;
}

guint
reel_project_get_n_speakers (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), 0);

  return self->speakers->len;
}

const char *
reel_project_get_speaker_name (ReelProject *self,
                               guint        index)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);
  g_return_val_if_fail (index < self->speakers->len, NULL);

  return g_array_index (self->speakers, Speaker, index).speaker;
}

const char *
reel_project_get_speaker_voice (ReelProject *self,
                                guint        index)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);
  g_return_val_if_fail (index < self->speakers->len, NULL);

  return g_array_index (self->speakers, Speaker, index).voice;
}

static int
find_speaker (ReelProject *self,
              const char  *speaker)
{
  for (guint i = 0; i < self->speakers->len; i++)
    if (g_strcmp0 (g_array_index (self->speakers, Speaker, i).speaker, speaker) == 0)
      return (int) i;
  return -1;
}

const char *
reel_project_lookup_voice (ReelProject *self,
                           const char  *speaker)
{
  int index;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  if (speaker == NULL)
    return NULL;

  index = find_speaker (self, speaker);
  return index >= 0 ? g_array_index (self->speakers, Speaker, index).voice : NULL;
}

/* ---- Internal API (reel-project-private.h) ---- */

void
reel_project_set_title_internal (ReelProject *self,
                                 const char  *title)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  if (reel_set_string_nonnull (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
reel_project_set_path_internal (ReelProject *self,
                                const char  *path)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  if (g_strcmp0 (self->path, path) == 0)
    return;

  g_free (self->path);
  self->path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
}

void
reel_project_append_shot_internal (ReelProject *self,
                                   ReelShot    *shot)
{
  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (REEL_IS_SHOT (shot));

  g_list_store_append (self->shots, shot);
}

static void
set_speaker (ReelProject *self,
             const char  *speaker,
             const char  *voice)
{
  int index = find_speaker (self, speaker);

  if (voice == NULL)
    {
      if (index >= 0)
        g_array_remove_index (self->speakers, index);
    }
  else if (index >= 0)
    {
      Speaker *entry = &g_array_index (self->speakers, Speaker, index);

      g_free (entry->voice);
      entry->voice = g_strdup (voice);
    }
  else
    {
      Speaker entry = { g_strdup (speaker), g_strdup (voice) };

      g_array_append_val (self->speakers, entry);
    }
}

void
reel_project_set_speakers (ReelProject        *self,
                           const char * const *speakers,
                           const char * const *voices)
{
  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail ((speakers == NULL) == (voices == NULL));

  g_array_set_size (self->speakers, 0);

  for (guint i = 0; speakers != NULL && speakers[i] != NULL; i++)
    {
      g_return_if_fail (voices[i] != NULL);
      set_speaker (self, speakers[i], voices[i]);
    }

  g_signal_emit (self, signals[SPEAKERS_CHANGED], 0);
}

void
reel_project_set_speaker_internal (ReelProject *self,
                                   const char  *speaker,
                                   const char  *voice)
{
  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (speaker != NULL);

  if (g_strcmp0 (reel_project_lookup_voice (self, speaker), voice) == 0)
    return;

  set_speaker (self, speaker, voice);
  g_signal_emit (self, signals[SPEAKERS_CHANGED], 0);
}

void
reel_project_mark_saved (ReelProject *self)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  reel_undo_stack_mark_saved (self->history);
  sync_history_state (self);
}

void
reel_project_mark_unsaved (ReelProject *self)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  reel_undo_stack_mark_unsaved (self->history);
  sync_history_state (self);
}

guint
reel_project_get_n_undo_steps (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), 0);

  return reel_undo_stack_get_n_undo (self->history);
}

void
reel_project_clear_history (ReelProject *self)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  reel_undo_stack_clear (self->history);
  sync_history_state (self);
}

const char *
reel_project_get_scratch_dir (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return self->scratch_dir;
}

void
reel_project_set_scratch_dir (ReelProject *self,
                              const char  *dir)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  if (g_strcmp0 (self->scratch_dir, dir) == 0)
    return;

  g_free (self->scratch_dir);
  self->scratch_dir = g_strdup (dir);
}

JsonObject *
reel_project_get_extra (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return self->extra;
}

void
reel_project_set_extra (ReelProject *self,
                        JsonObject  *extra)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}

JsonNode *
reel_json_node_copy (JsonNode *node)
{
  JsonNode *copy;

  if (node == NULL)
    return NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, reel_json_object_copy (json_node_get_object (node)));
      return copy;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        JsonArray *array_copy = json_array_sized_new (n);

        for (guint i = 0; i < n; i++)
          json_array_add_element (array_copy,
                                  reel_json_node_copy (json_array_get_element (array, i)));

        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, array_copy);
        return copy;
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      /* Scalars own no containers, so json-glib's copy is already deep. */
      return json_node_copy (node);
    }
}

JsonObject *
reel_json_object_copy (JsonObject *object)
{
  g_autoptr(GList) members = NULL;
  JsonObject *copy;

  if (object == NULL)
    return NULL;

  /* get_members() keeps the file's order, which a round trip should not shuffle. */
  copy = json_object_new ();
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            reel_json_node_copy (json_object_get_member (object, l->data)));

  return copy;
}
