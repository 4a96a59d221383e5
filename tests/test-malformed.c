#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "reel-project-io.h"

/* Every bundle in tests/malformed-projects/ must fail to load with its own error code, and the
 * message must name the file and the field so that a person can find and fix the problem. */

typedef struct
{
  const char *name;
  ReelProjectError code;
  const char *field;
} MalformedCase;

static const MalformedCase cases[] = {
  { "truncated-json",        REEL_PROJECT_ERROR_MALFORMED,       "(file)" },
  { "not-json",              REEL_PROJECT_ERROR_MALFORMED,       "(file)" },
  { "empty-file",            REEL_PROJECT_ERROR_MALFORMED,       "(file)" },
  { "binary-garbage",        REEL_PROJECT_ERROR_MALFORMED,       "(file)" },
  { "invalid-utf8",          REEL_PROJECT_ERROR_MALFORMED,       "(file)" },
  { "trailing-garbage",      REEL_PROJECT_ERROR_MALFORMED,       "(file)" },
  { "deeply-nested",         REEL_PROJECT_ERROR_MALFORMED,       "x[0][0][0]…" },
  { "root-not-object",       REEL_PROJECT_ERROR_MALFORMED,       "(top level)" },
  { "wrong-format",          REEL_PROJECT_ERROR_MALFORMED,       ": format:" },
  { "future-version",        REEL_PROJECT_ERROR_UNSUPPORTED_VERSION, ": schema_version:" },
  { "version-not-number",    REEL_PROJECT_ERROR_MALFORMED,       ": schema_version:" },
  { "missing-title",         REEL_PROJECT_ERROR_MALFORMED,       ": title:" },
  { "title-wrong-type",      REEL_PROJECT_ERROR_MALFORMED,       ": title:" },
  { "shots-not-array",       REEL_PROJECT_ERROR_MALFORMED,       ": shots:" },
  { "shot-not-object",       REEL_PROJECT_ERROR_MALFORMED,       "shots[1]:" },
  { "missing-shot-id",       REEL_PROJECT_ERROR_MALFORMED,       "shots[0].id" },
  { "duplicate-member",      REEL_PROJECT_ERROR_MALFORMED,       "shots[0].duration:" },
  { "duplicate-shot-ids",    REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[1].id" },
  { "negative-duration",     REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[2].duration" },
  { "duration-string",       REEL_PROJECT_ERROR_MALFORMED,       "shots[0].duration" },
  { "huge-float",            REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].duration" },
  { "huge-integer",          REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].seed" },
  { "seed-negative",         REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].seed" },
  { "bad-aspect",            REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[1].aspect" },
  { "camera-not-object",     REEL_PROJECT_ERROR_MALFORMED,       "shots[0].camera:" },
  { "missing-camera-move",   REEL_PROJECT_ERROR_MALFORMED,       "shots[1].camera.move" },
  { "unknown-camera-move",   REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[2].camera.move" },
  { "fps-fraction",          REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].camera.fps" },
  { "lens-out-of-range",     REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].camera.lens_mm" },
  { "dialogue-not-array",    REEL_PROJECT_ERROR_MALFORMED,       "shots[0].sound.dialogue:" },
  { "dialogue-missing-text", REEL_PROJECT_ERROR_MALFORMED,
    "shots[1].sound.dialogue[0].text" },
  { "sfx-offset-type",       REEL_PROJECT_ERROR_MALFORMED,       "shots[0].sound.sfx[1].offset" },
  { "music-intensity-range", REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].sound.music.intensity" },
  { "text-end-before-start", REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].text[0].end" },
  { "text-bad-position",     REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].text[0].position" },
  { "text-bad-style",        REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].text[0].style" },
  { "media-dotdot",          REEL_PROJECT_ERROR_UNSAFE_PATH,     "shots[0].start_image" },
  { "media-absolute",        REEL_PROJECT_ERROR_UNSAFE_PATH,     "shots[0].start_image" },
  { "media-bad-name",        REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].start_image" },
  { "missing-media",         REEL_PROJECT_ERROR_MISSING_MEDIA,   "shots[1].start_image" },
  { "media-symlink-escape",  REEL_PROJECT_ERROR_UNSAFE_PATH,     "shots[2].start_image" },
  { "take-media-dotdot",     REEL_PROJECT_ERROR_UNSAFE_PATH,     "shots[0].takes[0].media.video" },
  { "take-parent-missing",   REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].takes[1].parent" },
  { "take-parent-loop",      REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].takes[0].parent" },
  { "duplicate-take-ids",    REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].takes[1].id" },
  { "take-bad-created",      REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].takes[0].created" },
  { "selected-take-unknown", REEL_PROJECT_ERROR_INVALID_VALUE,   "shots[0].selected_take" },
  { "speaker-voice-type",    REEL_PROJECT_ERROR_MALFORMED,       "speakers[0].voice" },
  { "v1-bad-duration",       REEL_PROJECT_ERROR_MALFORMED,       "shots[0].duration_ms" },
  { "missing-project-json",  REEL_PROJECT_ERROR_NOT_FOUND,       "(file)" },
};

static void
copy_tree (const char *from,
           const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *src = g_build_filename (from, name, NULL);
      g_autofree char *dst = g_build_filename (to, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (src, G_FILE_TEST_IS_DIR))
        {
          copy_tree (src, dst);
          continue;
        }
      g_assert_true (g_file_get_contents (src, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (dst, contents, length, NULL));
    }
}

/* Git does not keep symlinks portably, so the escaping link is made here: media/<name> points
 * at a file outside the bundle. */
static char *
prepare_symlink_case (const char *source_bundle,
                      char      **out_tmp)
{
  g_autofree char *tmp = g_dir_make_tmp ("reel-malformed-XXXXXX", NULL);
  g_autofree char *bundle = g_build_filename (tmp, "escape.reel", NULL);
  g_autofree char *media = g_build_filename (bundle, "media", NULL);
  g_autofree char *secret = g_build_filename (tmp, "secret.png", NULL);
  g_autofree char *link = NULL;
  /* The name project.json references: 64 "b"s and ".png". */
  g_autofree char *name = g_strconcat ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
                                       "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", ".png", NULL);

  g_assert_nonnull (tmp);
  copy_tree (source_bundle, bundle);
  g_assert_cmpint (g_mkdir_with_parents (media, 0755), ==, 0);
  g_assert_true (g_file_set_contents (secret, "not yours", -1, NULL));
  link = g_build_filename (media, name, NULL);
  g_assert_cmpint (symlink ("../../secret.png", link), ==, 0);
  /* The link does resolve: the refusal is about where it leads, not about a dangling link. */
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_REGULAR));

  *out_tmp = g_steal_pointer (&tmp);
  return g_steal_pointer (&bundle);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)))
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static void
test_malformed_case (gconstpointer data)
{
  const MalformedCase *c = data;
  g_autofree char *dir_name = g_strconcat (c->name, ".reel", NULL);
  g_autofree char *bundle_path = g_test_build_filename (G_TEST_DIST, "malformed-projects",
                                                        dir_name, NULL);
  g_autofree char *tmp = NULL;
  g_autofree char *json_path = NULL;
  g_autoptr(GFile) bundle = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;

  g_assert_true (g_file_test (bundle_path, G_FILE_TEST_IS_DIR));
  if (g_str_equal (c->name, "media-symlink-escape"))
    {
      char *copied = prepare_symlink_case (bundle_path, &tmp);

      g_free (bundle_path);
      bundle_path = copied;
    }

  bundle = g_file_new_for_path (bundle_path);
  project = reel_project_load (bundle, &error);

  g_test_message ("%s: %s", c->name, error != NULL ? error->message : "(loaded)");
  /* Never a half-loaded project: either all of it or nothing. */
  g_assert_null (project);
  g_assert_error (error, REEL_PROJECT_ERROR, (int) c->code);

  json_path = g_build_filename (bundle_path, "project.json", NULL);
  g_assert_nonnull (strstr (error->message, json_path));
  g_assert_nonnull (strstr (error->message, c->field));

  if (tmp != NULL)
    remove_tree (tmp);
}

/* A file far too large to be a storyboard is refused before it is read (a sparse file, so the
 * test costs no disk space). */
static void
test_malformed_oversized (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("reel-malformed-XXXXXX", NULL);
  g_autofree char *bundle_path = g_build_filename (tmp, "huge.reel", NULL);
  g_autofree char *json_path = g_build_filename (bundle_path, "project.json", NULL);
  g_autoptr(GFile) bundle = g_file_new_for_path (bundle_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;
  int fd;

  g_assert_cmpint (g_mkdir_with_parents (bundle_path, 0755), ==, 0);
  fd = g_open (json_path, O_WRONLY | O_CREAT, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 300 * 1024 * 1024), ==, 0);
  close (fd);

  project = reel_project_load (bundle, &error);
  g_assert_null (project);
  g_assert_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, json_path));
  g_assert_nonnull (strstr (error->message, "300 MiB"));
  remove_tree (tmp);
}

/* The corpus is hand-picked; this sweeps every way a crash could cut the file short, and
 * single-byte corruptions, checking that each load gives a project or an error, never both,
 * never neither, never a crash. */
static void
test_malformed_truncations (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                 "product-teaser.reel", "project.json", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  guint loaded = 0, refused = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize cut = 0; cut <= length; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReelProject) project = reel_project_load_from_data (contents, cut, path, NULL,
                                                                     &error);

      g_assert_true ((project == NULL) != (error == NULL));
      if (project != NULL)
        {
          loaded++;
          g_assert_cmpuint (reel_project_get_n_shots (project), ==, 4);
        }
      else
        {
          refused++;
          g_assert_true (error->domain == REEL_PROJECT_ERROR);
          g_assert_nonnull (strstr (error->message, path));
        }
    }
  /* Only the whole file, and the whole file without its final newline, are complete. */
  g_assert_cmpuint (loaded, ==, 2);
  g_assert_cmpuint (refused, ==, length - 1);

  for (gsize i = 0; i < length; i += 3)
    {
      static const char replacements[] = { '"', '{', ']', '9', '\0', '\\', 'x' };
      g_autofree char *copy = g_memdup2 (contents, length);

      copy[i] = replacements[i % G_N_ELEMENTS (replacements)];
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(ReelProject) project = reel_project_load_from_data (copy, length, path, NULL,
                                                                       &error);

        g_assert_true ((project == NULL) != (error == NULL));
      }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_assert_cmpuint (G_N_ELEMENTS (cases), >=, 20);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *test_path = g_strconcat ("/malformed/", cases[i].name, NULL);

      g_test_add_data_func (test_path, &cases[i], test_malformed_case);
    }
  g_test_add_func ("/malformed/oversized", test_malformed_oversized);
  g_test_add_func ("/malformed/truncations-and-corruptions", test_malformed_truncations);

  return g_test_run ();
}
