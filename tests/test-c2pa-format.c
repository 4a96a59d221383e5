#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <string.h>

#include "reel-bmff.h"
#include "reel-c2pa.h"
#include "reel-cbor.h"
#include "reel-cose.h"
#include "reel-jumbf.h"

static GBytes *
encode_hex (const char *hex)
{
  gsize n = strlen (hex) / 2;
  guint8 *data = g_malloc (n);

  for (gsize i = 0; i < n; i++)
    data[i] = (guint8) g_ascii_strtoull ((char[]) { hex[2 * i], hex[2 * i + 1], 0 }, NULL, 16);
  return g_bytes_new_take (data, n);
}

static char *
to_hex (GBytes *bytes)
{
  gsize n;
  const guint8 *data = g_bytes_get_data (bytes, &n);
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (out, "%02x", data[i]);
  return g_string_free (out, FALSE);
}

/* Deterministic encoding: shortest heads and map keys in bytewise order of their encoding. */
static void
test_cbor_deterministic (void)
{
  g_autoptr(ReelCbor) map = reel_cbor_new_map ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *hex = NULL;

  reel_cbor_map_set_text (map, "bb", reel_cbor_new_uint (1000));
  reel_cbor_map_set_text (map, "a", reel_cbor_new_int (-25));
  reel_cbor_map_set (map, reel_cbor_new_int (1), reel_cbor_new_bytes ("\x01\x02", 2));
  bytes = reel_cbor_encode (map);
  hex = to_hex (bytes);
  /* {1: h'0102', "a": -25, "bb": 1000} */
  g_assert_cmpstr (hex, ==, "a301420102616138186262621903e8");
}

static void
test_cbor_round_trip (void)
{
  g_autoptr(ReelCbor) map = reel_cbor_new_map ();
  g_autoptr(ReelCbor) array = reel_cbor_new_array ();
  g_autoptr(ReelCbor) decoded = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GError) error = NULL;
  gint64 value;

  reel_cbor_array_add (array, reel_cbor_new_uint (G_MAXUINT32 + (guint64) 1));
  reel_cbor_array_add (array, reel_cbor_new_int (G_MININT64 + 1));
  reel_cbor_array_add (array, reel_cbor_new_null ());
  reel_cbor_array_add (array, reel_cbor_new_bool (TRUE));
  reel_cbor_map_set_text (map, "list", g_steal_pointer (&array));
  reel_cbor_map_set_text (map, "tagged", reel_cbor_new_tag (18, reel_cbor_new_text ("ü")));
  first = reel_cbor_encode (map);
  decoded = reel_cbor_decode (g_bytes_get_data (first, NULL), g_bytes_get_size (first), "test",
                              &error);
  g_assert_no_error (error);
  second = reel_cbor_encode (decoded);
  g_assert_true (g_bytes_equal (first, second));
  g_assert_true (reel_cbor_get_int (reel_cbor_item (reel_cbor_map_get (decoded, "list"), 1),
                                    &value));
  g_assert_cmpint (value, ==, G_MININT64 + 1);
  g_assert_cmpstr (reel_cbor_get_text (reel_cbor_item (reel_cbor_map_get (decoded, "tagged"), 0)),
                   ==, "ü");
}

/* The reference implementation writes indefinite lengths; they read as the definite form. */
static void
test_cbor_indefinite (void)
{
  g_autoptr(GBytes) input = encode_hex ("bf61619f0102ff617a7f6161616aff626273" "5f420102ffff");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelCbor) decoded = reel_cbor_decode (g_bytes_get_data (input, NULL),
                                                  g_bytes_get_size (input), "test", &error);
  g_autoptr(GBytes) encoded = NULL;
  g_autofree char *hex = NULL;

  g_assert_no_error (error);
  encoded = reel_cbor_encode (decoded);
  hex = to_hex (encoded);
  /* {"a": [1, 2], "z": "aj", "bs": h'0102'} */
  g_assert_cmpstr (hex, ==, "a36161820102617a62616a626273420102");
}

static void
test_cbor_depth_limit (void)
{
  g_autoptr(GByteArray) ok = g_byte_array_new ();
  g_autoptr(ReelCbor) item = NULL;
  g_autoptr(GError) error = NULL;
  guint8 one_array = 0x81, zero = 0;

  for (guint i = 0; i < REEL_CBOR_MAX_DEPTH; i++)
    g_byte_array_append (ok, &one_array, 1);
  g_byte_array_append (ok, &zero, 1);
  item = reel_cbor_decode (ok->data, ok->len, "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);
  g_clear_pointer (&item, reel_cbor_free);

  g_byte_array_prepend (ok, &one_array, 1);
  item = reel_cbor_decode (ok->data, ok->len, "test", &error);
  g_assert_null (item);
  g_assert_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "nested too deeply"));
}

static void
test_ecdsa_conversion (void)
{
  guint8 raw[64];
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;

  /* Leading zero bytes and high bits exercise DER's minimal, positive integers. */
  for (guint i = 0; i < 64; i++)
    raw[i] = (guint8) (i * 37 + 5);
  raw[0] = 0;
  raw[1] = 0x80;
  raw[32] = 0xff;
  der = reel_ecdsa_raw_to_der (raw, 64, &error);
  g_assert_no_error (error);
  back = reel_ecdsa_der_to_raw (g_bytes_get_data (der, NULL), g_bytes_get_size (der), 32, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), raw, 64);
}

static void
test_jumbf_round_trip (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(ReelJumbfBox) store = NULL;
  g_autoptr(GError) error = NULL;
  ReelJumbfBox *manifest, *content;
  gsize outer, inner;

  outer = reel_jumbf_begin_superbox (out, "c2pa", "c2pa");
  inner = reel_jumbf_begin_superbox (out, "c2ma", "urn:c2pa:test");
  reel_jumbf_add_content (out, "cbor", (const guint8 *) "\xa0", 1);
  reel_jumbf_end_box (out, inner);
  reel_jumbf_end_box (out, outer);

  store = reel_jumbf_parse (out->data, out->len, &error);
  g_assert_no_error (error);
  g_assert_true (reel_jumbf_has_type (store, "c2pa"));
  g_assert_cmpstr (store->label, ==, "c2pa");
  manifest = reel_jumbf_find_child (store, "urn:c2pa:test");
  g_assert_nonnull (manifest);
  g_assert_true (reel_jumbf_has_type (manifest, "c2ma"));
  content = reel_jumbf_content (manifest, "cbor");
  g_assert_nonnull (content);
  g_assert_cmpuint (content->payload_length, ==, 1);
  g_assert_cmpuint (content->payload[0], ==, 0xa0);
}

static void
put_be32 (guint8  *p,
          guint32  v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* Chunk offsets in both table kinds move, inside every trak; a 32-bit one that would pass
 * 4 GiB is refused rather than wrapped. */
static void
test_bmff_chunk_offsets (void)
{
  /* moov { trak { mdia { minf { stbl { stco [100, 200] } } } }, trak { ... co64 [2^32] } } */
  guint8 moov[8 + 2 * (8 + 8 + 8 + 8 + 24)];
  guint8 *p = moov;
  g_autoptr(GError) error = NULL;
  const char *containers[] = { "trak", "mdia", "minf", "stbl" };

  memset (moov, 0, sizeof moov);
  put_be32 (p, sizeof moov);
  memcpy (p + 4, "moov", 4);
  p += 8;
  for (guint t = 0; t < 2; t++)
    {
      for (guint c = 0; c < G_N_ELEMENTS (containers); c++)
        {
          put_be32 (p, 8 * (4 - c) + 24);
          memcpy (p + 4, containers[c], 4);
          p += 8;
        }
      put_be32 (p, 24);
      memcpy (p + 4, t == 0 ? "stco" : "co64", 4);
      put_be32 (p + 12, t == 0 ? 2 : 1);
      if (t == 0)
        {
          put_be32 (p + 16, 100);
          put_be32 (p + 20, 200);
        }
      else
        put_be32 (p + 16, 1);   /* the high word: 2^32 */
      p += 24;
    }
  g_assert_true (p == moov + sizeof moov);

  g_assert_true (reel_bmff_shift_chunk_offsets (moov, sizeof moov, 1000, &error));
  g_assert_no_error (error);
  p = moov + 8 + 4 * 8;
  g_assert_cmpuint ((p[18] << 8) | p[19], ==, 1100);
  g_assert_cmpuint ((p[22] << 8) | p[23], ==, 1200);
  p += 24 + 4 * 8;
  g_assert_cmpuint (p[19], ==, 1);
  g_assert_cmpuint ((p[22] << 8) | p[23], ==, 1000);

  g_assert_false (reel_bmff_shift_chunk_offsets (moov, sizeof moov, G_MAXUINT32, &error));
  g_assert_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED);
}

static void
test_malformed_corpus (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "c2pa", "malformed", NULL);
  g_autofree char *readme_path = g_build_filename (dir, "README.md", NULL);
  g_autofree char *readme = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint checked = 0;

  g_assert_true (g_file_get_contents (readme_path, &readme, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (readme, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = NULL;
      g_autofree char *file = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GString) unescaped = NULL;
      g_autoptr(ReelC2paReport) report = NULL;
      g_autoptr(GError) local = NULL;
      gboolean is_store;
      gsize length;

      if (!g_str_has_prefix (lines[i], "| `"))
        continue;
      /* | `file` | `expected text` |, where the text may hold escaped pipes (\|). */
      unescaped = g_string_new (lines[i]);
      g_string_replace (unescaped, "\\|", "\x01", 0);
      cells = g_strsplit (unescaped->str, "|", -1);
      g_assert_cmpuint (g_strv_length (cells), >=, 3);
      file = g_strstrip (g_strdelimit (g_strdup (cells[1]), "`", ' '));
      expected = g_strstrip (g_strdelimit (g_strdelimit (g_strdup (cells[2]), "`", ' '),
                                           "\x01", '|'));
      path = g_build_filename (dir, file, NULL);
      g_assert_true (g_file_get_contents (path, &contents, &length, &local));
      g_assert_no_error (local);
      g_hash_table_add (listed, g_strdup (file));

      is_store = g_str_has_suffix (file, ".c2pa");
      report = reel_c2pa_verify_bytes (is_store ? NULL : (const guint8 *) contents,
                                       is_store ? 0 : length,
                                       is_store ? (const guint8 *) contents : NULL,
                                       is_store ? length : 0, NULL, &local);
      g_test_message ("%s: %s", file, local ? local->message : "(no error)");
      g_assert_null (report);
      g_assert_nonnull (local);
      g_assert_true (local->domain == REEL_PROVENANCE_ERROR);
      if (strstr (local->message, expected) == NULL)
        g_error ("%s: expected \"%s\" in \"%s\"", file, expected, local->message);
      checked++;
    }
  g_assert_cmpuint (checked, >=, 20);

  /* Every input in the folder is in the table, so none goes untested. */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (!g_str_has_suffix (name, ".md"))
      g_assert_true (g_hash_table_contains (listed, name));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/c2pa/cbor/deterministic", test_cbor_deterministic);
  g_test_add_func ("/c2pa/cbor/round-trip", test_cbor_round_trip);
  g_test_add_func ("/c2pa/cbor/indefinite", test_cbor_indefinite);
  g_test_add_func ("/c2pa/cbor/depth-limit", test_cbor_depth_limit);
  g_test_add_func ("/c2pa/cose/ecdsa-conversion", test_ecdsa_conversion);
  g_test_add_func ("/c2pa/jumbf/round-trip", test_jumbf_round_trip);
  g_test_add_func ("/c2pa/bmff/chunk-offsets", test_bmff_chunk_offsets);
  g_test_add_func ("/c2pa/malformed-corpus", test_malformed_corpus);
  return g_test_run ();
}
