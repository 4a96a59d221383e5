#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "reel-bmff.h"
#include "reel-c2pa.h"

/* Signs real MP4 and WebM files with Reel and checks the result with Reel's validator, with
 * independent validators from the npm registry (tests/c2pa-validators/: @trustnxt/c2pa-ts and
 * two WebAssembly builds of the reference implementation, an older one in @contentauth/toolkit
 * and a current one in @contentauth/c2pa-wasm), and with ffprobe. */

typedef struct
{
  char *dir;
  char *root;          /* the local root certificate, the trust anchor */
} Fixture;

static const ReelC2paIngredient ingredients[] = {
  { "take 1", "video/mp4", REEL_C2PA_RELATIONSHIP_PARENT_OF,
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" },
  { "start.png", "image/png", REEL_C2PA_RELATIONSHIP_INPUT_TO, NULL },
};
static const ReelC2paAction actions[] = {
  { REEL_C2PA_ACTION_OPENED, NULL, FALSE, 0 },
  { REEL_C2PA_ACTION_EDITED, "Remixed with a new prompt", TRUE, 1 },
};
static const ReelC2paParameter parameters[] = {
  { "prompt", "a lighthouse at dusk, slow dolly in" },
  { "seed", "1234" },
  { "steps", "20" },
};
static const ReelC2paManifestDesc desc = {
  .title = "Shot 3, take 2",
  .actions = actions, .n_actions = G_N_ELEMENTS (actions),
  .ingredients = ingredients, .n_ingredients = G_N_ELEMENTS (ingredients),
  .model_name = "reel-wan-tiny",
  .model_sha256 = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
  .parameters = parameters, .n_parameters = G_N_ELEMENTS (parameters),
};

static gboolean
have_tool (const char *path,
           const char *what)
{
  if (path[0] != '\0' && g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  if (g_getenv ("CI") != NULL)
    g_error ("%s is missing; CI installs it (build-aux/debian-packages.txt)", what);
  g_test_skip (what);
  return FALSE;
}

static gboolean
have_validators (void)
{
  g_autofree char *modules = g_build_filename (REEL_SOURCE_ROOT, "tests", "c2pa-validators",
                                               "node_modules", "@trustnxt", NULL);

  if (!have_tool (NODE, "node (Debian nodejs)"))
    return FALSE;
  if (g_file_test (modules, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (g_getenv ("CI") != NULL)
    g_error ("The npm validators are not installed; build-aux/reel-dev test runs npm ci in "
             "tests/c2pa-validators");
  g_test_skip ("npm validators not installed (npm ci in tests/c2pa-validators)");
  return FALSE;
}

static char *
run (const char * const *argv,
     int                *status)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &wait_status, &error);
  g_assert_no_error (error);
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  if (err != NULL && err[0] != '\0')
    g_test_message ("%s: %s", argv[0], err);
  return g_steal_pointer (&out);
}

/* One validator's verdict: { valid, trusted, codes }. */
static JsonObject *
npm_validate (const char *validator,
              const char *file,
              const char *mime,
              const char *sidecar,
              const char *trust)
{
  g_autofree char *script = g_build_filename (REEL_SOURCE_ROOT, "tests", "c2pa-validators",
                                              "validate.mjs", NULL);
  const char *argv[10] = { NODE, script, validator, file, mime };
  guint n = 5;
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  int status;

  if (sidecar != NULL)
    {
      argv[n++] = "--sidecar";
      argv[n++] = sidecar;
    }
  if (trust != NULL)
    {
      argv[n++] = "--trust";
      argv[n++] = trust;
    }
  out = run (argv, &status);
  g_test_message ("%s %s: %s", validator, file, out);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
has_code (JsonObject *verdict,
          const char *code)
{
  JsonArray *codes = json_object_get_array_member (verdict, "codes");

  for (guint i = 0; i < json_array_get_length (codes); i++)
    if (g_str_equal (json_array_get_string_element (codes, i), code))
      return TRUE;
  return FALSE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelC2paIdentity) identity = NULL;

  fixture->dir = g_dir_make_tmp ("reel-c2pa-XXXXXX", &error);
  g_assert_no_error (error);
  identity = reel_c2pa_identity_get_default (&error);
  g_assert_no_error (error);
  fixture->root = reel_c2pa_identity_default_root_path ();
}

static void
remove_all (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_all (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->root);
}

static char *
media_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "c2pa", "media", name, NULL);
}

/* A copy of path with one byte of the first box of the given type flipped. */
static char *
flip_byte_in (const char *path,
              const char *box_type,
              const char *dir)
{
  g_autofree char *contents = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strconcat ("flipped-", base, NULL);
  char *out = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  gsize length, at = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  if (box_type != NULL)
    {
      g_autoptr(GArray) boxes = reel_bmff_list_boxes ((const guint8 *) contents, length, 0,
                                                      &error);

      g_assert_no_error (error);
      for (guint i = 0; i < boxes->len && at == 0; i++)
        {
          ReelBmffBox *box = &g_array_index (boxes, ReelBmffBox, i);

          if (strcmp (box->type, box_type) == 0)
            at = box->offset + box->size / 2;
        }
    }
  else
    at = length / 2;
  g_assert_cmpuint (at, >, 0);
  contents[at] ^= 0x01;
  g_file_set_contents (out, contents, length, &error);
  g_assert_no_error (error);
  return out;
}

static guint32
first_chunk_offset (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  const guint8 *p = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize i = 0; p == NULL && i + 16 <= length; i++)
    if (memcmp (contents + i, "stco", 4) == 0)
      p = (const guint8 *) contents + i;
  g_assert_nonnull (p);
  /* 'stco', version and flags, entry count, then the first entry. */
  p += 12;
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
test_identity (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->root);
  const char *keys[] = { "root-key.pem", "signer-key.pem" };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *signer = g_build_filename (dir, "signer.pem", NULL);
  g_autoptr(ReelC2paIdentity) again = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *path = g_build_filename (dir, keys[i], NULL);
      GStatBuf st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
  /* A second use finds the identity instead of making a new one. */
  g_assert_true (g_file_get_contents (signer, &before, NULL, NULL));
  again = reel_c2pa_identity_get_default (&error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (signer, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
}

static void
test_mp4 (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *input = media_path ("take.mp4");
  g_autofree char *output = g_build_filename (fixture->dir, "signed.mp4", NULL);
  g_autofree char *flipped = NULL;
  g_autoptr(ReelC2paIdentity) identity = NULL;
  g_autoptr(ReelC2paReport) report = NULL;
  g_autoptr(ReelC2paReport) untrusted = NULL;
  g_autoptr(ReelC2paReport) tampered = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) boxes = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  const char *validators[] = { "c2pa-ts", "toolkit", "c2pa-wasm" };

  identity = reel_c2pa_identity_get_default (&error);
  g_assert_no_error (error);
  reel_c2pa_sign_mp4_file (input, output, &desc, identity, &error);
  g_assert_no_error (error);

  /* The manifest box sits right after ftyp, and every chunk offset moved by its size. */
  g_assert_true (g_file_get_contents (output, &contents, &length, NULL));
  boxes = reel_bmff_list_boxes ((const guint8 *) contents, length, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_array_index (boxes, ReelBmffBox, 0).type, ==, "ftyp");
  g_assert_true (reel_bmff_is_c2pa_box (&g_array_index (boxes, ReelBmffBox, 1)));
  g_assert_cmpuint (first_chunk_offset (output) - first_chunk_offset (input), ==,
                    g_array_index (boxes, ReelBmffBox, 1).size);

  report = reel_c2pa_verify_file (output, NULL, fixture->root, &error);
  g_assert_no_error (error);
  g_assert_true (report->valid);
  g_assert_true (report->trusted);
  g_assert_cmpstr (report->claim_label, ==, "c2pa.claim.v2");
  g_assert_cmpstr (report->alg, ==, "ES256");
  g_assert_true (reel_c2pa_report_has_code (report, "claimSignature.validated"));
  g_assert_true (reel_c2pa_report_has_code (report, "signingCredential.trusted"));
  g_assert_true (reel_c2pa_report_has_code (report, "assertion.bmffHash.match"));
  g_assert_true (g_ptr_array_find_with_equal_func (report->assertions, "c2pa.hash.bmff.v3",
                                                   g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (report->assertions, "cawg.training-mining",
                                                   g_str_equal, NULL));
  g_assert_cmpstr (report->title, ==, "Shot 3, take 2");
  g_assert_nonnull (strstr (report->model, "reel-wan-tiny"));
  g_assert_nonnull (strstr (report->parameters, "\"seed\": \"1234\""));
  g_assert_cmpuint (report->actions->len, ==, 2);
  g_assert_cmpstr (report->actions->pdata[1], ==,
                   "c2pa.edited, source trainedAlgorithmicMedia, by Reel: Remixed with a new "
                   "prompt");
  g_assert_cmpuint (report->ingredients->len, ==, 2);
  g_assert_nonnull (strstr (report->ingredients->pdata[0], "parentOf"));

  /* Another anchor: still valid, but the signer is not trusted. */
  untrusted = reel_c2pa_verify_file (output, NULL, input, &error);
  g_assert_no_error (error);
  g_assert_true (untrusted->valid);
  g_assert_false (untrusted->trusted);
  g_assert_true (reel_c2pa_report_has_code (untrusted, "signingCredential.untrusted"));

  flipped = flip_byte_in (output, "mdat", fixture->dir);
  tampered = reel_c2pa_verify_file (flipped, NULL, fixture->root, &error);
  g_assert_no_error (error);
  g_assert_false (tampered->valid);
  g_assert_true (reel_c2pa_report_has_code (tampered, "assertion.bmffHash.mismatch"));

  if (have_tool (FFPROBE, "ffprobe (Debian ffmpeg)"))
    {
      const char *argv[] = { FFPROBE, "-v", "error", "-count_frames", "-select_streams", "v:0",
                             "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0",
                             output, NULL };
      int status;
      g_autofree char *frames = run (argv, &status);

      g_assert_cmpint (status, ==, 0);
      g_assert_cmpstr (g_strstrip (frames), ==, "24");
    }

  if (!have_validators ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (validators); i++)
    {
      g_autoptr(JsonObject) good = npm_validate (validators[i], output, "video/mp4", NULL,
                                                 fixture->root);
      g_autoptr(JsonObject) bad = npm_validate (validators[i], flipped, "video/mp4", NULL,
                                                fixture->root);

      g_assert_true (json_object_get_boolean_member (good, "valid"));
      g_assert_true (has_code (good, "assertion.bmffHash.match"));
      g_assert_true (has_code (good, "claimSignature.validated"));
      g_assert_true (json_object_get_boolean_member (good, "trusted"));
      g_assert_false (json_object_get_boolean_member (bad, "valid"));
      g_assert_true (has_code (bad, "assertion.bmffHash.mismatch"));
    }
  /* c2pa-ts does no chain-of-trust check, so only the reference implementation can show that
   * trust comes from the anchor: without one it must not call the signer trusted. */
  for (guint i = 1; i < G_N_ELEMENTS (validators); i++)
    {
      g_autoptr(JsonObject) no_anchor = npm_validate (validators[i], output, "video/mp4", NULL,
                                                      NULL);

      g_assert_true (json_object_get_boolean_member (no_anchor, "valid"));
      g_assert_false (json_object_get_boolean_member (no_anchor, "trusted"));
    }
}

static void
test_sidecar (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *source = media_path ("take.webm");
  g_autofree char *asset = g_build_filename (fixture->dir, "take.webm", NULL);
  g_autofree char *sidecar = g_build_filename (fixture->dir, "take.c2pa", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *flipped = NULL;
  g_autoptr(ReelC2paIdentity) identity = NULL;
  g_autoptr(ReelC2paReport) report = NULL;
  g_autoptr(ReelC2paReport) tampered = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *validators[] = { "c2pa-ts", "toolkit" };

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_file_set_contents (asset, contents, length, &error);
  g_assert_no_error (error);
  identity = reel_c2pa_identity_get_default (&error);
  g_assert_no_error (error);
  reel_c2pa_sign_sidecar (asset, sidecar, &desc, identity, &error);
  g_assert_no_error (error);

  report = reel_c2pa_verify_file (asset, sidecar, fixture->root, &error);
  g_assert_no_error (error);
  g_assert_true (report->valid);
  g_assert_true (report->trusted);
  g_assert_true (reel_c2pa_report_has_code (report, "assertion.dataHash.match"));

  /* The sidecar beside the asset (take.c2pa for take.webm) is found without being named. */
  {
    g_autoptr(ReelC2paReport) found = reel_c2pa_verify_file (asset, NULL, fixture->root,
                                                             &error);

    g_assert_no_error (error);
    g_assert_true (found->valid);
    g_assert_true (reel_c2pa_report_has_code (found, "assertion.dataHash.match"));
  }

  flipped = flip_byte_in (asset, NULL, fixture->dir);
  tampered = reel_c2pa_verify_file (flipped, sidecar, fixture->root, &error);
  g_assert_no_error (error);
  g_assert_false (tampered->valid);
  g_assert_true (reel_c2pa_report_has_code (tampered, "assertion.dataHash.mismatch"));

  if (!have_validators ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (validators); i++)
    {
      g_autoptr(JsonObject) good = npm_validate (validators[i], asset, "video/webm", sidecar,
                                                 fixture->root);
      g_autoptr(JsonObject) bad = npm_validate (validators[i], flipped, "video/webm", sidecar,
                                                fixture->root);

      g_assert_true (json_object_get_boolean_member (good, "valid"));
      g_assert_true (json_object_get_boolean_member (good, "trusted"));
      g_assert_true (has_code (good, "assertion.dataHash.match"));
      g_assert_false (json_object_get_boolean_member (bad, "valid"));
      g_assert_true (has_code (bad, "assertion.dataHash.mismatch"));
    }
}

/* A user's own key and chain: the root at the end of the chain file stays out of x5chain. */
static void
test_user_identity (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->root);
  g_autofree char *key = g_build_filename (dir, "signer-key.pem", NULL);
  g_autofree char *signer = g_build_filename (dir, "signer.pem", NULL);
  g_autofree char *chain = g_build_filename (fixture->dir, "chain.pem", NULL);
  g_autofree char *input = media_path ("take.mp4");
  g_autofree char *output = g_build_filename (fixture->dir, "user.mp4", NULL);
  g_autofree char *leaf_pem = NULL;
  g_autofree char *root_pem = NULL;
  g_autofree char *both = NULL;
  g_autoptr(ReelC2paIdentity) identity = NULL;
  g_autoptr(ReelC2paReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (signer, &leaf_pem, NULL, NULL));
  g_assert_true (g_file_get_contents (fixture->root, &root_pem, NULL, NULL));
  both = g_strconcat (leaf_pem, root_pem, NULL);
  g_file_set_contents (chain, both, -1, &error);
  g_assert_no_error (error);

  identity = reel_c2pa_identity_load (key, chain, &error);
  g_assert_no_error (error);
  reel_c2pa_sign_mp4_file (input, output, &desc, identity, &error);
  g_assert_no_error (error);
  report = reel_c2pa_verify_file (output, NULL, fixture->root, &error);
  g_assert_no_error (error);
  g_assert_true (report->valid);
  g_assert_true (report->trusted);

  /* A key that is not EC P-256 is refused with the reason. */
  g_clear_pointer (&identity, reel_c2pa_identity_free);
  identity = reel_c2pa_identity_load (signer, chain, &error);
  g_assert_null (identity);
  g_assert_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_CRYPTO);
}

/* A remix: the parent take's manifest travels inside the child's store as its ingredient's. */
static void
test_remix_chain (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *input = media_path ("take.mp4");
  g_autofree char *parent = g_build_filename (fixture->dir, "parent.mp4", NULL);
  g_autofree char *child = g_build_filename (fixture->dir, "child.mp4", NULL);
  g_autoptr(ReelC2paIdentity) identity = NULL;
  g_autoptr(ReelC2paReport) parent_report = NULL;
  g_autoptr(ReelC2paReport) report = NULL;
  g_autoptr(GBytes) parent_store = NULL;
  g_autoptr(GError) error = NULL;
  ReelC2paIngredient parent_ingredient = ingredients[0];
  ReelC2paManifestDesc remix = desc;
  const char *validators[] = { "c2pa-ts", "toolkit", "c2pa-wasm" };

  identity = reel_c2pa_identity_get_default (&error);
  g_assert_no_error (error);
  reel_c2pa_sign_mp4_file (input, parent, &desc, identity, &error);
  g_assert_no_error (error);
  parent_report = reel_c2pa_verify_file (parent, NULL, fixture->root, &error);
  g_assert_no_error (error);
  parent_store = reel_c2pa_read_manifest_store (parent, &error);
  g_assert_no_error (error);

  parent_ingredient.manifest_store = parent_store;
  remix.ingredients = &parent_ingredient;
  remix.n_ingredients = 1;
  remix.actions = actions;
  remix.n_actions = 1;
  reel_c2pa_sign_mp4_file (input, child, &remix, identity, &error);
  g_assert_no_error (error);

  report = reel_c2pa_verify_file (child, NULL, fixture->root, &error);
  g_assert_no_error (error);
  g_assert_true (report->valid);
  g_assert_true (report->trusted);
  g_assert_cmpuint (report->n_manifests, ==, 2);
  g_assert_cmpstr (report->manifest_label, !=, parent_report->manifest_label);
  g_assert_true (reel_c2pa_report_has_code (report, "ingredient.manifest.validated"));
  g_assert_true (reel_c2pa_report_has_code (report, "ingredient.claimSignature.validated"));
  g_assert_nonnull (strstr (report->ingredients->pdata[0], parent_report->manifest_label));

  if (!have_validators ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (validators); i++)
    {
      g_autoptr(JsonObject) verdict = npm_validate (validators[i], child, "video/mp4", NULL,
                                                    fixture->root);

      g_assert_true (json_object_get_boolean_member (verdict, "valid"));
      g_assert_true (json_object_get_boolean_member (verdict, "trusted"));
      /* The current reference implementation checks the ingredient's manifest hash too. */
      if (g_str_equal (validators[i], "c2pa-wasm"))
        g_assert_true (has_code (verdict, "ingredient.manifest.validated"));
    }
}

/* An MP4 made now by GStreamer with moov after mdat (no faststart): every chunk offset still
 * moves by the manifest box, and a changed byte in moov is caught like one in mdat. */
static void
test_moov_last (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *made = g_build_filename (fixture->dir, "moov-last.mp4", NULL);
  g_autofree char *location = g_strconcat ("location=", made, NULL);
  g_autofree char *output = g_build_filename (fixture->dir, "moov-last-signed.mp4", NULL);
  g_autofree char *flipped = NULL;
  g_autoptr(ReelC2paIdentity) identity = NULL;
  g_autoptr(ReelC2paReport) report = NULL;
  g_autoptr(ReelC2paReport) tampered = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!have_tool (GST_LAUNCH, "gst-launch-1.0 (Debian gstreamer1.0-tools)"))
    return;
  {
    const char *argv[] = { GST_LAUNCH, "-q", "videotestsrc", "num-buffers=24", "!",
                           "video/x-raw,width=64,height=48,framerate=24/1", "!", "x264enc", "!",
                           "mp4mux", "!", "filesink", location, NULL };
    g_autofree char *out = run (argv, &status);

    g_assert_cmpint (status, ==, 0);
  }
  identity = reel_c2pa_identity_get_default (&error);
  g_assert_no_error (error);
  reel_c2pa_sign_mp4_file (made, output, &desc, identity, &error);
  g_assert_no_error (error);
  report = reel_c2pa_verify_file (output, NULL, fixture->root, &error);
  g_assert_no_error (error);
  g_assert_true (report->valid);
  g_assert_true (reel_c2pa_report_has_code (report, "assertion.bmffHash.match"));

  flipped = flip_byte_in (output, "moov", fixture->dir);
  tampered = reel_c2pa_verify_file (flipped, NULL, fixture->root, &error);
  g_assert_no_error (error);
  g_assert_false (tampered->valid);
  g_assert_true (reel_c2pa_report_has_code (tampered, "assertion.bmffHash.mismatch"));

  if (have_tool (FFPROBE, "ffprobe (Debian ffmpeg)"))
    {
      const char *argv[] = { FFPROBE, "-v", "error", "-count_frames", "-select_streams", "v:0",
                             "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0",
                             output, NULL };
      g_autofree char *frames = run (argv, &status);

      g_assert_cmpint (status, ==, 0);
      g_assert_cmpstr (g_strstrip (frames), ==, "24");
    }
}

/* Files that cannot take an embedded manifest are refused with the reason. */
static void
test_refused_inputs (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *mp4 = media_path ("take.mp4");
  g_autofree char *webm = media_path ("take.webm");
  g_autofree char *signed_path = g_build_filename (fixture->dir, "once.mp4", NULL);
  g_autofree char *twice = g_build_filename (fixture->dir, "twice.mp4", NULL);
  g_autoptr(ReelC2paIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = reel_c2pa_identity_get_default (&error);
  g_assert_no_error (error);
  g_assert_false (reel_c2pa_sign_mp4_file (webm, twice, &desc, identity, &error));
  g_assert_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "does not start with an ftyp box"));
  g_clear_error (&error);

  g_assert_true (reel_c2pa_sign_mp4_file (mp4, signed_path, &desc, identity, &error));
  g_assert_no_error (error);
  g_assert_false (reel_c2pa_sign_mp4_file (signed_path, twice, &desc, identity, &error));
  g_assert_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "already carries a C2PA manifest"));
  g_assert_false (g_file_test (twice, G_FILE_TEST_EXISTS));
}

/* A caller-given label is the active manifest's, in an MP4 and in a sidecar, so the id the
 * watermark shows before signing is the manifest's; without one each signing gets a fresh one. */
static void
test_manifest_label (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *input = media_path ("take.mp4");
  g_autofree char *source = media_path ("take.webm");
  g_autofree char *output = g_build_filename (fixture->dir, "labelled.mp4", NULL);
  g_autofree char *fresh = g_build_filename (fixture->dir, "fresh.mp4", NULL);
  g_autofree char *sidecar = g_build_filename (fixture->dir, "take.c2pa", NULL);
  g_autofree char *bad = g_build_filename (fixture->dir, "bad.mp4", NULL);
  g_autofree char *label = reel_c2pa_manifest_label_new ();
  g_autofree char *short_id = NULL;
  g_autoptr(ReelC2paIdentity) identity = NULL;
  g_autoptr(ReelC2paReport) report = NULL;
  g_autoptr(ReelC2paReport) side = NULL;
  g_autoptr(ReelC2paReport) unlabelled = NULL;
  g_autoptr(GError) error = NULL;
  ReelC2paManifestDesc labelled = desc;
  const char *invalid[] = { "3f2a9c1d", "urn:c2pa:", "urn:c2pa:not-a-uuid",
                            "urn:uuid:3f2a9c1d-0000-4000-8000-000000000000",
                            "urn:c2pa:3f2a9c1d-0000-4000-8000-000000000000x" };

  g_assert_true (g_str_has_prefix (label, "urn:c2pa:"));
  g_assert_true (g_uuid_string_is_valid (label + strlen ("urn:c2pa:")));
  short_id = reel_c2pa_short_id (label);
  g_assert_cmpuint (strlen (short_id), ==, 8);
  g_assert_true (g_str_has_prefix (label + strlen ("urn:c2pa:"), short_id));
  {
    g_autofree char *upper = reel_c2pa_short_id ("urn:c2pa:3F2A9C1D-0000-4000-8000-000000000000");
    g_autofree char *versioned =
      reel_c2pa_short_id ("urn:c2pa:3f2a9c1d-0000-4000-8000-000000000000:reel:1");

    g_assert_cmpstr (upper, ==, "3f2a9c1d");
    g_assert_cmpstr (versioned, ==, "3f2a9c1d");
  }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *none = reel_c2pa_short_id (invalid[i]);

      g_assert_null (none);
    }

  identity = reel_c2pa_identity_get_default (&error);
  g_assert_no_error (error);
  labelled.manifest_label = label;
  g_assert_true (reel_c2pa_sign_mp4_file (input, output, &labelled, identity, &error));
  g_assert_no_error (error);
  report = reel_c2pa_verify_file (output, NULL, fixture->root, &error);
  g_assert_no_error (error);
  g_assert_true (report->valid);
  g_assert_cmpstr (report->manifest_label, ==, label);

  g_assert_true (reel_c2pa_sign_sidecar (source, sidecar, &labelled, identity, &error));
  g_assert_no_error (error);
  side = reel_c2pa_verify_file (source, sidecar, fixture->root, &error);
  g_assert_no_error (error);
  g_assert_true (side->valid);
  g_assert_cmpstr (side->manifest_label, ==, label);

  g_assert_true (reel_c2pa_sign_mp4_file (input, fresh, &desc, identity, &error));
  g_assert_no_error (error);
  unlabelled = reel_c2pa_verify_file (fresh, NULL, fixture->root, &error);
  g_assert_no_error (error);
  g_assert_true (unlabelled->valid);
  g_assert_cmpstr (unlabelled->manifest_label, !=, label);
  {
    g_autofree char *fresh_id = reel_c2pa_short_id (unlabelled->manifest_label);

    g_assert_nonnull (fresh_id);
  }

  labelled.manifest_label = "urn:c2pa:not-a-uuid";
  g_assert_false (reel_c2pa_sign_mp4_file (input, bad, &labelled, identity, &error));
  g_assert_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "urn:c2pa:not-a-uuid"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

/* A CA certificate (the local root itself) must not sign: validators reject it, so Reel does. */
static void
test_ca_signer_rejected (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->root);
  g_autofree char *root_key = g_build_filename (dir, "root-key.pem", NULL);
  g_autofree char *input = media_path ("take.mp4");
  g_autofree char *output = g_build_filename (fixture->dir, "ca.mp4", NULL);
  g_autoptr(ReelC2paIdentity) identity = NULL;
  g_autoptr(ReelC2paReport) report = NULL;
  g_autoptr(GError) error = NULL;

  identity = reel_c2pa_identity_load (root_key, fixture->root, &error);
  g_assert_no_error (error);
  reel_c2pa_sign_mp4_file (input, output, &desc, identity, &error);
  g_assert_no_error (error);
  report = reel_c2pa_verify_file (output, NULL, fixture->root, &error);
  g_assert_no_error (error);
  /* The signature itself is sound; the credential is not. */
  g_assert_true (reel_c2pa_report_has_code (report, "claimSignature.validated"));
  g_assert_true (reel_c2pa_report_has_code (report, "signingCredential.invalid"));
  g_assert_false (report->valid);
  g_assert_false (report->trusted);
}

/* reel verify: exit status 0 for a valid file, 1 for a tampered one, and JSON on request. */
static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *input = media_path ("take.mp4");
  g_autofree char *output = g_build_filename (fixture->dir, "cli.mp4", NULL);
  g_autofree char *flipped = NULL;
  g_autofree char *out = NULL;
  g_autofree char *bad_out = NULL;
  g_autoptr(ReelC2paIdentity) identity = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  int status;

  identity = reel_c2pa_identity_get_default (&error);
  g_assert_no_error (error);
  reel_c2pa_sign_mp4_file (input, output, &desc, identity, &error);
  g_assert_no_error (error);
  flipped = flip_byte_in (output, "mdat", fixture->dir);

  {
    const char *argv[] = { REEL_BINARY, "verify", "--json", "--trust", fixture->root, output,
                           NULL };

    out = run (argv, &status);
  }
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (root, "valid"));
  g_assert_true (json_object_get_boolean_member (root, "trusted"));
  g_assert_cmpstr (json_object_get_string_member (root, "claim"), ==, "c2pa.claim.v2");

  {
    const char *argv[] = { REEL_BINARY, "verify", "--trust", fixture->root, flipped, NULL };

    bad_out = run (argv, &status);
  }
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (bad_out, "assertion.bmffHash.mismatch"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/c2pa/sign/identity", Fixture, NULL, fixture_set_up, test_identity,
              fixture_tear_down);
  g_test_add ("/c2pa/sign/mp4", Fixture, NULL, fixture_set_up, test_mp4, fixture_tear_down);
  g_test_add ("/c2pa/sign/sidecar", Fixture, NULL, fixture_set_up, test_sidecar,
              fixture_tear_down);
  g_test_add ("/c2pa/sign/user-identity", Fixture, NULL, fixture_set_up, test_user_identity,
              fixture_tear_down);
  g_test_add ("/c2pa/sign/remix-chain", Fixture, NULL, fixture_set_up, test_remix_chain,
              fixture_tear_down);
  g_test_add ("/c2pa/sign/moov-last", Fixture, NULL, fixture_set_up, test_moov_last,
              fixture_tear_down);
  g_test_add ("/c2pa/sign/refused-inputs", Fixture, NULL, fixture_set_up, test_refused_inputs,
              fixture_tear_down);
  g_test_add ("/c2pa/sign/ca-signer-rejected", Fixture, NULL, fixture_set_up,
              test_ca_signer_rejected, fixture_tear_down);
  g_test_add ("/c2pa/sign/manifest-label", Fixture, NULL, fixture_set_up, test_manifest_label,
              fixture_tear_down);
  g_test_add ("/c2pa/sign/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  return g_test_run ();
}
