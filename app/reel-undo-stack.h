#pragma once

/* The undo/redo history behind ReelProject (app-internal; the UI sees it through the project's
 * can-undo/undo-label/dirty properties).
 *
 * A command is pushed after its change has been applied to the model. The stack groups
 * commands (begin/end group), merges a command into the previous one when the command class
 * allows it (consecutive sets of one property), and remembers a save point so the project can
 * tell whether the document differs from what is on disk. Every command carries a serial
 * number; the save point is the serial of the command on top when the document was saved, so
 * walking back to it with undo/redo makes the document clean again. */

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ReelUndoStack   ReelUndoStack;
typedef struct _ReelUndoCommand ReelUndoCommand;

typedef struct
{
  void     (*undo)    (ReelUndoCommand *command);
  void     (*redo)    (ReelUndoCommand *command);
  /* Optional: absorb `next` (applied just after `command`) into `command`; TRUE when done, and
   * the stack then frees `next`. */
  gboolean (*merge)   (ReelUndoCommand *command,
                       ReelUndoCommand *next);
  /* Optional: TRUE when the command (after merges) changes nothing any more. */
  gboolean (*is_noop) (ReelUndoCommand *command);
  /* Frees what the subclass owns, not the struct itself. */
  void     (*clear)   (ReelUndoCommand *command);
  gsize    size;
} ReelUndoCommandClass;

struct _ReelUndoCommand
{
  const ReelUndoCommandClass *klass;
  char                       *label;
  guint64                     serial;
};

/* A zeroed command of klass->size bytes (klass->size >= sizeof (ReelUndoCommand)). */
gpointer       reel_undo_command_new           (const ReelUndoCommandClass *klass,
                                                const char                 *label);
void           reel_undo_command_free          (ReelUndoCommand            *command);

ReelUndoStack *reel_undo_stack_new             (guint            limit);
void           reel_undo_stack_free            (ReelUndoStack   *self);

/* Takes ownership of `command`, whose change is already applied. */
void           reel_undo_stack_push            (ReelUndoStack   *self,
                                                ReelUndoCommand *command);
void           reel_undo_stack_begin_group     (ReelUndoStack   *self,
                                                const char      *label);
void           reel_undo_stack_end_group       (ReelUndoStack   *self);
gboolean       reel_undo_stack_in_group        (ReelUndoStack   *self);
void           reel_undo_stack_break_merge     (ReelUndoStack   *self);

gboolean       reel_undo_stack_undo            (ReelUndoStack   *self);
gboolean       reel_undo_stack_redo            (ReelUndoStack   *self);

gboolean       reel_undo_stack_can_undo        (ReelUndoStack   *self);
gboolean       reel_undo_stack_can_redo        (ReelUndoStack   *self);
const char    *reel_undo_stack_get_undo_label  (ReelUndoStack   *self);
const char    *reel_undo_stack_get_redo_label  (ReelUndoStack   *self);
guint          reel_undo_stack_get_n_undo      (ReelUndoStack   *self);

void           reel_undo_stack_mark_saved      (ReelUndoStack   *self);
/* No state of the document is the saved one any more (a restored autosave, say). */
void           reel_undo_stack_mark_unsaved    (ReelUndoStack   *self);
/* TRUE when the model is in the state it had at the last mark_saved() (or at creation). */
gboolean       reel_undo_stack_is_at_save_point (ReelUndoStack  *self);
/* Drop every step, keeping whether the current state is the saved one. */
void           reel_undo_stack_clear           (ReelUndoStack   *self);

G_END_DECLS
