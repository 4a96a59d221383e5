#pragma once

/* Shared between the files that make up ReelWindow (reel-window.c, reel-window-actions.c). */

#include "reel-autosave.h"
#include "reel-inspector.h"
#include "reel-timeline.h"
#include "reel-window.h"

G_BEGIN_DECLS

struct _ReelWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  AdwSplitButton *open_button;
  GtkButton *undo_button;
  GtkButton *redo_button;
  GtkToggleButton *inspector_button;
  AdwFlap *flap;
  GtkStack *main_stack;
  AdwStatusPage *empty_page;
  GtkStack *preview_stack;
  GtkPicture *preview_picture;
  AdwStatusPage *preview_placeholder;
  ReelTimeline *timeline;
  ReelInspector *inspector;

  /* Owned references */
  ReelProject *project;
  GSettings *settings;
  GMenu *recent_menu;
  GSignalGroup *project_signals;
  GSignalGroup *shot_signals;
  GCancellable *preview_cancellable;
  ReelAutosave *autosave;

  /* The person chose to close despite unsaved changes, or saved first. */
  guint close_confirmed : 1;
  /* A save started from the close dialog closes the window once it succeeds. */
  guint close_after_save : 1;
};

void     _reel_window_class_actions_init (ReelWindowClass *klass);
void     _reel_window_update_actions     (ReelWindow      *self);
void     _reel_window_update_recent_menu (ReelWindow      *self);
/* Saves to the project's path, or asks for one first. */
void     _reel_window_save               (ReelWindow      *self);
void     _reel_window_save_as            (ReelWindow      *self);
gboolean _reel_window_has_unsaved_changes (ReelWindow   *self);
/* Shows @project, restored from a crash, as unsaved work. */
void     _reel_window_set_restored_project (ReelWindow  *self,
                                            ReelProject *project);
void     _reel_window_start_autosave     (ReelWindow      *self);
void     _reel_window_stop_autosave      (ReelWindow      *self);
void     _reel_window_remember_recent    (ReelWindow      *self,
                                          const char      *path);

G_END_DECLS
