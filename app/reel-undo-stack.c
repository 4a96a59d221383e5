#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include "reel-undo-stack.h"

typedef struct
{
  ReelUndoCommand  parent;
  GPtrArray       *children;
} Group;

struct _ReelUndoStack
{
  GPtrArray *undo;            /* oldest first */
  GPtrArray *redo;            /* next to redo last */
  guint      limit;

  Group     *group;           /* open group, or NULL */
  guint      group_depth;

  guint64    next_serial;
  /* Serial of the state below the oldest kept command (0 = the state at creation). */
  guint64    base_serial;
  guint64    saved_serial;
  gboolean   merge_open;
};

gpointer
reel_undo_command_new (const ReelUndoCommandClass *klass,
                       const char                 *label)
{
  ReelUndoCommand *command;

  g_assert (klass->size >= sizeof (ReelUndoCommand));

  command = g_malloc0 (klass->size);
  command->klass = klass;
  command->label = g_strdup (label);

  return command;
}

void
reel_undo_command_free (ReelUndoCommand *command)
{
  if (command == NULL)
    return;

  if (command->klass->clear != NULL)
    command->klass->clear (command);
  g_free (command->label);
  g_free (command);
}

/* ---- Groups are commands too ---- */

static void
group_undo (ReelUndoCommand *command)
{
  Group *group = (Group *) command;

  for (guint i = group->children->len; i > 0; i--)
    {
      ReelUndoCommand *child = g_ptr_array_index (group->children, i - 1);

      child->klass->undo (child);
    }
}

static void
group_redo (ReelUndoCommand *command)
{
  Group *group = (Group *) command;

  for (guint i = 0; i < group->children->len; i++)
    {
      ReelUndoCommand *child = g_ptr_array_index (group->children, i);

      child->klass->redo (child);
    }
}

static void
group_clear (ReelUndoCommand *command)
{
  Group *group = (Group *) command;

  g_clear_pointer (&group->children, g_ptr_array_unref);
}

static const ReelUndoCommandClass group_class = {
  .undo = group_undo,
  .redo = group_redo,
  .clear = group_clear,
  .size = sizeof (Group),
};

/* ---- The stack ---- */

ReelUndoStack *
reel_undo_stack_new (guint limit)
{
  ReelUndoStack *self = g_new0 (ReelUndoStack, 1);

  g_return_val_if_fail (limit > 0, NULL);

  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_undo_command_free);
  self->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_undo_command_free);
  self->limit = limit;
  self->next_serial = 1;

  return self;
}

void
reel_undo_stack_free (ReelUndoStack *self)
{
  if (self == NULL)
    return;

  reel_undo_command_free ((ReelUndoCommand *) self->group);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);
  g_free (self);
}

static ReelUndoCommand *
last_of (GPtrArray *array)
{
  return array->len > 0 ? g_ptr_array_index (array, array->len - 1) : NULL;
}

static guint64
current_serial (ReelUndoStack *self)
{
  ReelUndoCommand *top = last_of (self->undo);

  return top != NULL ? top->serial : self->base_serial;
}

/* Try to fold `command` into `last`; drops `last` from `array` if the fold undid it. */
static gboolean
try_merge (GPtrArray       *array,
           ReelUndoCommand *command)
{
  ReelUndoCommand *last = last_of (array);

  if (last == NULL || last->klass != command->klass || last->klass->merge == NULL)
    return FALSE;
  if (!last->klass->merge (last, command))
    return FALSE;

  reel_undo_command_free (command);

  if (last->klass->is_noop != NULL && last->klass->is_noop (last))
    g_ptr_array_remove_index (array, array->len - 1);

  return TRUE;
}

static void
push_to_history (ReelUndoStack   *self,
                 ReelUndoCommand *command)
{
  command->serial = self->next_serial++;
  g_ptr_array_add (self->undo, command);

  while (self->undo->len > self->limit)
    {
      ReelUndoCommand *oldest = g_ptr_array_index (self->undo, 0);

      self->base_serial = oldest->serial;
      g_ptr_array_remove_index (self->undo, 0);
    }
}

void
reel_undo_stack_push (ReelUndoStack   *self,
                      ReelUndoCommand *command)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (command != NULL);

  /* The model moved on: what was undone can no longer be redone on top of it. */
  g_ptr_array_set_size (self->redo, 0);

  if (self->group != NULL)
    {
      if (!try_merge (self->group->children, command))
        g_ptr_array_add (self->group->children, command);
      return;
    }

  if (self->merge_open)
    {
      ReelUndoCommand *top = last_of (self->undo);

      if (try_merge (self->undo, command))
        {
          /* The merged step is a new document state: a fresh serial keeps `dirty` honest
           * (a save point equal to the old serial must not look clean). */
          if (last_of (self->undo) == top)
            top->serial = self->next_serial++;
          else
            self->merge_open = FALSE;  /* the step vanished; never fold into an older one */
          return;
        }
    }

  push_to_history (self, command);
  self->merge_open = TRUE;
}

void
reel_undo_stack_begin_group (ReelUndoStack *self,
                             const char    *label)
{
  g_return_if_fail (self != NULL);

  if (self->group_depth++ > 0)
    return;

  self->group = reel_undo_command_new (&group_class, label);
  self->group->children =
    g_ptr_array_new_with_free_func ((GDestroyNotify) reel_undo_command_free);
}

void
reel_undo_stack_end_group (ReelUndoStack *self)
{
  Group *group;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->group_depth > 0);

  if (--self->group_depth > 0)
    return;

  group = g_steal_pointer (&self->group);
  self->merge_open = FALSE;

  if (group->children->len == 0)
    {
      reel_undo_command_free ((ReelUndoCommand *) group);
      return;
    }

  if (group->parent.label == NULL)
    {
      ReelUndoCommand *first = g_ptr_array_index (group->children, 0);

      group->parent.label = g_strdup (first->label);
    }

  push_to_history (self, (ReelUndoCommand *) group);
}

gboolean
reel_undo_stack_in_group (ReelUndoStack *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->group != NULL;
}

void
reel_undo_stack_break_merge (ReelUndoStack *self)
{
  g_return_if_fail (self != NULL);

  self->merge_open = FALSE;
}

gboolean
reel_undo_stack_undo (ReelUndoStack *self)
{
  ReelUndoCommand *command;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->group == NULL, FALSE);

  self->merge_open = FALSE;

  if (self->undo->len == 0)
    return FALSE;

  command = g_ptr_array_steal_index (self->undo, self->undo->len - 1);
  command->klass->undo (command);
  g_ptr_array_add (self->redo, command);

  return TRUE;
}

gboolean
reel_undo_stack_redo (ReelUndoStack *self)
{
  ReelUndoCommand *command;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->group == NULL, FALSE);

  self->merge_open = FALSE;

  if (self->redo->len == 0)
    return FALSE;

  command = g_ptr_array_steal_index (self->redo, self->redo->len - 1);
  command->klass->redo (command);
  /* Keep its serial: redoing back to a saved state must read as clean. */
  g_ptr_array_add (self->undo, command);

  return TRUE;
}

gboolean
reel_undo_stack_can_undo (ReelUndoStack *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->undo->len > 0;
}

gboolean
reel_undo_stack_can_redo (ReelUndoStack *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->redo->len > 0;
}

const char *
reel_undo_stack_get_undo_label (ReelUndoStack *self)
{
  ReelUndoCommand *top;

  g_return_val_if_fail (self != NULL, NULL);

  top = last_of (self->undo);
  return top != NULL ? top->label : NULL;
}

const char *
reel_undo_stack_get_redo_label (ReelUndoStack *self)
{
  ReelUndoCommand *top;

  g_return_val_if_fail (self != NULL, NULL);

  top = last_of (self->redo);
  return top != NULL ? top->label : NULL;
}

guint
reel_undo_stack_get_n_undo (ReelUndoStack *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->undo->len;
}

void
reel_undo_stack_mark_saved (ReelUndoStack *self)
{
  g_return_if_fail (self != NULL);

  self->saved_serial = current_serial (self);
  /* Typing after a save must start a new step, or undo would skip past the save point. */
  self->merge_open = FALSE;
}

void
reel_undo_stack_mark_unsaved (ReelUndoStack *self)
{
  g_return_if_fail (self != NULL);

  /* A serial that no command will ever carry, so no undo or redo leads back to "saved". */
  self->saved_serial = self->next_serial++;
}

gboolean
reel_undo_stack_is_at_save_point (ReelUndoStack *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* Edits inside an open group are applied but not yet on the stack. */
  if (self->group != NULL && self->group->children->len > 0)
    return FALSE;

  return current_serial (self) == self->saved_serial;
}

void
reel_undo_stack_clear (ReelUndoStack *self)
{
  gboolean was_saved;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->group == NULL);

  was_saved = reel_undo_stack_is_at_save_point (self);

  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  self->merge_open = FALSE;

  self->base_serial = self->next_serial++;
  if (was_saved)
    self->saved_serial = self->base_serial;
}
