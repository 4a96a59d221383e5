#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <string.h>

#include "reel-project.h"
#include "reel-project-io.h"
#include "reel-project-error.h"
#include "safety/reel-safety.h"

/* Likeness consent records: on the shot, undoable, copied with a duplicate, saved in
 * project.json with unknown members kept, validated on load, and required by the start-image
 * gate when the image shows a face (which the caller supplies: Reel has no face detector). */

#define IMAGE_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png"
#define IMAGE_B "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210.jpg"

static ReelConsent *
make_consent (const char *image)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 ("2026-11-25T14:00:00Z", NULL);

  return reel_consent_new ("Ann Example", "Ann Example", when,
                           "storyboard for the school film, not for publication", image);
}

static char *
project_json (const char *consent_json)
{
  return g_strdup_printf (
    "{\"format\": \"reel-project\", \"schema_version\": 2, \"title\": \"T\", \"shots\": ["
    "{\"id\": \"s1\", \"title\": \"Portrait\", \"duration\": 4.0, \"start_image\": \"%s\""
    "%s%s}]}", IMAGE_A, consent_json != NULL ? ", \"consent\": " : "",
    consent_json != NULL ? consent_json : "");
}

static ReelProject *
load (const char  *data,
      GError     **error)
{
  return reel_project_load_from_data (data, strlen (data), "project.json", NULL, error);
}

static void
test_round_trip (void)
{
  g_autofree char *input = project_json (
    "{\"subject\": \"Ann Example\", \"granted_by\": \"Ann's mother\", "
    "\"granted\": \"2026-11-25T15:00:00+01:00\", \"purpose\": \"class project\", "
    "\"start_image\": \"" IMAGE_A "\", \"witness\": \"Mr Patel\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = load (input, &error);
  g_autoptr(ReelProject) again = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 ("2026-11-25T14:00:00Z", NULL);
  ReelConsent *consent;
  const char *consent_json;

  g_assert_no_error (error);
  consent = reel_shot_get_consent (reel_project_get_shot (project, 0));
  g_assert_nonnull (consent);
  g_assert_cmpstr (reel_consent_get_subject (consent), ==, "Ann Example");
  g_assert_cmpstr (reel_consent_get_granted_by (consent), ==, "Ann's mother");
  g_assert_cmpstr (reel_consent_get_purpose (consent), ==, "class project");
  g_assert_cmpstr (reel_consent_get_start_image (consent), ==, IMAGE_A);
  g_assert_true (g_date_time_equal (reel_consent_get_granted (consent), expected));

  first = reel_project_to_data (project, NULL);
  g_test_message ("%s", first);
  /* Known members in order, the time in UTC, the unknown member kept after them. */
  consent_json = strstr (first, "\"consent\"");
  g_assert_nonnull (consent_json);
  g_assert_true (strstr (consent_json, "\"subject\"") < strstr (consent_json, "\"granted_by\""));
  g_assert_true (strstr (consent_json, "\"granted_by\"") < strstr (consent_json, "\"granted\""));
  g_assert_true (strstr (consent_json, "\"granted\"") < strstr (consent_json, "\"purpose\""));
  g_assert_true (strstr (consent_json, "\"purpose\"") < strstr (consent_json, "\"witness\""));
  g_assert_nonnull (strstr (consent_json, "\"2026-11-25T14:00:00Z\""));
  g_assert_true (strstr (first, "\"start_image\"") < strstr (first, "\"consent\""));

  again = load (first, &error);
  g_assert_no_error (error);
  second = reel_project_to_data (again, NULL);
  g_assert_cmpstr (first, ==, second);
}

/* A project without consent is written exactly as before: no new member appears. */
static void
test_absent (void)
{
  g_autofree char *input = project_json (NULL);
  g_autofree char *with_null = project_json ("null");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = load (input, &error);
  g_autoptr(ReelProject) nulled = NULL;
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  g_assert_null (reel_shot_get_consent (reel_project_get_shot (project, 0)));
  out = reel_project_to_data (project, NULL);
  g_assert_null (strstr (out, "consent"));

  nulled = load (with_null, &error);
  g_assert_no_error (error);
  g_assert_null (reel_shot_get_consent (reel_project_get_shot (nulled, 0)));
}

/* Removing a record whose object had unknown members must not write those members back as a
 * consent object without its fields (which would not load). */
static void
test_removed_with_unknown (void)
{
  g_autofree char *input = project_json (
    "{\"subject\": \"A\", \"granted_by\": \"A\", \"granted\": \"2026-11-25T14:00:00Z\", "
    "\"purpose\": \"p\", \"start_image\": \"" IMAGE_A "\", \"witness\": \"W\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = load (input, &error);
  g_autoptr(ReelProject) reloaded = NULL;
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  reel_shot_set_consent (reel_project_get_shot (project, 0), NULL);
  out = reel_project_to_data (project, NULL);
  g_assert_nonnull (strstr (out, "\"consent\": null"));
  reloaded = load (out, &error);
  g_assert_no_error (error);
  g_assert_null (reel_shot_get_consent (reel_project_get_shot (reloaded, 0)));
}

static void
test_malformed (void)
{
  const struct { const char *consent; int code; const char *field; } cases[] = {
    { "\"yes\"", REEL_PROJECT_ERROR_MALFORMED, "shots[0].consent" },
    { "{\"granted_by\": \"A\", \"granted\": \"2026-11-25T14:00:00Z\", \"purpose\": \"p\", "
      "\"start_image\": \"" IMAGE_A "\"}", REEL_PROJECT_ERROR_MALFORMED,
      "shots[0].consent.subject" },
    { "{\"subject\": \"A\", \"granted_by\": \"A\", \"granted\": \"2026-11-25T14:00:00Z\", "
      "\"purpose\": \"\", \"start_image\": \"" IMAGE_A "\"}", REEL_PROJECT_ERROR_INVALID_VALUE,
      "shots[0].consent.purpose" },
    { "{\"subject\": \"A\", \"granted_by\": \"A\", \"granted\": \"last week\", "
      "\"purpose\": \"p\", \"start_image\": \"" IMAGE_A "\"}", REEL_PROJECT_ERROR_INVALID_VALUE,
      "shots[0].consent.granted" },
    { "{\"subject\": \"A\", \"granted_by\": \"A\", \"granted\": \"2026-11-25T14:00:00Z\", "
      "\"purpose\": \"p\", \"start_image\": \"../../etc/passwd\"}",
      REEL_PROJECT_ERROR_UNSAFE_PATH, "shots[0].consent.start_image" },
    { "{\"subject\": \"A\", \"granted_by\": \"A\", \"granted\": \"2026-11-25T14:00:00Z\", "
      "\"purpose\": \"p\"}", REEL_PROJECT_ERROR_MALFORMED, "shots[0].consent.start_image" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *input = project_json (cases[i].consent);
      g_autofree char *where = g_strdup_printf ("project.json: %s: ", cases[i].field);
      g_autoptr(GError) error = NULL;
      g_autoptr(ReelProject) project = load (input, &error);

      g_assert_null (project);
      g_assert_error (error, REEL_PROJECT_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, where));
    }
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    data)
{
  (*(guint *) data)++;
}

static void
test_model_and_undo (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelConsent) consent = make_consent (IMAGE_A);
  g_autoptr(ReelConsent) same = make_consent (IMAGE_A);
  g_auto(GValue) value = G_VALUE_INIT;
  ReelShot *shot = reel_project_edit_add_shot (project, 0, NULL);
  g_autoptr(ReelShot) copy = NULL;
  guint notified = 0;

  g_signal_connect (shot, "notify::consent", G_CALLBACK (notify_cb), &notified);
  g_value_init (&value, REEL_TYPE_CONSENT);
  g_value_set_boxed (&value, consent);
  reel_project_edit_set (project, shot, "consent", &value);
  g_assert_true (reel_shot_get_consent (shot) == consent);
  g_assert_cmpuint (notified, ==, 1);

  /* An equal record is no change. */
  reel_shot_set_consent (shot, same);
  g_assert_cmpuint (notified, ==, 1);

  copy = reel_shot_duplicate (shot);
  g_assert_true (reel_consent_equal (reel_shot_get_consent (copy), consent));

  g_assert_true (reel_project_undo (project));
  g_assert_null (reel_shot_get_consent (shot));
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_consent_equal (reel_shot_get_consent (shot), consent));
  g_signal_handlers_disconnect_by_data (shot, &notified);
}

static void
test_start_image_gate (void)
{
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelConsent) for_a = make_consent (IMAGE_A);
  g_autoptr(ReelConsent) for_b = make_consent (IMAGE_B);
  g_autoptr(GError) error = NULL;

  reel_shot_set_title (shot, "Portrait");
  /* No start image: nothing to consent to. */
  g_assert_true (reel_safety_check_start_image (shot, 2, TRUE, &error));
  g_assert_no_error (error);

  reel_shot_set_start_image (shot, IMAGE_A);
  g_assert_true (reel_safety_check_start_image (shot, 2, FALSE, &error));
  g_assert_no_error (error);

  g_assert_false (reel_safety_check_start_image (shot, 2, TRUE, &error));
  g_assert_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_CONSENT_REQUIRED);
  g_assert_true (g_str_has_prefix (error->message, "Shot 2 “Portrait”: "));
  g_assert_nonnull (strstr (error->message, "no consent is recorded"));
  g_clear_error (&error);

  reel_shot_set_consent (shot, for_b);
  g_assert_false (reel_safety_check_start_image (shot, 2, TRUE, &error));
  g_assert_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_CONSENT_REQUIRED);
  g_assert_nonnull (strstr (error->message, "different start image"));
  g_clear_error (&error);

  reel_shot_set_consent (shot, for_a);
  g_assert_true (reel_safety_check_start_image (shot, 2, TRUE, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/consent/round-trip", test_round_trip);
  g_test_add_func ("/consent/absent", test_absent);
  g_test_add_func ("/consent/removed-with-unknown", test_removed_with_unknown);
  g_test_add_func ("/consent/malformed", test_malformed);
  g_test_add_func ("/consent/model-and-undo", test_model_and_undo);
  g_test_add_func ("/consent/start-image-gate", test_start_image_gate);

  return g_test_run ();
}
