#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "reel-c2pa.h"
#include "reel-commands.h"

static void
add_string_array (JsonBuilder *builder,
                  const char  *name,
                  GPtrArray   *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (builder, strings->pdata[i]);
  json_builder_end_array (builder);
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_json (const char           *path,
            const ReelC2paReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  add_member (builder, "file", path);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, report->valid);
  json_builder_set_member_name (builder, "trusted");
  json_builder_add_boolean_value (builder, report->trusted);
  json_builder_set_member_name (builder, "timestamped");
  json_builder_add_boolean_value (builder, report->has_timestamp);
  json_builder_set_member_name (builder, "manifests");
  json_builder_add_int_value (builder, report->n_manifests);
  add_member (builder, "manifest", report->manifest_label);
  add_member (builder, "claim", report->claim_label);
  add_member (builder, "title", report->title);
  add_member (builder, "generator", report->generator);
  add_member (builder, "signer", report->signer);
  add_member (builder, "alg", report->alg);
  add_member (builder, "model", report->model);
  add_member (builder, "parameters", report->parameters);
  add_string_array (builder, "actions", report->actions);
  add_string_array (builder, "ingredients", report->ingredients);
  add_string_array (builder, "assertions", report->assertions);
  json_builder_set_member_name (builder, "statuses");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->statuses->len; i++)
    {
      const ReelC2paStatus *status = report->statuses->pdata[i];

      json_builder_begin_object (builder);
      add_member (builder, "code", status->code);
      add_member (builder, "url", status->url);
      add_member (builder, "explanation", status->explanation);
      json_builder_set_member_name (builder, "failure");
      json_builder_add_boolean_value (builder, status->failure);
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
print_list (const char *heading,
            GPtrArray  *items)
{
  if (items->len == 0)
    return;
  printf ("%s:\n", heading);
  for (guint i = 0; i < items->len; i++)
    printf ("  %s\n", (const char *) items->pdata[i]);
}

static void
print_text (const char           *path,
            const ReelC2paReport *report)
{
  printf ("%s: %s, %s\n", path, report->valid ? _("valid") : _("INVALID"),
          report->trusted ? _("trusted") : _("signer not trusted"));
  printf ("%s: %s (%s, %u %s)\n", _("Manifest"), report->manifest_label, report->claim_label,
          report->n_manifests, _("in the store"));
  if (report->title != NULL)
    printf ("%s: %s\n", _("Title"), report->title);
  if (report->generator != NULL)
    printf ("%s: %s\n", _("Generator"), report->generator);
  printf ("%s: %s (%s)\n", _("Signed by"), report->signer ? report->signer : "?",
          report->alg ? report->alg : "?");
  if (!report->has_timestamp)
    printf ("%s\n", _("Time-stamp: none (the certificate was checked at the current time)"));
  if (report->model != NULL)
    printf ("%s: %s\n", _("Model"), report->model);
  if (report->parameters != NULL)
    printf ("%s: %s\n", _("Parameters"), report->parameters);
  print_list (_("Actions"), report->actions);
  print_list (_("Ingredients"), report->ingredients);
  printf ("%s:\n", _("Validation"));
  for (guint i = 0; i < report->statuses->len; i++)
    {
      const ReelC2paStatus *status = report->statuses->pdata[i];

      printf ("  %s %s%s%s: %s\n", status->failure ? "✗" : "✓", status->code,
              status->url ? " " : "", status->url ? status->url : "", status->explanation);
    }
}

/* reel verify FILE [--sidecar F] [--trust ROOT.pem] [--json]: what a C2PA manifest claims and
 * every validation result. Exit status 0 when valid (trusted or not), 1 when invalid, 2 when
 * no manifest could be read. */
int
reel_cmd_verify (int    argc,
                 char **argv)
{
  g_autofree char *sidecar = NULL;
  g_autofree char *trust = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "sidecar", 0, 0, G_OPTION_ARG_FILENAME, &sidecar, N_("The manifest store (.c2pa) of "
      "an asset that does not embed one"), N_("FILE") },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME, &trust, N_("Trust anchors (PEM); the local "
      "signing root by default"), N_("ROOT.pem") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelC2paReport) report = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Read and validate the C2PA manifest of a file."));
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("reel verify: %s\n", error ? error->message
                                               : _("give one FILE (an MP4, a JPEG, or an asset "
                                                   "with --sidecar)"));
      return 2;
    }

  report = reel_c2pa_verify_file (argv[1], sidecar, trust, &error);
  if (report == NULL)
    {
      g_printerr ("reel verify: %s\n", error->message);
      return 2;
    }
  if (json)
    print_json (argv[1], report);
  else
    print_text (argv[1], report);
  return report->valid ? 0 : 1;
}
