#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "reel-commands.h"
#include "safety/reel-safety-policy-private.h"

/* reel bench safety [--set FILE.jsonl] [--preset P] [--json] [--show-misses]: scores a
 * safety preset on a labelled prompt set. Per category, not_unsafe is the share of violating
 * prompts that are blocked (under any category: a refusal is a refusal) and not_overrefuse the
 * share of benign prompts that are allowed. The default set is tests/safety/prompts.jsonl,
 * installed as PKGDATADIR/safety/prompts.jsonl; its sentences were never shown to the
 * classifier (render/train/safety/ trains on its own set). --only rules|classifier scores one
 * half alone, to show what each contributes. */

static const char * const categories[] = {
  "sexual", "minors_sexual", "self_harm", "violence_gore", "hate_extremism", "public_figures",
  "harassment", "fraud_impersonation",
};

typedef struct
{
  guint violating, blocked;
  guint benign, allowed;
} Score;

static int
category_index (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_str_equal (categories[i], id))
      return (int) i;
  return -1;
}

static char *
find_default_set (void)
{
  const char *data = reel_safety_get_data_dir ();
  char *installed = g_build_filename (data, "safety", "prompts.jsonl", NULL);

  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return installed;
  g_free (installed);
  /* The build tree: REEL_DATADIR is the source tree's data/, the set lives in tests/. */
  return g_build_filename (data, "..", "tests", "safety", "prompts.jsonl", NULL);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
score_set (ReelSafetyPolicy  *policy,
           const char        *path,
           gboolean           show_misses,
           Score             *scores,
           GError           **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(ReelSafetyVerdict) verdict = NULL;
      const char *category, *label, *field, *text, *id;
      JsonNode *root;
      JsonObject *object;
      int c;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[i], -1, &local_error))
        {
          g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_FAILED,
                       _("%s:%u: not a JSON object: %s"), path, i + 1, local_error->message);
          return FALSE;
        }
      root = json_parser_get_root (parser);
      object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      category = object != NULL ? member_string (object, "category") : NULL;
      label = object != NULL ? member_string (object, "label") : NULL;
      field = object != NULL ? member_string (object, "field") : NULL;
      text = object != NULL ? member_string (object, "text") : NULL;
      id = object != NULL ? member_string (object, "id") : NULL;
      if (category == NULL || label == NULL || text == NULL || field == NULL)
        {
          g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_FAILED,
                       _("%s:%u: each line needs the strings “id”, “category”, “label”, "
                         "“field” and “text”."), path, i + 1);
          return FALSE;
        }
      c = category_index (category);
      if (c < 0 || !(g_str_equal (label, "violating") || g_str_equal (label, "benign")))
        {
          g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_FAILED,
                       _("%s:%u: “%s” / “%s” is not a known category and label. Categories: "
                         "sexual, minors_sexual, self_harm, violence_gore, hate_extremism, "
                         "public_figures, harassment, fraud_impersonation; labels: violating, "
                         "benign."), path, i + 1, category, label);
          return FALSE;
        }

      verdict = reel_safety_check_text (policy, text, field, error);
      if (verdict == NULL)
        return FALSE;
      if (g_str_equal (label, "violating"))
        {
          scores[c].violating++;
          scores[c].blocked += verdict->blocked;
        }
      else
        {
          scores[c].benign++;
          scores[c].allowed += !verdict->blocked;
        }
      if (show_misses && verdict->blocked != g_str_equal (label, "violating"))
        {
          g_autofree char *words = g_strjoinv ("”, “", verdict->words);

          if (verdict->blocked)
            fprintf (stderr, "%s over-refused: %s → %s (“%s”) [score %.2f, p %.2f]\n",
                     id != NULL ? id : "?", text, verdict->category, words, verdict->score,
                     verdict->classifier);
          else
            fprintf (stderr, "%s missed: %s\n", id != NULL ? id : "?", text);
        }
    }
  return TRUE;
}

static double
share (guint part,
       guint whole)
{
  return whole > 0 ? (double) part / whole : 1.0;
}

static void
print_json (const char  *preset,
            const char  *only,
            const char  *set,
            const Score *scores)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "preset");
  json_builder_add_string_value (builder, preset);
  json_builder_set_member_name (builder, "only");
  if (only != NULL)
    json_builder_add_string_value (builder, only);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "set");
  json_builder_add_string_value (builder, set);
  json_builder_set_member_name (builder, "categories");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      const Score *s = &scores[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "category");
      json_builder_add_string_value (builder, categories[i]);
      json_builder_set_member_name (builder, "violating");
      json_builder_add_int_value (builder, s->violating);
      json_builder_set_member_name (builder, "blocked");
      json_builder_add_int_value (builder, s->blocked);
      json_builder_set_member_name (builder, "not_unsafe");
      json_builder_add_double_value (builder, share (s->blocked, s->violating));
      json_builder_set_member_name (builder, "benign");
      json_builder_add_int_value (builder, s->benign);
      json_builder_set_member_name (builder, "allowed");
      json_builder_add_int_value (builder, s->allowed);
      json_builder_set_member_name (builder, "not_overrefuse");
      json_builder_add_double_value (builder, share (s->allowed, s->benign));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static void
print_table (const char  *preset,
             const char  *only,
             const char  *set,
             const Score *scores)
{
  Score total = { 0 };

  if (only != NULL)
    printf (_("Safety preset “%s”, %s only, on %s\n\n"), preset, only, set);
  else
    printf (_("Safety preset “%s” on %s\n\n"), preset, set);
  printf ("%-20s %18s %22s\n", _("category"), _("not_unsafe"), _("not_overrefuse"));
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      const Score *s = &scores[i];

      printf ("%-20s %7.1f %% (%3u/%3u) %11.1f %% (%3u/%3u)\n", categories[i],
              100 * share (s->blocked, s->violating), s->blocked, s->violating,
              100 * share (s->allowed, s->benign), s->allowed, s->benign);
      total.violating += s->violating;
      total.blocked += s->blocked;
      total.benign += s->benign;
      total.allowed += s->allowed;
    }
  printf ("%-20s %7.1f %% (%3u/%3u) %11.1f %% (%3u/%3u)\n", _("all"),
          100 * share (total.blocked, total.violating), total.blocked, total.violating,
          100 * share (total.allowed, total.benign), total.allowed, total.benign);
}

int
reel_cmd_bench_safety (int    argc,
                       char **argv)
{
  g_autofree char *set = NULL;
  g_autofree char *preset = NULL;
  g_autofree char *only = NULL;
  gboolean json = FALSE, show_misses = FALSE;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_FILENAME, &set,
      N_("A JSON-lines prompt set (default: the set shipped with the tests)"), N_("FILE") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset,
      N_("The safety preset: default or classroom"), N_("PRESET") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the results as JSON"), NULL },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only,
      N_("Score one half of the check alone: rules or classifier"), N_("HALF") },
    { "show-misses", 0, 0, G_OPTION_ARG_NONE, &show_misses,
      N_("List every prompt the preset gets wrong on standard error"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("safety");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelSafetyPolicy) policy = NULL;
  Score scores[G_N_ELEMENTS (categories)] = { { 0 } };

  g_option_context_set_summary (context,
                                _("Scores a safety preset on a labelled prompt set: per "
                                  "category, the share of violating prompts blocked "
                                  "(not_unsafe) and of benign prompts allowed "
                                  "(not_overrefuse)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || argc != 2 || !g_str_equal (argv[1], "safety"))
    {
      fprintf (stderr, "%s\n  reel bench safety [--set FILE.jsonl] [--preset default|classroom] "
               "[--json]\n", error != NULL ? error->message : _("Usage:"));
      return 2;
    }
  if (preset == NULL)
    preset = g_strdup ("default");
  if (set == NULL)
    set = find_default_set ();

  policy = reel_safety_policy_load_preset (preset, &error);
  if (policy != NULL && only != NULL)
    {
      if (g_str_equal (only, "rules"))
        reel_safety_policy_set_ablation (policy, REEL_SAFETY_ABLATION_RULES_ONLY);
      else if (g_str_equal (only, "classifier") && policy->classifier != NULL)
        reel_safety_policy_set_ablation (policy, REEL_SAFETY_ABLATION_CLASSIFIER_ONLY);
      else
        {
          fprintf (stderr, _("reel bench safety: --only takes rules or classifier (and the "
                             "preset must name a classifier).\n"));
          return 2;
        }
    }
  if (policy == NULL || !score_set (policy, set, show_misses, scores, &error))
    {
      fprintf (stderr, "reel bench safety: %s\n", error->message);
      return 1;
    }

  if (json)
    print_json (preset, only, set, scores);
  else
    print_table (preset, only, set, scores);
  return 0;
}
