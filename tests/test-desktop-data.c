#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

/* Paths and validator programs come from tests/meson.build; an empty program path means
 * meson did not find it, and the test that needs it skips with the package to install. */

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} SpawnResult;

static void
spawn_result_clear (SpawnResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SpawnResult, spawn_result_clear)

static void
run_program (const char * const *argv,
             SpawnResult        *result)
{
  g_autoptr(GError) error = NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &result->out, &result->err, &result->status, &error);
  g_assert_no_error (error);
}

static gboolean
program_missing (const char *path,
                 const char *package)
{
  g_autofree char *reason = NULL;

  if (path[0] != '\0')
    return FALSE;

  reason = g_strdup_printf ("program not found at configure time; install %s", package);
  g_test_skip (reason);
  return TRUE;
}

static void
test_desktop_validates (void)
{
  const char *argv[] = { DESKTOP_FILE_VALIDATE, DESKTOP_FILE, NULL };
  g_auto(SpawnResult) result = { 0 };

  if (program_missing (DESKTOP_FILE_VALIDATE, "desktop-file-utils"))
    return;

  run_program (argv, &result);
  /* desktop-file-validate exits 0 on warnings and hints; both are printed, so no output at all
   * means the file is clean. */
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpstr (result.err, ==, "");
  g_assert_true (g_spawn_check_wait_status (result.status, NULL));
}

static void
test_desktop_fields (void)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *comment_de = NULL;
  g_autofree char *keywords_de = NULL;

  g_key_file_load_from_file (keyfile, DESKTOP_FILE, G_KEY_FILE_KEEP_TRANSLATIONS, &error);
  g_assert_no_error (error);

  icon = g_key_file_get_string (keyfile, G_KEY_FILE_DESKTOP_GROUP, "Icon", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (icon, ==, APP_ID);

  /* The binary that meson installs, so the launcher starts what was built. */
  exec = g_key_file_get_string (keyfile, G_KEY_FILE_DESKTOP_GROUP, "Exec", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (exec, PACKAGE_NAME " "));

  /* merge_file() wrote the German strings from po/de.po into the installed file. */
  comment = g_key_file_get_string (keyfile, G_KEY_FILE_DESKTOP_GROUP, "Comment", &error);
  g_assert_no_error (error);
  comment_de = g_key_file_get_string (keyfile, G_KEY_FILE_DESKTOP_GROUP, "Comment[de]", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (comment_de, !=, comment);
  keywords_de = g_key_file_get_string (keyfile, G_KEY_FILE_DESKTOP_GROUP, "Keywords[de]", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (keywords_de, ";"));
}

static void
test_metainfo_validates (void)
{
  const char *argv[] = { APPSTREAMCLI, "validate", "--no-net", "--strict", METAINFO_FILE, NULL };
  g_auto(SpawnResult) result = { 0 };

  if (program_missing (APPSTREAMCLI, "appstream"))
    return;

  run_program (argv, &result);
  if (!g_spawn_check_wait_status (result.status, NULL))
    g_test_message ("appstreamcli says:\n%s%s", result.out, result.err);
  g_assert_true (g_spawn_check_wait_status (result.status, NULL));
}

/* What the metainfo parser collects: the text of a few elements, and whether German text
 * was merged in. */
typedef struct
{
  GString  *text;
  char     *id;
  char     *launchable;
  char     *binary;
  char     *first_release;
  gboolean  has_german;
  gboolean  in_releases;
} Metainfo;

static void
metainfo_start_element (GMarkupParseContext  *context,
                        const char           *element_name,
                        const char          **attribute_names,
                        const char          **attribute_values,
                        gpointer              user_data,
                        GError              **error)
{
  Metainfo *info = user_data;

  g_string_truncate (info->text, 0);
  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      if (g_str_equal (attribute_names[i], "xml:lang") && g_str_equal (attribute_values[i], "de"))
        info->has_german = TRUE;
      if (g_str_equal (element_name, "release") && g_str_equal (attribute_names[i], "version")
          && info->first_release == NULL)
        info->first_release = g_strdup (attribute_values[i]);
    }
}

static void
metainfo_end_element (GMarkupParseContext  *context,
                      const char           *element_name,
                      gpointer              user_data,
                      GError              **error)
{
  Metainfo *info = user_data;
  const GSList *stack = g_markup_parse_context_get_element_stack (context);
  const char *parent = stack->next != NULL ? stack->next->data : NULL;

  if (g_str_equal (element_name, "id") && g_strcmp0 (parent, "component") == 0)
    info->id = g_strdup (info->text->str);
  else if (g_str_equal (element_name, "launchable"))
    info->launchable = g_strdup (info->text->str);
  else if (g_str_equal (element_name, "binary"))
    info->binary = g_strdup (info->text->str);
}

static void
metainfo_text (GMarkupParseContext  *context,
               const char           *text,
               gsize                 text_len,
               gpointer              user_data,
               GError              **error)
{
  Metainfo *info = user_data;

  g_string_append_len (info->text, text, text_len);
}

static void
test_metainfo_fields (void)
{
  const GMarkupParser parser = {
    .start_element = metainfo_start_element,
    .end_element = metainfo_end_element,
    .text = metainfo_text,
  };
  Metainfo info = { .text = g_string_new (NULL) };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_get_contents (METAINFO_FILE, &contents, &length, &error);
  g_assert_no_error (error);
  context = g_markup_parse_context_new (&parser, G_MARKUP_DEFAULT_FLAGS, &info, NULL);
  g_markup_parse_context_parse (context, contents, length, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (info.id, ==, APP_ID);
  g_assert_cmpstr (info.launchable, ==, APP_ID ".desktop");
  g_assert_cmpstr (info.binary, ==, PACKAGE_NAME);
  /* Releases are listed newest first; a version bump without a release entry fails here. */
  g_assert_cmpstr (info.first_release, ==, PACKAGE_VERSION);
  g_assert_true (info.has_german);

  g_string_free (info.text, TRUE);
  g_free (info.id);
  g_free (info.launchable);
  g_free (info.binary);
  g_free (info.first_release);
}

static void
test_schema_compiles_strictly (void)
{
  const char *argv[] = { GLIB_COMPILE_SCHEMAS, "--strict", "--dry-run", SCHEMA_DIR, NULL };
  g_auto(SpawnResult) result = { 0 };

  if (program_missing (GLIB_COMPILE_SCHEMAS, "libglib2.0-bin"))
    return;

  run_program (argv, &result);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_true (g_spawn_check_wait_status (result.status, NULL));
}

static void
test_schema_keys (void)
{
  /* The keys the studio reads for window state and recent projects (issue 2, item 6). */
  const struct { const char *name; const char *type; } keys[] = {
    { "window-width", "i" },
    { "window-height", "i" },
    { "window-maximized", "b" },
    { "recent-projects", "as" },
    { "compute-device", "s" },
  };
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  /* The schema compiled into the build tree, not whatever the machine has installed. */
  source = g_settings_schema_source_new_from_directory (COMPILED_SCHEMA_DIR, NULL, TRUE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, APP_ID, FALSE);
  g_assert_nonnull (schema);
  g_assert_cmpstr (g_settings_schema_get_path (schema), ==, "/io/github/reelstudio/Reel/");

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GSettingsSchemaKey) key = NULL;

      g_test_message ("key %s", keys[i].name);
      g_assert_true (g_settings_schema_has_key (schema, keys[i].name));
      key = g_settings_schema_get_key (schema, keys[i].name);
      g_assert_cmpstr (g_variant_type_peek_string (g_settings_schema_key_get_value_type (key)),
                       ==, keys[i].type);
    }
}

/* Collects the root element's attributes and every fill colour used. */
typedef struct
{
  char       *width;
  char       *height;
  GHashTable *fills;
} SvgInfo;

static void
svg_start_element (GMarkupParseContext  *context,
                   const char           *element_name,
                   const char          **attribute_names,
                   const char          **attribute_values,
                   gpointer              user_data,
                   GError              **error)
{
  SvgInfo *info = user_data;
  gboolean is_root = g_markup_parse_context_get_element_stack (context)->next == NULL;

  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      if (is_root && g_str_equal (attribute_names[i], "width"))
        info->width = g_strdup (attribute_values[i]);
      else if (is_root && g_str_equal (attribute_names[i], "height"))
        info->height = g_strdup (attribute_values[i]);
      else if (g_str_equal (attribute_names[i], "fill"))
        g_hash_table_add (info->fills, g_strdup (attribute_values[i]));
    }
}

static void
parse_svg (const char *path,
           SvgInfo    *info)
{
  const GMarkupParser parser = { .start_element = svg_start_element };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  context = g_markup_parse_context_new (&parser, G_MARKUP_DEFAULT_FLAGS, info, NULL);
  g_markup_parse_context_parse (context, contents, length, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
}

static void
test_icons (void)
{
  g_autofree char *colour = g_build_filename (REEL_SOURCE_ROOT, "data", "icons", "hicolor",
                                              "scalable", "apps", APP_ID ".svg", NULL);
  g_autofree char *symbolic = g_build_filename (REEL_SOURCE_ROOT, "data", "icons", "hicolor",
                                                "symbolic", "apps", APP_ID "-symbolic.svg",
                                                NULL);
  SvgInfo full = { .fills = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  SvgInfo sym = { .fills = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };

  /* GNOME app icons are drawn on a 128 px canvas, symbolic icons on 16 px. */
  parse_svg (colour, &full);
  g_assert_cmpstr (full.width, ==, "128");
  g_assert_cmpstr (full.height, ==, "128");
  g_assert_cmpuint (g_hash_table_size (full.fills), >, 4);

  /* A symbolic icon is recoloured by the theme, which only works when it has one colour. */
  parse_svg (symbolic, &sym);
  g_assert_cmpstr (sym.width, ==, "16");
  g_assert_cmpstr (sym.height, ==, "16");
  g_assert_cmpuint (g_hash_table_size (sym.fills), ==, 1);

  g_free (full.width);
  g_free (full.height);
  g_hash_table_unref (full.fills);
  g_free (sym.width);
  g_free (sym.height);
  g_hash_table_unref (sym.fills);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/desktop/validates", test_desktop_validates);
  g_test_add_func ("/data/desktop/fields", test_desktop_fields);
  g_test_add_func ("/data/metainfo/validates", test_metainfo_validates);
  g_test_add_func ("/data/metainfo/fields", test_metainfo_fields);
  g_test_add_func ("/data/schema/compiles-strictly", test_schema_compiles_strictly);
  g_test_add_func ("/data/schema/keys", test_schema_keys);
  g_test_add_func ("/data/icons", test_icons);

  return g_test_run ();
}
