#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include "reel-c2pa.h"

/* Manifests that the reference implementation (c2pa-rs) wrote: Reel must read them as another
 * validator does. CI checks the repository out with shared/ beside it. */
static char *
fixture_path (const char *name)
{
  g_autofree char *dir = g_build_filename (REEL_SOURCE_ROOT, "..", "shared", "c2pa-fixtures",
                                           NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      if (g_getenv ("CI") != NULL)
        g_error ("The C2PA fixtures are missing from %s; CI must check out shared/ beside the "
                 "repository", dir);
      g_test_skip ("the C2PA fixtures (../shared/c2pa-fixtures) are not checked out");
      return NULL;
    }
  return g_build_filename (dir, name, NULL);
}

static ReelC2paReport *
verify_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  ReelC2paReport *report;

  if (path == NULL)
    return NULL;
  /* No trust anchor: the isolated data dir holds no local root. */
  report = reel_c2pa_verify_file (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; i < report->statuses->len; i++)
    {
      ReelC2paStatus *status = report->statuses->pdata[i];

      g_test_message ("%s: %s %s", name, status->code, status->explanation);
    }
  return report;
}

static void
test_video1 (void)
{
  g_autoptr(ReelC2paReport) report = verify_fixture ("video1.mp4");

  if (report == NULL)
    return;
  g_assert_true (report->valid);
  g_assert_false (report->trusted);
  g_assert_cmpstr (report->claim_label, ==, "c2pa.claim");
  g_assert_true (reel_c2pa_report_has_code (report, "claimSignature.validated"));
  g_assert_true (reel_c2pa_report_has_code (report, "signingCredential.untrusted"));
  g_assert_true (reel_c2pa_report_has_code (report, "assertion.hashedURI.match"));
  g_assert_true (reel_c2pa_report_has_code (report, "assertion.bmffHash.match"));
  g_assert_false (reel_c2pa_report_has_code (report, "assertion.bmffHash.mismatch"));
  g_assert_cmpuint (report->n_manifests, ==, 2);
  g_assert_cmpstr (report->alg, ==, "ES256");
}

static void
test_c_jpg (void)
{
  g_autoptr(ReelC2paReport) report = verify_fixture ("C.jpg");

  if (report == NULL)
    return;
  g_assert_true (report->valid);
  g_assert_false (report->trusted);
  g_assert_true (report->has_timestamp);
  g_assert_true (reel_c2pa_report_has_code (report, "claimSignature.validated"));
  g_assert_true (reel_c2pa_report_has_code (report, "signingCredential.untrusted"));
  g_assert_true (reel_c2pa_report_has_code (report, "assertion.dataHash.match"));
  g_assert_cmpstr (report->alg, ==, "PS256");
  g_assert_cmpuint (report->actions->len, >=, 1);
  g_assert_true (g_str_has_prefix (report->actions->pdata[0], "c2pa.created"));
}

static void
test_xca_jpg (void)
{
  g_autoptr(ReelC2paReport) report = verify_fixture ("XCA.jpg");

  if (report == NULL)
    return;
  g_assert_false (report->valid);
  /* The signature still holds: only the pixels changed. */
  g_assert_true (reel_c2pa_report_has_code (report, "claimSignature.validated"));
  g_assert_true (reel_c2pa_report_has_code (report, "assertion.dataHash.mismatch"));
  g_assert_false (reel_c2pa_report_has_code (report, "assertion.dataHash.match"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/c2pa/fixtures/video1-mp4", test_video1);
  g_test_add_func ("/c2pa/fixtures/c-jpg", test_c_jpg);
  g_test_add_func ("/c2pa/fixtures/xca-jpg", test_xca_jpg);
  return g_test_run ();
}
