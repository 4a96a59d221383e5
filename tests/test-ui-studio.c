#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <glib/gstdio.h>

#include "reel-application.h"
#include "reel-project-io.h"
#include "reel-recovery.h"
#include "reel-shot-card.h"
#include "reel-window-private.h"

/* The studio under Xvfb, driven the way a person would drive it: through the inspector's
 * widgets, the timeline's actions (the ones its keyboard shortcuts and drag and drop use) and
 * the drop targets. Each step leaves a screenshot in $G_TEST_BUILDDIR/screenshots/. */

static char *tmp_dir;
static char *screenshot_dir;
static ReelApplication *app;

/* ---- Helpers ---- */

static gboolean
quit_loop_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Lets layout, frame clocks and the thumbnail threads finish. A fixed pause rather than a
 * condition because there are many independent things to settle; nothing is timed. */
static void
settle (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_loop_cb, loop);
  g_main_loop_run (loop);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  settle (400);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file_name = g_strdup_printf ("ui-studio-%s.png", name);
  path = g_build_filename (screenshot_dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%d×%d)", path, width, height);
}

static void
copy_tree (GFile *source,
           GFile *destination)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;

  g_file_make_directory_with_parents (destination, NULL, &error);
  g_assert_no_error (error);
  children = g_file_enumerate_children (source, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
  g_assert_no_error (error);

  while ((info = g_file_enumerator_next_file (children, NULL, &error)) != NULL)
    {
      g_autoptr(GFileInfo) owned = info;
      g_autoptr(GFile) from = g_file_get_child (source, g_file_info_get_name (info));
      g_autoptr(GFile) to = g_file_get_child (destination, g_file_info_get_name (info));

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        copy_tree (from, to);
      else
        {
          g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
        }
    }
  g_assert_no_error (error);
}

/* A copy of an example storyboard in the test's own folder, so saving cannot touch data/. */
static GFile *
copy_example (const char *name,
              const char *as)
{
  g_autofree char *source_path = NULL;
  g_autofree char *destination_path = NULL;
  g_autoptr(GFile) source = NULL;
  GFile *destination;

  source_path = g_build_filename (g_getenv ("REEL_DATADIR"), "examples", name, NULL);
  destination_path = g_build_filename (tmp_dir, as, NULL);
  source = g_file_new_for_path (source_path);
  destination = g_file_new_for_path (destination_path);
  copy_tree (source, destination);
  return destination;
}

/* A small PNG that exists only on disk, standing in for a photo from the file manager. */
static GFile *
write_png (const char *name,
           guint32     rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 320, 180);
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, rgba);
  /* A diagonal stripe, so the screenshots show the picture is drawn, not just a colour. */
  for (int y = 0; y < 180; y++)
    for (int x = y; x < MIN (y + 40, 320); x++)
      {
        guchar *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) + 4 * x;

        p[0] = 0xf0;
        p[1] = 0xd0;
        p[2] = 0x40;
        p[3] = 0xff;
      }
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static char *
sha256_of_file (GFile *file)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/* What a file manager hands over when files are dropped. The file manager itself cannot run
 * inside the test, so the test emits the drop target's "drop" signal with the same value. */
static gboolean
drop_files (GtkDropTarget *target,
            GFile         *file)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GSList) files = g_slist_prepend (NULL, file);
  gboolean handled = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &handled);
  return handled;
}

static gboolean
drop_shot (GtkDropTarget *target,
           ReelShot      *shot)
{
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_value_init (&value, REEL_TYPE_SHOT);
  g_value_set_object (&value, shot);
  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &handled);
  return handled;
}

/* Dropped images are copied on a worker thread; the edits land when the copies are done. */
static void
wait_for_imports (ReelTimeline *timeline)
{
  while (reel_timeline_get_importing (timeline))
    g_main_context_iteration (NULL, TRUE);
}

static char **
shot_ids (ReelProject *project)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < reel_project_get_n_shots (project); i++)
    g_strv_builder_add (builder, reel_shot_get_id (reel_project_get_shot (project, i)));
  return g_strv_builder_end (builder);
}

static AdwMessageDialog *
find_dialog_for (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel)
          && gtk_widget_get_visible (GTK_WIDGET (toplevel))
          && gtk_window_get_transient_for (GTK_WINDOW (toplevel)) == parent)
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

/* Clicking a response button emits the response and closes the dialog; responding from code
 * only does the first. */
static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  settle (50);
}

/* Closes a window with unsaved changes the way a person would: answering "Discard". */
static void
discard_and_close (ReelWindow *window)
{
  AdwMessageDialog *dialog;

  g_object_ref (window);
  gtk_window_close (GTK_WINDOW (window));
  settle (50);
  dialog = find_dialog_for (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  answer (dialog, "discard");
  g_assert_finalize_object (window);
}

static void
close_window (ReelWindow *window)
{
  g_object_ref (window);
  gtk_window_close (GTK_WINDOW (window));
  settle (200);
  g_assert_null (gtk_widget_get_parent (GTK_WIDGET (window)));
  g_assert_finalize_object (window);
}

/* ---- Tests ---- */

static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}


static void
test_studio_round_trip (void)
{
  g_autoptr(GFile) bundle = copy_example ("noir-detective.reel", "noir.reel");
  g_autoptr(GFile) png = write_png ("rain-frame.png", 0x203050ff);
  g_autoptr(GFile) not_an_image = NULL;
  g_autoptr(ReelProject) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) media_file = NULL;
  g_auto(GStrv) ids_before = NULL;
  g_auto(GStrv) recent = NULL;
  g_auto(GStrv) ids_expected = NULL;
  g_auto(GStrv) ids_after = NULL;
  g_autofree char *png_sha = NULL;
  g_autofree char *expected_media = NULL;
  g_autofree char *not_an_image_path = NULL;
  g_autofree char *old_prompt = NULL;
  /* The ampersand and angle brackets check that no label takes the prompt for markup. */
  const char *new_prompt = "Rain & neon: a <red> sign flickers through the streaked glass.";
  GtkTextBuffer *buffer;
  ReelWindow *window;
  ReelProject *project;
  ReelShotCard *card;
  ReelShot *shot;
  char *swap;
  guint n_shots;

  window = reel_application_open_project (app, bundle, NULL);
  g_assert_true (REEL_IS_WINDOW (window));
  project = reel_window_get_project (window);
  /* Opening puts the project first in the Open button's recent menu. */
  recent = g_settings_get_strv (window->settings, "recent-projects");
  g_assert_nonnull (recent[0]);
  g_assert_cmpstr (recent[0], ==, reel_project_get_path (project));
  n_shots = reel_project_get_n_shots (project);
  g_assert_cmpuint (n_shots, >=, 3);
  g_assert_false (reel_project_get_dirty (project));
  ids_before = shot_ids (project);
  screenshot (GTK_WIDGET (window), "1-opened");

  /* Edit the first shot's prompt in the inspector, as typing would. */
  reel_timeline_select (window->timeline, 0);
  settle (50);
  shot = reel_project_get_shot (project, 0);
  g_assert_true (reel_inspector_get_shot (window->inspector) == shot);
  old_prompt = g_strdup (reel_shot_get_prompt (shot));
  buffer = gtk_text_view_get_buffer (reel_inspector_get_prompt_view (window->inspector));
  gtk_text_buffer_set_text (buffer, new_prompt, -1);
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, new_prompt);
  g_assert_true (reel_project_get_dirty (project));

  /* One undo step takes the whole edit back, and the editor follows the model. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, old_prompt);
  {
    GtkTextIter start, end;
    g_autofree char *shown = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (shown, ==, old_prompt);
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL);
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, new_prompt);

  /* Typed letter by letter, each finished word is one undo step. */
  {
    const char *typed = " one two";
    GtkTextIter end;
    g_autofree char *one_word = g_strconcat (new_prompt, " one ", NULL);
    g_autofree char *all = g_strconcat (new_prompt, typed, NULL);

    for (const char *c = typed; *c != '\0'; c++)
      {
        gtk_text_buffer_get_end_iter (buffer, &end);
        gtk_text_buffer_insert_interactive (buffer, &end, c, 1, TRUE);
      }
    g_assert_cmpstr (reel_shot_get_prompt (shot), ==, all);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
    g_assert_cmpstr (reel_shot_get_prompt (shot), ==, one_word);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
    g_assert_cmpstr (reel_shot_get_prompt (shot), ==, new_prompt);
  }
  screenshot (GTK_WIDGET (window), "2-prompt-edited");

  /* Reorder: Ctrl+Shift+Right's action moves the first shot one place later ... */
  ids_expected = g_strdupv (ids_before);
  swap = ids_expected[0];
  ids_expected[0] = ids_expected[1];
  ids_expected[1] = swap;
  gtk_widget_activate_action (GTK_WIDGET (window->timeline), "timeline.move-right", NULL);
  g_assert_cmpuint (reel_timeline_get_selected_position (window->timeline), ==, 1);
  ids_after = shot_ids (project);
  g_assert_cmpstrv (ids_after, ids_expected);
  g_clear_pointer (&ids_after, g_strfreev);

  /* ... and dragging the last card onto the first card moves it to the front. */
  settle (100);
  card = reel_timeline_get_card (window->timeline, 0);
  g_assert_nonnull (card);
  g_assert_true (drop_shot (reel_shot_card_get_drop_target (card),
                            reel_project_get_shot (project, n_shots - 1)));
  swap = ids_expected[n_shots - 1];
  memmove (ids_expected + 1, ids_expected, (n_shots - 1) * sizeof (char *));
  ids_expected[0] = swap;
  ids_after = shot_ids (project);
  g_assert_cmpstrv (ids_after, ids_expected);
  g_clear_pointer (&ids_after, g_strfreev);
  screenshot (GTK_WIDGET (window), "3-reordered");

  /* Drop a PNG from "the file manager" on the second card: it becomes that shot's start
   * image, copied into media/ under its content hash. */
  settle (100);
  card = reel_timeline_get_card (window->timeline, 1);
  g_assert_nonnull (card);
  shot = reel_shot_card_get_shot (card);
  g_assert_true (drop_files (reel_shot_card_get_drop_target (card), png));
  wait_for_imports (window->timeline);
  png_sha = sha256_of_file (png);
  expected_media = g_strconcat (png_sha, ".png", NULL);
  g_assert_cmpstr (reel_shot_get_start_image (shot), ==, expected_media);

  /* A file that is not an image changes nothing (the toast names it; the ampersand checks
   * that a file name cannot break the toast's markup). */
  not_an_image_path = g_build_filename (tmp_dir, "notes & sketches.png", NULL);
  g_file_set_contents (not_an_image_path, "not a picture", -1, &error);
  g_assert_no_error (error);
  not_an_image = g_file_new_for_path (not_an_image_path);
  card = reel_timeline_get_card (window->timeline, 2);
  g_assert_nonnull (card);
  g_assert_true (drop_files (reel_shot_card_get_drop_target (card), not_an_image));
  wait_for_imports (window->timeline);
  g_assert_null (reel_shot_get_start_image (reel_shot_card_get_shot (card)));
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, n_shots);
  screenshot (GTK_WIDGET (window), "4-image-dropped");
  {
    g_autoptr(GPtrArray) scrollers = g_ptr_array_new ();
    GtkAdjustment *adjustment;

    /* The inspector's start image row, scrolled into view. */
    reel_timeline_select (window->timeline, 1);
    collect_widgets (GTK_WIDGET (window->inspector), GTK_TYPE_SCROLLED_WINDOW, scrollers);
    g_assert_cmpuint (scrollers->len, >, 0);
    adjustment = gtk_scrolled_window_get_vadjustment (g_ptr_array_index (scrollers, 0));
    gtk_adjustment_set_value (adjustment, 420);
    screenshot (GTK_WIDGET (window), "4b-start-image-in-inspector");
    gtk_adjustment_set_value (adjustment, 0);
  }

  /* Save, close, and read the bundle back without the UI. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_false (reel_project_get_dirty (project));
  screenshot (GTK_WIDGET (window), "5-saved");
  close_window (window);

  reopened = reel_project_load (bundle, &error);
  g_assert_no_error (error);
  ids_after = shot_ids (reopened);
  g_assert_cmpstrv (ids_after, ids_expected);
  shot = reel_project_find_shot (reopened, ids_before[0]);
  g_assert_nonnull (shot);
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, new_prompt);
  shot = reel_project_get_shot (reopened, 1);
  g_assert_cmpstr (reel_shot_get_start_image (shot), ==, expected_media);
  media_file = reel_project_get_media_file (reopened, expected_media);
  g_assert_nonnull (media_file);
  {
    g_autofree char *media_sha = sha256_of_file (media_file);
    g_autoptr(GFile) media_dir = g_file_get_child (bundle, "media");
    g_autoptr(GFile) expected_file = g_file_get_child (media_dir, expected_media);

    g_assert_true (g_file_equal (media_file, expected_file));
    g_assert_cmpstr (media_sha, ==, png_sha);
  }
}

static void
test_studio_new_shots_from_images (void)
{
  g_autoptr(GFile) png = write_png ("alley.png", 0x601830ff);
  g_autoptr(GSList) files = NULL;
  ReelWindow *window;
  ReelProject *project;
  ReelShot *shot;

  window = reel_application_open_window (app, NULL);
  project = reel_window_get_project (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "empty");
  screenshot (GTK_WIDGET (window), "6-empty");

  /* Dropping on empty timeline space starts a new shot from the image, named after it. */
  files = g_slist_prepend (NULL, png);
  g_assert_true (reel_timeline_import_files (window->timeline, files, G_MAXUINT, FALSE));
  wait_for_imports (window->timeline);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 1);
  shot = reel_project_get_shot (project, 0);
  g_assert_cmpstr (reel_shot_get_title (shot), ==, "alley");
  g_assert_nonnull (reel_shot_get_start_image (shot));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "board");
  /* A file that is no image adds no shot, and leaves nothing to redo. */
  {
    g_autofree char *path = g_build_filename (tmp_dir, "empty.png", NULL);
    g_autoptr(GFile) empty = g_file_new_for_path (path);
    g_autoptr(GSList) bad = g_slist_prepend (NULL, empty);

    g_file_set_contents (path, "", 0, NULL);
    g_assert_true (reel_timeline_import_files (window->timeline, bad, G_MAXUINT, FALSE));
    wait_for_imports (window->timeline);
    g_assert_cmpuint (reel_project_get_n_shots (project), ==, 1);
    g_assert_false (reel_project_get_can_redo (project));
  }

  /* The keyboard's add, duplicate and delete. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-shot", NULL);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 2);
  g_assert_cmpuint (reel_timeline_get_selected_position (window->timeline), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (window->timeline), "timeline.duplicate-shot", NULL);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 3);
  gtk_widget_activate_action (GTK_WIDGET (window->timeline), "timeline.delete-shot", NULL);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 2);
  screenshot (GTK_WIDGET (window), "7a-deleted-toast");
  /* Two files dropped on a shot: the first becomes its start image, the second a new shot
   * right after it. */
  {
    g_autoptr(GFile) first = write_png ("street.png", 0x304060ff);
    g_autoptr(GFile) second = write_png ("car.png", 0x406030ff);
    g_autoptr(GSList) two = g_slist_append (g_slist_append (NULL, first), second);
    g_autofree char *first_sha = sha256_of_file (first);
    g_autofree char *first_media = g_strconcat (first_sha, ".png", NULL);

    g_assert_true (reel_timeline_import_files (window->timeline, two, 1, TRUE));
    wait_for_imports (window->timeline);
    g_assert_cmpuint (reel_project_get_n_shots (project), ==, 3);
    g_assert_cmpstr (reel_shot_get_start_image (reel_project_get_shot (project, 1)), ==,
                     first_media);
    g_assert_cmpstr (reel_shot_get_title (reel_project_get_shot (project, 2)), ==, "car");
    g_assert_nonnull (reel_shot_get_start_image (reel_project_get_shot (project, 2)));
    g_assert_cmpuint (reel_timeline_get_selected_position (window->timeline), ==, 2);
  }
  reel_timeline_select (window->timeline, 0);
  screenshot (GTK_WIDGET (window), "7-from-image");

  discard_and_close (window);
}


/* The whole inspector, page by page, with every cue opened. */
static void
test_studio_inspector (void)
{
  g_autoptr(GFile) bundle = copy_example ("noir-detective.reel", "noir-inspector.reel");
  g_autoptr(GPtrArray) expanders = g_ptr_array_new ();
  g_autoptr(GPtrArray) scrollers = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(ReelTake) root_take = NULL;
  g_autoptr(ReelTake) remix_take = NULL;
  GtkAdjustment *adjustment;
  ReelWindow *window;
  ReelProject *project;
  ReelShot *shot = NULL;
  guint with_cues = 0;

  window = reel_application_open_project (app, bundle, NULL);
  project = reel_window_get_project (window);
  /* The shot with the most kinds of cue shows the most editors. */
  for (guint i = 0; i < reel_project_get_n_shots (project); i++)
    {
      ReelShot *candidate = reel_project_get_shot (project, i);
      guint kinds = 2 * (g_list_model_get_n_items (reel_shot_get_dialogue (candidate)) > 0)
                    + (g_list_model_get_n_items (reel_shot_get_sfx (candidate)) > 0)
                    + (g_list_model_get_n_items (reel_shot_get_text_cues (candidate)) > 0);

      if (shot == NULL || kinds > with_cues)
        {
          shot = candidate;
          with_cues = kinds;
        }
    }
  reel_timeline_select (window->timeline, reel_project_get_shot_position (project, shot));
  settle (100);
  g_assert_true (reel_inspector_get_shot (window->inspector) == shot);

  /* Generation comes later; two takes made here show the take tree: a take and its remix.
   * Activating the remix's row selects it, as a click would. */
  root_take = reel_take_new (NULL, NULL);
  remix_take = reel_take_new (reel_take_get_id (root_take), NULL);
  reel_project_edit_add_take (project, shot, root_take);
  reel_project_edit_add_take (project, shot, remix_take);
  reel_project_edit_select_take (project, shot, root_take);
  collect_widgets (GTK_WIDGET (window->inspector), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_object_get_data (g_ptr_array_index (rows, i), "reel-take") == remix_take)
      g_signal_emit_by_name (g_ptr_array_index (rows, i), "activated");
  g_assert_true (reel_shot_get_selected_take (shot) == remix_take);

  collect_widgets (GTK_WIDGET (window->inspector), ADW_TYPE_EXPANDER_ROW, expanders);
  g_assert_cmpuint (expanders->len, >, 0);
  for (guint i = 0; i < expanders->len; i++)
    adw_expander_row_set_expanded (g_ptr_array_index (expanders, i), TRUE);

  /* The screen is smaller than the inspector: scroll it a page at a time. */
  collect_widgets (GTK_WIDGET (window->inspector), GTK_TYPE_SCROLLED_WINDOW, scrollers);
  g_assert_cmpuint (scrollers->len, >, 0);
  settle (100);
  adjustment = gtk_scrolled_window_get_vadjustment (g_ptr_array_index (scrollers, 0));
  for (guint page = 0; page < 6; page++)
    {
      g_autofree char *name = g_strdup_printf ("11-inspector-page%u", page + 1);
      double top = page * gtk_adjustment_get_page_size (adjustment) * 0.9;

      if (page > 0 && top > gtk_adjustment_get_upper (adjustment))
        break;
      gtk_adjustment_set_value (adjustment, top);
      screenshot (GTK_WIDGET (window), name);
    }

  /* Adding a dialogue line through the inspector's action is one undoable step. */
  {
    guint before = g_list_model_get_n_items (reel_shot_get_dialogue (shot));
    g_autoptr(ReelDialogueLine) line = NULL;
    GtkWidget *speaker;
    const char *known_voice;

    gtk_widget_activate_action (GTK_WIDGET (window->inspector), "inspector.add-dialogue", NULL);
    g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_dialogue (shot)), ==, before + 1);

    /* The new line has the cursor in its speaker; leaving that field fills in the voice the
     * storyboard gives that speaker. */
    line = g_list_model_get_item (reel_shot_get_dialogue (shot), before);
    known_voice = reel_project_lookup_voice (project, reel_dialogue_line_get_speaker (line));
    g_assert_nonnull (known_voice);
    reel_project_edit_set_string (project, line, "voice", "");
    settle (50);
    speaker = gtk_window_get_focus (GTK_WINDOW (window));
    g_assert_nonnull (gtk_widget_get_ancestor (speaker, ADW_TYPE_ENTRY_ROW));
    gtk_widget_grab_focus (GTK_WIDGET (reel_inspector_get_prompt_view (window->inspector)));
    g_assert_cmpstr (reel_dialogue_line_get_voice (line), ==, known_voice);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
    g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_dialogue (shot)), ==, before);
  }

  /* The takes made the project dirty. */
  discard_and_close (window);
}

/* Closing with unsaved changes asks first; cancelling keeps the window, discarding closes it. */
static void
test_studio_close_asks (void)
{
  ReelWindow *window = reel_application_open_window (app, NULL);
  ReelProject *project = reel_window_get_project (window);
  AdwMessageDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-shot", NULL);
  g_assert_true (reel_project_get_dirty (project));
  settle (50);

  /* Cancelling keeps the window and the changes. */
  gtk_window_close (GTK_WINDOW (window));
  settle (50);
  dialog = find_dialog_for (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  screenshot (GTK_WIDGET (dialog), "12-close-dialog");
  answer (dialog, "cancel");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 1);

  discard_and_close (window);
}

/* A project that cannot be opened is named in a dialog, never half shown. */
static void
test_studio_open_error (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "missing.reel", NULL);
  g_autoptr(GFile) bundle = g_file_new_for_path (path);
  ReelWindow *window;
  AdwMessageDialog *dialog;

  window = reel_application_open_project (app, bundle, NULL);
  g_assert_true (REEL_IS_WINDOW (window));
  g_assert_true (reel_window_is_pristine (window));
  settle (50);
  dialog = find_dialog_for (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "missing.reel"));
  screenshot (GTK_WIDGET (dialog), "13-open-error");
  answer (dialog, "close");
  close_window (window);
}

/* Work left in a recovery file by a crash is offered when the studio starts. */
static void
test_studio_recovery (void)
{
  g_autoptr(ReelProject) crashed = reel_project_new ();
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  ReelWindow *window;
  ReelProject *restored;

  reel_project_edit_set_string (crashed, crashed, "title", "Before the crash");
  reel_project_edit_add_shot (crashed, 0, NULL);
  reel_project_write_recovery (crashed, &error);
  g_assert_no_error (error);

  /* What `reel` with no arguments does. */
  g_application_activate (G_APPLICATION (app));
  window = REEL_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  if (window == NULL)
    window = REEL_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  settle (50);
  dialog = find_dialog_for (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "restore"));
  screenshot (GTK_WIDGET (dialog), "0-recovery-dialog");
  answer (dialog, "restore");

  restored = reel_window_get_project (window);
  g_assert_cmpstr (reel_project_get_title (restored), ==, "Before the crash");
  g_assert_cmpuint (reel_project_get_n_shots (restored), ==, 1);
  /* Restored work is unsaved work: the title says so and closing asks. */
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "•"));
  screenshot (GTK_WIDGET (window), "0-recovered");
  discard_and_close (window);
}

static void
test_studio_small_and_dark (void)
{
  g_autoptr(GFile) bundle = copy_example ("noir-detective.reel", "noir-small.reel");
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GSettings) settings = NULL;
  ReelWindow *window;

  window = reel_application_open_project (app, bundle, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  settle (200);
  /* At 800 px the inspector folds over the board instead of squeezing it. */
  g_assert_true (adw_flap_get_folded (window->flap));
  screenshot (GTK_WIDGET (window), "8-small-800x600");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-inspector", NULL);
  g_assert_true (adw_flap_get_reveal_flap (window->flap));
  screenshot (GTK_WIDGET (window), "9-small-inspector-800x600");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  settle (200);
  screenshot (GTK_WIDGET (window), "10-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* The window's size outlives it, for the next window to open with. */
  settings = g_object_ref (window->settings);
  close_window (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1280);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 800);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

/* Every accelerator the application registers is listed in the shortcuts window. */
static void
test_shortcuts_window_complete (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) actions = NULL;
  GSList *objects;

  builder = gtk_builder_new_from_resource ("/io/github/reelstudio/Reel/gtk/help-overlay.ui");
  objects = gtk_builder_get_objects (builder);
  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *action_name = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "action-name", &action_name, NULL);
      if (action_name != NULL)
        g_hash_table_add (listed, (gpointer) g_intern_string (action_name));
    }
  g_slist_free (objects);

  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  g_assert_cmpuint (g_strv_length (actions), >, 5);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      if (!g_hash_table_contains (listed, g_intern_string (actions[i])))
        g_error ("%s has an accelerator but is missing from the shortcuts window", actions[i]);
    }

  /* The window ends up closed (and freed) once the builder goes. */
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

static gboolean
has_shortcut (GtkWidget  *widget,
              const char *trigger,
              const char *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autofree char *wanted = g_strdup_printf ("action(%s)", action);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *shortcut_trigger =
            gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *shortcut_action =
            gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

          if (g_strcmp0 (shortcut_trigger, trigger) == 0
              && g_strcmp0 (shortcut_action, wanted) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* The timeline's keys lead to the actions the other tests drive, and the shortcuts window
 * and About window open. */
static void
test_studio_keys_and_windows (void)
{
  ReelWindow *window = reel_application_open_window (app, NULL);
  GtkWidget *timeline = GTK_WIDGET (window->timeline);
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *shortcuts = NULL;
  GtkWindow *about = NULL;

  g_assert_true (has_shortcut (timeline, "<Shift><Control>Left", "timeline.move-left"));
  g_assert_true (has_shortcut (timeline, "<Shift><Control>Right", "timeline.move-right"));
  g_assert_true (has_shortcut (timeline, "Delete", "timeline.delete-shot"));
  g_assert_true (has_shortcut (timeline, "<Control>d", "timeline.duplicate-shot"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  settle (100);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        shortcuts = GTK_WINDOW (toplevel);
      if (ADW_IS_ABOUT_WINDOW (toplevel))
        about = GTK_WINDOW (toplevel);
    }
  g_assert_nonnull (shortcuts);
  g_assert_nonnull (about);
  screenshot (GTK_WIDGET (shortcuts), "14-shortcuts");
  screenshot (GTK_WIDGET (about), "15-about");
  gtk_window_destroy (about);
  gtk_window_close (shortcuts);

  close_window (window);
}

static void
skip_test (gconstpointer reason)
{
  g_test_skip (reason);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFileInfo) owned = info;
      g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_file_delete (child, NULL, NULL);
    }
  g_file_delete (file, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state_dir = NULL;
  /* Not freed: disposing it waits for the bus connection, which libadwaita keeps. */
  GTestDBus *bus;
  g_autofree char *dbus_daemon = NULL;
  g_autofree char *display = NULL;
  const char *build_dir = g_getenv ("G_TEST_BUILDDIR");
  int status;

  tmp_dir = g_dir_make_tmp ("reel-ui-studio-XXXXXX", &error);
  g_assert_no_error (error);
  /* Recovery files go to the test's folder, never to the real user's state. */
  state_dir = g_build_filename (tmp_dir, "state", NULL);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);

  g_test_init (&argc, &argv, NULL);

  screenshot_dir = g_build_filename (build_dir ? build_dir : tmp_dir, "screenshots", NULL);
  g_mkdir_with_parents (screenshot_dir, 0755);

  /* GtkApplication talks to the session bus; a private one keeps the test hermetic. */
  dbus_daemon = g_find_program_in_path ("dbus-daemon");
  if (dbus_daemon == NULL)
    {
      g_test_add_data_func ("/ui/studio/round-trip",
                            "dbus-daemon is missing (package dbus-daemon)", skip_test);
      return g_test_run ();
    }
  /* g_test_dbus_up() unsets DISPLAY to stop X11 autolaunching a bus; GTK still needs it. */
  display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  /* The private bus has no accessibility bus to hand out; GTK would warn about it. */
  g_setenv ("GTK_A11Y", "none", TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_data_func ("/ui/studio/round-trip",
                            "No display: run the UI tests under xvfb-run (package xvfb)",
                            skip_test);
      status = g_test_run ();
      g_test_dbus_stop (bus);
      return status;
    }

  app = reel_application_new ();
  /* Several test runs may share a session bus; they must not find each other. */
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  /* First: it needs a start with no other recovery file around. */
  g_test_add_func ("/ui/studio/recovery", test_studio_recovery);
  g_test_add_func ("/ui/studio/round-trip", test_studio_round_trip);
  g_test_add_func ("/ui/studio/open-error", test_studio_open_error);
  g_test_add_func ("/ui/studio/new-shots-from-images", test_studio_new_shots_from_images);
  g_test_add_func ("/ui/studio/small-and-dark", test_studio_small_and_dark);
  g_test_add_func ("/ui/studio/inspector", test_studio_inspector);
  g_test_add_func ("/ui/studio/close-asks", test_studio_close_asks);
  g_test_add_func ("/ui/studio/shortcuts-window", test_shortcuts_window_complete);
  g_test_add_func ("/ui/studio/keys-and-windows", test_studio_keys_and_windows);

  status = g_test_run ();

  g_clear_object (&app);
  /* Process-wide objects (libadwaita's settings portal proxy) keep the bus connection, so
   * stop the bus without waiting for the connection to go. */
  g_test_dbus_stop (bus);
  g_test_dbus_unset ();
  {
    g_autoptr(GFile) tmp = g_file_new_for_path (tmp_dir);

    remove_tree (tmp);
  }
  return status;
}
