#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

/* The manifest must build everything meson asks for. Rather than keep a second list of
 * dependencies here, the test reads every meson.build in the source tree, collects the
 * dependency(), find_program() and find_library() calls that are required, and checks that
 * each is provided by the runtime (the manifest's "x-runtime-provides", a documented list of
 * what org.gnome.Sdk ships) or by one of the manifest's modules ("x-provides"). Adding a
 * dependency to any meson.build without providing it in the manifest fails this test. */

#define MANIFEST_PATH REEL_SOURCE_ROOT "/flatpak/" APP_ID ".json"

typedef enum
{
  REQUIREMENT_DEPENDENCY,
  REQUIREMENT_PROGRAM,
  REQUIREMENT_LIBRARY,
} RequirementKind;

/* The manifest keys that list what satisfies each kind of requirement. */
static const char * const kind_keys[] = { "dependencies", "programs", "libraries" };

typedef struct
{
  RequirementKind  kind;
  /* Alternatives: dependency('a', 'b') is satisfied by either name. */
  GStrv            names;
  char            *where;
} Requirement;

static void
requirement_free (Requirement *req)
{
  g_strfreev (req->names);
  g_free (req->where);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Requirement, requirement_free)

/* Returns a copy of @text of the same length with comments blanked and, if @blank_strings,
 * the insides of string literals blanked too; quotes and newlines stay where they were. Calls
 * are then found in the string-blanked copy, so that text inside a string or a comment never
 * counts as a call, and their arguments are read at the same offsets from the other copy. */
static char *
blank_text (const char *text,
            gboolean    blank_strings)
{
  char *out = g_strdup (text);
  gsize i = 0;

  while (out[i] != '\0')
    {
      if (out[i] == '#')
        {
          while (out[i] != '\0' && out[i] != '\n')
            out[i++] = ' ';
        }
      else if (out[i] == '\'')
        {
          gboolean triple = g_str_has_prefix (out + i, "\'\'\'");
          gsize quote_len = triple ? 3 : 1;

          i += quote_len;
          while (out[i] != '\0'
                 && !(triple ? g_str_has_prefix (out + i, "\'\'\'") : out[i] == '\''))
            {
              gsize step = (!triple && out[i] == '\\' && out[i + 1] != '\0') ? 2 : 1;

              for (gsize k = 0; blank_strings && k < step; k++)
                if (out[i + k] != '\n')
                  out[i + k] = ' ';
              i += step;
            }
          if (out[i] != '\0')
            i += quote_len;
        }
      else
        {
          i++;
        }
    }
  return out;
}

/* Returns the offset just past the parenthesis that closes the one before @start in a text
 * whose strings and comments are blanked, or -1 when the text ends first. */
static gssize
find_call_end (const char *shape,
               gsize       start)
{
  int depth = 1;

  for (gsize i = start; shape[i] != '\0'; i++)
    {
      if (shape[i] == '(')
        depth++;
      else if (shape[i] == ')' && --depth == 0)
        return i + 1;
    }
  return -1;
}

/* Collects the required dependency(), find_program() and find_library() calls in @text. */
static void
scan_meson_text (const char *text,
                 const char *file_name,
                 GPtrArray  *requirements)
{
  static const struct { const char *pattern; RequirementKind kind; } calls[] = {
    { "(?<![\\w.])dependency\\s*\\(", REQUIREMENT_DEPENDENCY },
    { "(?<![\\w.])find_program\\s*\\(", REQUIREMENT_PROGRAM },
    { "\\.find_library\\s*\\(", REQUIREMENT_LIBRARY },
  };
  g_autofree char *code = blank_text (text, FALSE);
  g_autofree char *shape = blank_text (text, TRUE);
  g_autoptr(GRegex) leading_strings = g_regex_new ("^\\s*'([^']*)'\\s*(,|\\))", 0, 0, NULL);
  g_autoptr(GRegex) optional = g_regex_new ("\\brequired\\s*:\\s*false\\b", 0, 0, NULL);

  for (gsize c = 0; c < G_N_ELEMENTS (calls); c++)
    {
      g_autoptr(GRegex) regex = g_regex_new (calls[c].pattern, G_REGEX_OPTIMIZE, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;

      g_regex_match (regex, shape, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(Requirement) req = NULL;
          g_autofree char *args = NULL;
          const char *cursor;
          int open_start, open_end;
          gssize close;

          g_match_info_fetch_pos (match, 0, &open_start, &open_end);
          close = find_call_end (shape, open_end);
          g_assert_cmpint (close, >, open_end);
          args = g_strndup (code + open_end, close - open_end);

          /* Leading string arguments are the names; a variable there cannot be checked
           * statically, so it must be spelt out. */
          cursor = args;
          for (;;)
            {
              g_autoptr(GMatchInfo) name_match = NULL;
              int name_end;

              if (!g_regex_match (leading_strings, cursor, 0, &name_match))
                break;
              g_ptr_array_add (names, g_match_info_fetch (name_match, 1));
              g_match_info_fetch_pos (name_match, 0, NULL, &name_end);
              if (cursor[name_end - 1] == ')')
                break;
              cursor += name_end;
            }

          if (names->len > 0 && !g_regex_match (optional, args, 0, NULL)
              && g_strcmp0 (g_ptr_array_index (names, 0), "") != 0)
            {
              req = g_new0 (Requirement, 1);
              req->kind = calls[c].kind;
              g_ptr_array_add (names, NULL);
              req->names = (GStrv) g_ptr_array_steal (names, NULL);
              req->where = g_strdup (file_name);
              g_ptr_array_add (requirements, g_steal_pointer (&req));
            }
          g_match_info_next (match, NULL);
        }
    }
}

static gboolean
is_build_directory (const char *path)
{
  g_autofree char *private = g_build_filename (path, "meson-private", NULL);

  return g_file_test (private, G_FILE_TEST_IS_DIR);
}

static void
scan_meson_tree (const char *dir,
                 GPtrArray  *requirements,
                 guint      *n_files)
{
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  handle = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (name[0] == '.')
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          if (!is_build_directory (path))
            scan_meson_tree (path, requirements, n_files);
        }
      else if (g_str_equal (name, "meson.build"))
        {
          g_autofree char *text = NULL;
          g_autofree char *relative = NULL;

          g_file_get_contents (path, &text, NULL, &error);
          g_assert_no_error (error);
          relative = g_strdup (path + strlen (REEL_SOURCE_ROOT) + 1);
          scan_meson_text (text, relative, requirements);
          (*n_files)++;
        }
    }
}

static JsonObject *
load_manifest (JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_file (parser, MANIFEST_PATH, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static JsonArray *
provides_list (JsonObject      *object,
               const char      *member,
               RequirementKind  kind)
{
  JsonObject *provides;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  provides = json_object_get_object_member (object, member);
  if (!json_object_has_member (provides, kind_keys[kind]))
    return NULL;
  return json_object_get_array_member (provides, kind_keys[kind]);
}

/* Returns who provides @req: "runtime", a module's name, or NULL. */
static const char *
find_provider (JsonObject        *manifest,
               const Requirement *req)
{
  JsonArray *modules = json_object_get_array_member (manifest, "modules");
  JsonArray *runtime = provides_list (manifest, "x-runtime-provides", req->kind);

  for (guint n = 0; req->names[n] != NULL; n++)
    {
      if (array_has_string (runtime, req->names[n]))
        return "runtime";
      for (guint i = 0; i < json_array_get_length (modules); i++)
        {
          JsonObject *module = json_array_get_object_element (modules, i);

          if (array_has_string (provides_list (module, "x-provides", req->kind), req->names[n]))
            return json_object_get_string_member (module, "name");
        }
    }
  return NULL;
}

static void
test_manifest_parses (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser);

  g_assert_cmpstr (json_object_get_string_member (manifest, "id"), ==, APP_ID);
  g_assert_cmpstr (json_object_get_string_member (manifest, "command"), ==, PACKAGE_NAME);
  g_assert_cmpstr (json_object_get_string_member (manifest, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (manifest, "sdk"), ==, "org.gnome.Sdk");
  g_assert_nonnull (json_object_get_string_member (manifest, "runtime-version"));
  g_assert_true (json_object_has_member (manifest, "x-runtime-provides"));
}

static void
test_manifest_app_module (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser);
  JsonArray *modules = json_object_get_array_member (manifest, "modules");
  JsonObject *app;
  JsonArray *sources;
  JsonObject *source;

  /* The app is built last, with meson, from this checkout. */
  g_assert_cmpuint (json_array_get_length (modules), >=, 1);
  app = json_array_get_object_element (modules, json_array_get_length (modules) - 1);
  g_assert_cmpstr (json_object_get_string_member (app, "name"), ==, PACKAGE_NAME);
  g_assert_cmpstr (json_object_get_string_member (app, "buildsystem"), ==, "meson");
  sources = json_object_get_array_member (app, "sources");
  g_assert_cmpuint (json_array_get_length (sources), ==, 1);
  source = json_array_get_object_element (sources, 0);
  g_assert_cmpstr (json_object_get_string_member (source, "type"), ==, "dir");
  g_assert_cmpstr (json_object_get_string_member (source, "path"), ==, "..");
}

static void
test_manifest_sources_pinned (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser);
  JsonArray *modules = json_object_get_array_member (manifest, "modules");
  g_autoptr(GRegex) sha256 = g_regex_new ("^[0-9a-f]{64}$", 0, 0, NULL);
  g_autoptr(GRegex) commit = g_regex_new ("^[0-9a-f]{40}$", 0, 0, NULL);

  /* A bundled library is fetched from its official release and checked by hash, so a build
   * is reproducible and a swapped archive is refused. */
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonObject *module = json_array_get_object_element (modules, i);
      JsonArray *sources = json_object_get_array_member (module, "sources");

      g_test_message ("module %s", json_object_get_string_member (module, "name"));
      for (guint s = 0; s < json_array_get_length (sources); s++)
        {
          JsonObject *source = json_array_get_object_element (sources, s);
          const char *type = json_object_get_string_member (source, "type");

          if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
            {
              g_assert_true (g_str_has_prefix (json_object_get_string_member (source, "url"),
                                               "https://"));
              g_assert_true (g_regex_match (sha256,
                                            json_object_get_string_member (source, "sha256"),
                                            0, NULL));
            }
          else if (g_str_equal (type, "git"))
            {
              g_assert_true (g_regex_match (commit,
                                            json_object_get_string_member (source, "commit"),
                                            0, NULL));
            }
          else
            {
              g_assert_cmpstr (type, ==, "dir");
            }
        }
    }
}

static void
test_manifest_finish_args (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser);
  JsonArray *args = json_object_get_array_member (manifest, "finish-args");

  /* The engine renders on the GPU; the window prefers Wayland and falls back to X11 only
   * where there is no Wayland; takes and cue auditions play sound. */
  g_assert_true (array_has_string (args, "--device=dri"));
  g_assert_true (array_has_string (args, "--socket=wayland"));
  g_assert_true (array_has_string (args, "--socket=fallback-x11"));
  g_assert_true (array_has_string (args, "--share=ipc"));
  g_assert_true (array_has_string (args, "--socket=pulseaudio"));
  /* Everything runs offline, and projects live in the user's folders, not the whole home. */
  g_assert_false (array_has_string (args, "--share=network"));
  g_assert_false (array_has_string (args, "--filesystem=home"));
  g_assert_false (array_has_string (args, "--filesystem=host"));
}

static void
test_scanner_finds_calls (void)
{
  const char *text =
    "glib_dep = dependency('glib-2.0', version: '>= 2.74')\n"
    "# old_dep = dependency('commented-out')\n"
    "opt_dep = dependency('optional-thing', required: false)\n"
    "multi = dependency(\n  'first-name', 'second-name',\n  version: '>= 1',\n)\n"
    "glslc = find_program('glslc')\n"
    "str = 'dependency(\\'in-a-string\\')'\n"
    "m = cc.find_library('m')\n"
    "x = declare_dependency(link_with: foo)\n";
  g_autoptr(GPtrArray) reqs = g_ptr_array_new_with_free_func ((GDestroyNotify) requirement_free);
  Requirement *req;

  scan_meson_text (text, "meson.build", reqs);

  g_assert_cmpuint (reqs->len, ==, 4);
  req = g_ptr_array_index (reqs, 0);
  g_assert_cmpint (req->kind, ==, REQUIREMENT_DEPENDENCY);
  g_assert_cmpstr (req->names[0], ==, "glib-2.0");
  g_assert_null (req->names[1]);
  req = g_ptr_array_index (reqs, 1);
  g_assert_cmpstr (req->names[0], ==, "first-name");
  g_assert_cmpstr (req->names[1], ==, "second-name");
  g_assert_null (req->names[2]);
  req = g_ptr_array_index (reqs, 2);
  g_assert_cmpint (req->kind, ==, REQUIREMENT_PROGRAM);
  g_assert_cmpstr (req->names[0], ==, "glslc");
  req = g_ptr_array_index (reqs, 3);
  g_assert_cmpint (req->kind, ==, REQUIREMENT_LIBRARY);
  g_assert_cmpstr (req->names[0], ==, "m");
}

static void
test_unprovided_dependency_is_caught (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser);
  g_autoptr(GPtrArray) reqs = g_ptr_array_new_with_free_func ((GDestroyNotify) requirement_free);

  /* The check below would pass vacuously if lookups always succeeded. */
  scan_meson_text ("d = dependency('libreel-nonexistent-1')\n"
                   "o = dependency('openblas')\n", "meson.build", reqs);
  g_assert_cmpuint (reqs->len, ==, 2);
  g_assert_null (find_provider (manifest, g_ptr_array_index (reqs, 0)));
  g_assert_cmpstr (find_provider (manifest, g_ptr_array_index (reqs, 1)), ==, "openblas");
}

static void
test_manifest_provides_every_dependency (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser);
  g_autoptr(GPtrArray) reqs = g_ptr_array_new_with_free_func ((GDestroyNotify) requirement_free);
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n_files = 0;

  scan_meson_tree (REEL_SOURCE_ROOT, reqs, &n_files);
  g_assert_cmpuint (n_files, >=, 5);
  g_assert_cmpuint (reqs->len, >=, 5);

  for (guint i = 0; i < reqs->len; i++)
    {
      const Requirement *req = g_ptr_array_index (reqs, i);
      const char *provider = find_provider (manifest, req);

      g_test_message ("%s: %s '%s' from %s", req->where, kind_keys[req->kind], req->names[0],
                      provider != NULL ? provider : "nowhere");
      if (provider == NULL)
        g_string_append_printf (missing, "\n  %s asks for %s '%s'", req->where,
                                kind_keys[req->kind], req->names[0]);
    }

  if (missing->len > 0)
    g_test_message ("flatpak/%s.json provides these neither through the runtime nor a module. "
                    "Add a module that builds each (naming it in the module's \"x-provides\"), "
                    "or, if org.gnome.Sdk ships it, add it to \"x-runtime-provides\".", APP_ID);
  g_assert_cmpstr (missing->str, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flatpak/manifest/parses", test_manifest_parses);
  g_test_add_func ("/flatpak/manifest/app-module", test_manifest_app_module);
  g_test_add_func ("/flatpak/manifest/sources-pinned", test_manifest_sources_pinned);
  g_test_add_func ("/flatpak/manifest/finish-args", test_manifest_finish_args);
  g_test_add_func ("/flatpak/scanner/finds-calls", test_scanner_finds_calls);
  g_test_add_func ("/flatpak/scanner/unprovided-is-caught", test_unprovided_dependency_is_caught);
  g_test_add_func ("/flatpak/manifest/provides-every-dependency",
                   test_manifest_provides_every_dependency);

  return g_test_run ();
}
