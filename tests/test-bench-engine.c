#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

/* `reel bench engine --quick` runs and prints what it promises: in --json form one object
 * with a "results" array whose entries all have op, backend, shape, gflops and ms, covering
 * every op and backend; otherwise a table. Only structure is checked, never speed. */

static char *
run_bench (gboolean   json,
           char     **err_out)
{
  const char *argv[] = { REEL_BINARY, "bench", "engine", "--quick", json ? "--json" : NULL,
                         NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, err_out, &status, &error));
  g_assert_no_error (error);
  g_test_message ("stderr: %s", *err_out);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  return out;
}

static gboolean
has_result (JsonArray  *results,
            const char *op,
            const char *backend)
{
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);

      if (g_str_equal (json_object_get_string_member (r, "op"), op)
          && g_str_equal (json_object_get_string_member (r, "backend"), backend))
        return TRUE;
    }
  return FALSE;
}

static void
test_bench_json (void)
{
  g_autofree char *err = NULL;
  g_autofree char *out = run_bench (TRUE, &err);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *members[] = { "op", "backend", "shape", "gflops", "ms" };
  JsonNode *root;
  JsonArray *results;
  gboolean with_vulkan;

  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_assert_true (json_object_has_member (json_node_get_object (root), "results"));
  results = json_object_get_array_member (json_node_get_object (root), "results");
  g_assert_nonnull (results);
  g_assert_cmpuint (json_array_get_length (results), >, 0);

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *r;

      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      r = json_node_get_object (node);
      g_assert_cmpuint (json_object_get_size (r), ==, G_N_ELEMENTS (members));
      for (gsize m = 0; m < G_N_ELEMENTS (members); m++)
        g_assert_true (json_object_has_member (r, members[m]));
      for (gsize m = 0; m < 3; m++)
        {
          const char *s = json_object_get_string_member (r, members[m]);

          g_assert_nonnull (s);
          g_assert_cmpuint (strlen (s), >, 0);
        }
      /* Numbers, not strings; a measured time is positive and a rate never negative. */
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (r, "gflops")), ==,
                       G_TYPE_DOUBLE);
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (r, "ms")), ==,
                       G_TYPE_DOUBLE);
      g_assert_cmpfloat (json_object_get_double_member (r, "gflops"), >=, 0.0);
      g_assert_cmpfloat (json_object_get_double_member (r, "ms"), >, 0.0);
    }

  g_assert_true (has_result (results, "matmul", "openblas"));
  g_assert_true (has_result (results, "matmul", "cpu"));
  g_assert_true (has_result (results, "attention", "cpu"));
  g_assert_true (has_result (results, "dispatch", "cpu"));

  /* The Vulkan rows are there whenever the command found a device (lavapipe in CI). */
  with_vulkan = strstr (err, "no Vulkan device") == NULL;
  g_test_message ("Vulkan device found: %s", with_vulkan ? "yes" : "no");
  if (with_vulkan)
    {
      g_assert_true (has_result (results, "matmul", "vulkan"));
      g_assert_true (has_result (results, "attention", "vulkan"));
      g_assert_true (has_result (results, "dispatch", "vulkan"));
    }
}

static void
test_bench_table (void)
{
  g_autofree char *err = NULL;
  g_autofree char *out = run_bench (FALSE, &err);

  g_assert_nonnull (strstr (out, "GFLOP/s"));
  g_assert_nonnull (strstr (out, "openblas"));
  g_assert_nonnull (strstr (out, "attention"));
  g_assert_nonnull (strstr (out, "x OpenBLAS"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bench-engine/json", test_bench_json);
  g_test_add_func ("/bench-engine/table", test_bench_table);

  return g_test_run ();
}
