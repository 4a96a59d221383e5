#define G_LOG_DOMAIN "reel-provenance"

#include "config.h"

#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "reel-bmff.h"
#include "reel-c2pa.h"
#include "reel-cbor.h"
#include "reel-cose.h"
#include "reel-jumbf.h"

#define REEL_GENERATION_LABEL "io.github.reelstudio.generation"

static void
status_free (ReelC2paStatus *status)
{
  g_free (status->code);
  g_free (status->url);
  g_free (status->explanation);
  g_free (status);
}

void
reel_c2pa_report_free (ReelC2paReport *report)
{
  if (report == NULL)
    return;
  g_free (report->manifest_label);
  g_free (report->claim_label);
  g_free (report->title);
  g_free (report->generator);
  g_free (report->signer);
  g_free (report->alg);
  g_free (report->model);
  g_free (report->parameters);
  g_clear_pointer (&report->actions, g_ptr_array_unref);
  g_clear_pointer (&report->ingredients, g_ptr_array_unref);
  g_clear_pointer (&report->assertions, g_ptr_array_unref);
  g_clear_pointer (&report->statuses, g_ptr_array_unref);
  g_free (report);
}

gboolean
reel_c2pa_report_has_code (const ReelC2paReport *report,
                           const char           *code)
{
  for (guint i = 0; i < report->statuses->len; i++)
    if (g_str_equal (((ReelC2paStatus *) report->statuses->pdata[i])->code, code))
      return TRUE;
  return FALSE;
}

static void add_status (ReelC2paReport *report,
                        gboolean        failure,
                        const char     *code,
                        const char     *url,
                        const char     *format,
                        ...) G_GNUC_PRINTF (5, 6);

static void
add_status (ReelC2paReport *report,
            gboolean        failure,
            const char     *code,
            const char     *url,
            const char     *format,
            ...)
{
  ReelC2paStatus *status = g_new0 (ReelC2paStatus, 1);
  va_list args;

  va_start (args, format);
  status->explanation = g_strdup_vprintf (format, args);
  va_end (args);
  status->code = g_strdup (code);
  status->url = g_strdup (url);
  status->failure = failure;
  g_ptr_array_add (report->statuses, status);
  if (failure)
    report->valid = FALSE;
}

/* Locating the manifest store */

static guint16
be16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

typedef enum
{
  ASSET_NONE,
  ASSET_BMFF,
  ASSET_JPEG,
  ASSET_OTHER,
} AssetKind;

static AssetKind
asset_kind (const guint8 *data,
            gsize         length)
{
  if (data == NULL)
    return ASSET_NONE;
  if (length >= 8 && memcmp (data + 4, "ftyp", 4) == 0)
    return ASSET_BMFF;
  if (length >= 2 && data[0] == 0xFF && data[1] == 0xD8)
    return ASSET_JPEG;
  return ASSET_OTHER;
}

static GBytes *
store_from_bmff (const guint8 *data,
                 gsize         length,
                 GError      **error)
{
  g_autoptr(GArray) boxes = reel_bmff_list_boxes (data, length, 0, error);

  if (boxes == NULL)
    return NULL;
  for (guint i = 0; i < boxes->len; i++)
    {
      const ReelBmffBox *box = &g_array_index (boxes, ReelBmffBox, i);
      const guint8 *p = data + box->offset + box->header;
      gsize left = box->size - box->header;

      if (!reel_bmff_is_c2pa_box (box))
        continue;
      /* version/flags, a NUL-terminated purpose, then the merkle box offset for "manifest". */
      if (left < 4 + 9 + 8 || memcmp (p + 4, "manifest", 9) != 0)
        {
          g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                       "The C2PA uuid box at byte %" G_GUINT64_FORMAT " is not a \"manifest\" "
                       "box or is truncated", box->offset);
          return NULL;
        }
      return g_bytes_new (p + 21, left - 21);
    }
  g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_NOT_FOUND,
               "The MP4 file holds no C2PA manifest (no uuid box with the C2PA user type)");
  return NULL;
}

/* C2PA in JPEG: JUMBF split over APP11 segments ("JP", instance, sequence number, box data
 * whose 8-byte box header repeats in every segment after the first). */
static GBytes *
store_from_jpeg (const guint8 *data,
                 gsize         length,
                 GError      **error)
{
  g_autoptr(GByteArray) store = NULL;
  guint16 instance = 0;
  gsize pos = 2;

  while (pos + 4 <= length)
    {
      guint8 marker;
      gsize segment;

      if (data[pos] != 0xFF)
        {
          g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                       "The JPEG file has no marker at byte %" G_GSIZE_FORMAT, pos);
          return NULL;
        }
      marker = data[pos + 1];
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)
          || marker == 0xFF)
        {
          pos += marker == 0xFF ? 1 : 2;
          continue;
        }
      if (marker == 0xDA || marker == 0xD9)
        break;
      segment = be16 (data + pos + 2);
      if (segment < 2 || pos + 2 + segment > length)
        {
          g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                       "A JPEG segment at byte %" G_GSIZE_FORMAT " is truncated", pos);
          return NULL;
        }
      if (marker == 0xEB && segment >= 2 + 8 + 8 && memcmp (data + pos + 4, "JP", 2) == 0)
        {
          const guint8 *p = data + pos + 4;
          guint16 en = be16 (p + 2);
          guint32 z = be32 (p + 4);
          const guint8 *box = p + 8;
          gsize box_length = segment - 2 - 8;

          if (store == NULL && z == 1 && memcmp (box + 4, "jumb", 4) == 0
              && box_length >= 8 + 8 + 4 && memcmp (box + 16, "c2pa", 4) == 0)
            {
              store = g_byte_array_new ();
              instance = en;
              g_byte_array_append (store, box, (guint) box_length);
            }
          else if (store != NULL && en == instance && z > 1)
            g_byte_array_append (store, box + 8, (guint) (box_length - 8));
        }
      pos += 2 + segment;
    }
  if (store == NULL)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_NOT_FOUND,
                   "The JPEG file holds no C2PA manifest (no APP11 JUMBF segments)");
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&store));
}

/* Certificates */

static char *
subject_of (X509 *cert)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data;
  long length;
  char *result;

  X509_NAME_print_ex (bio, X509_get_subject_name (cert), 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  length = BIO_get_mem_data (bio, &data);
  result = g_strndup (data, length);
  BIO_free (bio);
  return result;
}

/* The certificate profile of C2PA 2.x, §14.5.1; returns NULL or what is wrong. */
static char *
check_profile (X509 *cert)
{
  static const char *const allowed_eku[] = {
    "1.3.6.1.5.5.7.3.4",        /* emailProtection */
    "1.3.6.1.5.5.7.3.36",       /* documentSigning */
    "1.3.6.1.5.5.7.3.8",        /* timeStamping */
    "1.3.6.1.5.5.7.3.9",        /* OCSPSigning */
    "1.3.6.1.4.1.311.76.59.1.9",
    "1.3.6.1.4.1.62558.2.1",    /* c2pa-kp-claimSigning */
  };
  EXTENDED_KEY_USAGE *eku;
  gboolean eku_ok = FALSE;
  int nid = X509_get_signature_nid (cert);
  EVP_PKEY *key = X509_get0_pubkey (cert);
  guint32 flags = X509_get_extension_flags (cert);

  if (X509_get_version (cert) != 2)
    return g_strdup ("it is not an X.509 version 3 certificate");
  if (nid != NID_ecdsa_with_SHA256 && nid != NID_ecdsa_with_SHA384
      && nid != NID_ecdsa_with_SHA512 && nid != NID_sha256WithRSAEncryption
      && nid != NID_sha384WithRSAEncryption && nid != NID_sha512WithRSAEncryption
      && nid != NID_rsassaPss && nid != NID_ED25519)
    return g_strdup_printf ("its signature algorithm (%s) is not one C2PA allows",
                            OBJ_nid2sn (nid));
  if (key == NULL)
    return g_strdup ("its public key cannot be read");
  if (EVP_PKEY_is_a (key, "RSA") && EVP_PKEY_get_bits (key) < 2048)
    return g_strdup ("its RSA key is shorter than 2048 bits");
  if (X509_check_issued (cert, cert) == X509_V_OK)
    return g_strdup ("it is self-signed; a signing certificate must be issued by a CA");
  if (flags & EXFLAG_CA)
    return g_strdup ("it is a CA certificate (basicConstraints CA:TRUE)");
  if (!(flags & EXFLAG_KUSAGE) || !(X509_get_key_usage (cert) & KU_DIGITAL_SIGNATURE))
    return g_strdup ("its key usage does not include digitalSignature");
  if (X509_get_key_usage (cert) & KU_KEY_CERT_SIGN)
    return g_strdup ("its key usage includes keyCertSign, which only CAs may have");
  if (X509_get0_authority_key_id (cert) == NULL)
    return g_strdup ("it has no authority key identifier");
  eku = X509_get_ext_d2i (cert, NID_ext_key_usage, NULL, NULL);
  if (eku == NULL)
    return g_strdup ("it has no extended key usage");
  for (int i = 0; i < sk_ASN1_OBJECT_num (eku); i++)
    {
      char oid[80];

      OBJ_obj2txt (oid, sizeof oid, sk_ASN1_OBJECT_value (eku, i), 1);
      if (g_str_equal (oid, "2.5.29.37.0"))
        {
          EXTENDED_KEY_USAGE_free (eku);
          return g_strdup ("its extended key usage includes anyExtendedKeyUsage");
        }
      for (guint k = 0; k < G_N_ELEMENTS (allowed_eku); k++)
        eku_ok |= g_str_equal (oid, allowed_eku[k]);
    }
  EXTENDED_KEY_USAGE_free (eku);
  if (!eku_ok)
    return g_strdup ("its extended key usage has none of emailProtection, documentSigning, "
                     "timeStamping, OCSPSigning or C2PA claim signing");
  return NULL;
}

static void
check_credential (ReelC2paReport *report,
                  GPtrArray      *chain,
                  const char     *trust_pem)
{
  X509 *leaf = chain->pdata[0];
  g_autofree char *problem = check_profile (leaf);
  g_autofree char *default_root = NULL;
  X509_STORE *store;
  X509_STORE_CTX *ctx;
  STACK_OF (X509) *untrusted;
  int ok;

  report->signer = subject_of (leaf);
  if (problem != NULL)
    {
      add_status (report, TRUE, "signingCredential.invalid", "c2pa.signature",
                  "The signing certificate (%s) does not meet the C2PA profile: %s",
                  report->signer, problem);
      return;
    }
  if (X509_cmp_current_time (X509_get0_notAfter (leaf)) < 0)
    {
      add_status (report, TRUE, "signingCredential.expired", "c2pa.signature",
                  "The signing certificate (%s) has expired, and no time-stamp proves the "
                  "signature was made while it was valid", report->signer);
      return;
    }
  if (X509_cmp_current_time (X509_get0_notBefore (leaf)) > 0)
    {
      add_status (report, TRUE, "signingCredential.invalid", "c2pa.signature",
                  "The signing certificate (%s) is not valid yet", report->signer);
      return;
    }

  if (trust_pem == NULL)
    {
      default_root = reel_c2pa_identity_default_root_path ();
      trust_pem = default_root;
    }
  store = X509_STORE_new ();
  if (!g_file_test (trust_pem, G_FILE_TEST_EXISTS) || X509_STORE_load_file (store, trust_pem) != 1)
    {
      X509_STORE_free (store);
      ERR_clear_error ();
      add_status (report, FALSE, "signingCredential.untrusted", "c2pa.signature",
                  "No trust anchor could be read from %s, so the signer (%s) is not trusted",
                  trust_pem, report->signer);
      return;
    }
  untrusted = sk_X509_new_null ();
  for (guint i = 1; i < chain->len; i++)
    sk_X509_push (untrusted, chain->pdata[i]);
  ctx = X509_STORE_CTX_new ();
  ok = ctx != NULL && X509_STORE_CTX_init (ctx, store, leaf, untrusted) == 1
       && X509_verify_cert (ctx) == 1;
  if (ok)
    {
      report->trusted = TRUE;
      add_status (report, FALSE, "signingCredential.trusted", "c2pa.signature",
                  "The signer (%s) chains to a trust anchor in %s", report->signer, trust_pem);
    }
  else
    add_status (report, FALSE, "signingCredential.untrusted", "c2pa.signature",
                "The signer (%s) does not chain to a trust anchor in %s: %s", report->signer,
                trust_pem,
                ctx ? X509_verify_cert_error_string (X509_STORE_CTX_get_error (ctx)) : "");
  X509_STORE_CTX_free (ctx);
  sk_X509_free (untrusted);
  X509_STORE_free (store);
  ERR_clear_error ();
}

/* Assertions */

static gboolean
hash_bytes (const char   *alg,
            const guint8 *data,
            gsize         length,
            GByteArray   *digest)
{
  int type = reel_c2pa_checksum_type (alg);
  g_autoptr(GChecksum) checksum = NULL;
  guint8 out[64];
  gsize out_length = sizeof out;

  if (type < 0)
    return FALSE;
  checksum = g_checksum_new (type);
  g_checksum_update (checksum, data, (gssize) length);
  g_checksum_get_digest (checksum, out, &out_length);
  g_byte_array_append (digest, out, (guint) out_length);
  return TRUE;
}

static gboolean
digest_equal (const GByteArray *digest,
              const ReelCbor   *hash)
{
  return hash != NULL && hash->type == REEL_CBOR_BYTES && hash->length == digest->len
         && memcmp (hash->data, digest->data, digest->len) == 0;
}

/* The label an assertion URL points at, if it is in this manifest's assertion store. */
static const char *
assertion_label_of_url (const char *url,
                        const char *manifest_label)
{
  const char *prefix = "self#jumbf=";
  g_autofree char *absolute = NULL;

  if (url == NULL || !g_str_has_prefix (url, prefix))
    return NULL;
  url += strlen (prefix);
  if (g_str_has_prefix (url, "c2pa.assertions/"))
    return url + strlen ("c2pa.assertions/");
  absolute = g_strdup_printf ("/c2pa/%s/c2pa.assertions/", manifest_label);
  if (g_str_has_prefix (url, absolute))
    return url + strlen (absolute);
  return NULL;
}

/* The label without a "__N" instance suffix. */
static char *
base_label (const char *label)
{
  const char *sep = strstr (label, "__");

  return sep ? g_strndup (label, sep - label) : g_strdup (label);
}

static ReelCbor *
decode_assertion (const ReelJumbfBox *box,
                  GError            **error)
{
  const ReelJumbfBox *content = reel_jumbf_content (box, "cbor");

  if (content == NULL)
    return NULL;
  return reel_cbor_decode (content->payload, content->payload_length, box->label, error);
}

static void
check_data_hash (ReelC2paReport *report,
                 const char     *label,
                 const ReelCbor *assertion,
                 const char     *claim_alg,
                 const guint8   *asset,
                 gsize           asset_length)
{
  const ReelCbor *exclusions = reel_cbor_map_get (assertion, "exclusions");
  const char *alg = reel_cbor_get_text (reel_cbor_map_get (assertion, "alg"));
  g_autoptr(GChecksum) checksum = NULL;
  g_autoptr(GByteArray) digest = g_byte_array_new ();
  guint8 out[64];
  gsize out_length = sizeof out;
  guint64 pos = 0;
  int type;

  type = reel_c2pa_checksum_type (alg ? alg : claim_alg);
  if (type < 0)
    {
      add_status (report, TRUE, "algorithm.unsupported", label,
                  "The data hash uses an unsupported algorithm");
      return;
    }
  checksum = g_checksum_new (type);
  /* Exclusions are sorted, non-overlapping byte ranges; anything else fails the check. */
  for (guint i = 0; i <= reel_cbor_n_items (exclusions); i++)
    {
      gint64 start = (gint64) asset_length, range = 0;

      if (i < reel_cbor_n_items (exclusions))
        {
          const ReelCbor *exclusion = reel_cbor_item (exclusions, i);

          if (!reel_cbor_get_int (reel_cbor_map_get (exclusion, "start"), &start)
              || !reel_cbor_get_int (reel_cbor_map_get (exclusion, "length"), &range)
              || start < (gint64) pos || range < 0 || (guint64) start > asset_length
              || (guint64) range > asset_length - (guint64) start)
            {
              add_status (report, TRUE, "assertion.dataHash.mismatch", label,
                          "The data hash's exclusion %u is not a range inside the asset", i);
              return;
            }
        }
      g_checksum_update (checksum, asset + pos, (gssize) ((guint64) start - pos));
      pos = (guint64) start + (guint64) range;
    }
  g_checksum_get_digest (checksum, out, &out_length);
  g_byte_array_append (digest, out, (guint) out_length);
  if (digest_equal (digest, reel_cbor_map_get (assertion, "hash")))
    add_status (report, FALSE, "assertion.dataHash.match", label,
                "The asset's bytes match the data hash");
  else
    add_status (report, TRUE, "assertion.dataHash.mismatch", label,
                "The asset's bytes do not match the data hash: the file changed after signing");
}

static void
check_bmff_hash (ReelC2paReport *report,
                 const char     *label,
                 const char     *kind,
                 const ReelCbor *assertion,
                 const char     *claim_alg,
                 const guint8   *asset,
                 gsize           asset_length)
{
  const char *alg = reel_cbor_get_text (reel_cbor_map_get (assertion, "alg"));
  g_autoptr(GByteArray) digest = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  const ReelCbor *merkle = reel_cbor_map_get (assertion, "merkle");

  if (merkle != NULL && merkle->type != REEL_CBOR_NULL)
    {
      add_status (report, TRUE, "algorithm.unsupported", label,
                  "The BMFF hash uses Merkle trees over fragments, which Reel cannot check");
      return;
    }
  if (!reel_bmff_hash (asset, asset_length, reel_cbor_map_get (assertion, "exclusions"),
                       alg ? alg : claim_alg, !g_str_equal (kind, "c2pa.hash.bmff"), digest,
                       &error))
    {
      add_status (report, TRUE, "assertion.bmffHash.mismatch", label,
                  "The BMFF hash could not be computed: %s", error->message);
      return;
    }
  if (digest_equal (digest, reel_cbor_map_get (assertion, "hash")))
    add_status (report, FALSE, "assertion.bmffHash.match", label,
                "The MP4 boxes match the BMFF hash");
  else
    add_status (report, TRUE, "assertion.bmffHash.mismatch", label,
                "The MP4 boxes do not match the BMFF hash: the file changed after signing");
}

static void
describe_assertion (ReelC2paReport *report,
                    const char     *kind,
                    const ReelCbor *assertion)
{
  if (g_str_has_prefix (kind, "c2pa.actions"))
    {
      const ReelCbor *actions = reel_cbor_map_get (assertion, "actions");

      for (guint i = 0; i < reel_cbor_n_items (actions); i++)
        {
          const ReelCbor *action = reel_cbor_item (actions, i);
          const ReelCbor *agent = reel_cbor_map_get (action, "softwareAgent");
          const char *source = reel_cbor_get_text (reel_cbor_map_get (action,
                                                                      "digitalSourceType"));
          const char *description = reel_cbor_get_text (reel_cbor_map_get (action,
                                                                           "description"));
          GString *line = g_string_new (reel_cbor_get_text (reel_cbor_map_get (action,
                                                                               "action")));

          if (source != NULL)
            g_string_append_printf (line, ", source %s", strrchr (source, '/')
                                    ? strrchr (source, '/') + 1 : source);
          if (agent != NULL && reel_cbor_get_text (agent) != NULL)
            g_string_append_printf (line, ", by %s", reel_cbor_get_text (agent));
          else if (reel_cbor_get_text (reel_cbor_map_get (agent, "name")) != NULL)
            g_string_append_printf (line, ", by %s",
                                    reel_cbor_get_text (reel_cbor_map_get (agent, "name")));
          if (description != NULL)
            g_string_append_printf (line, ": %s", description);
          g_ptr_array_add (report->actions, g_string_free (line, FALSE));
        }
    }
  else if (g_str_has_prefix (kind, "c2pa.ingredient"))
    {
      const char *title = reel_cbor_get_text (reel_cbor_map_get (assertion, "dc:title"));
      const char *format = reel_cbor_get_text (reel_cbor_map_get (assertion, "dc:format"));
      const char *relationship = reel_cbor_get_text (reel_cbor_map_get (assertion,
                                                                        "relationship"));
      const char *iid = reel_cbor_get_text (reel_cbor_map_get (assertion, "instanceID"));
      const char *active = reel_cbor_get_text (reel_cbor_map_get (reel_cbor_map_get (assertion,
                                                                                     "activeManifest"),
                                                                  "url"));

      g_ptr_array_add (report->ingredients,
                       g_strdup_printf ("%s (%s), %s%s%s%s%s", title ? title : "untitled",
                                        format ? format : "unknown format",
                                        relationship ? relationship : "no relationship",
                                        iid ? ", " : "", iid ? iid : "",
                                        active ? ", manifest " : "",
                                        active ? active + strlen ("self#jumbf=/c2pa/") : ""));
    }
  else if (g_str_equal (kind, REEL_GENERATION_LABEL))
    {
      const ReelCbor *model = reel_cbor_map_get (assertion, "model");
      const ReelCbor *parameters = reel_cbor_map_get (assertion, "parameters");

      if (model != NULL)
        report->model = g_strdup_printf ("%s, sha256 %s",
                                         reel_cbor_get_text (reel_cbor_map_get (model, "name")),
                                         reel_cbor_get_text (reel_cbor_map_get (model,
                                                                                "sha256")));
      if (parameters != NULL)
        {
          GString *text = g_string_new (NULL);

          reel_cbor_to_string (parameters, text);
          report->parameters = g_string_free (text, FALSE);
        }
    }
}

/* A hashed URI to a box elsewhere in the store ("self#jumbf=/c2pa/LABEL[/CHILD]"). */
static void
check_box_reference (ReelC2paReport     *report,
                     const ReelJumbfBox *store,
                     const ReelCbor     *uri,
                     const char         *claim_alg,
                     const char         *what)
{
  const char *url = reel_cbor_get_text (reel_cbor_map_get (uri, "url"));
  const char *alg = reel_cbor_get_text (reel_cbor_map_get (uri, "alg"));
  g_autoptr(GByteArray) digest = g_byte_array_new ();
  g_auto(GStrv) parts = NULL;
  const ReelJumbfBox *box = NULL;
  g_autofree char *validated = g_strdup_printf ("ingredient.%s.validated", what);
  g_autofree char *mismatch = g_strdup_printf ("ingredient.%s.mismatch", what);
  g_autofree char *missing = g_strdup_printf ("ingredient.%s.missing", what);

  if (url != NULL && g_str_has_prefix (url, "self#jumbf=/c2pa/"))
    {
      parts = g_strsplit (url + strlen ("self#jumbf=/c2pa/"), "/", 3);
      box = reel_jumbf_find_child (store, parts[0]);
      if (box != NULL && parts[1] != NULL)
        box = reel_jumbf_find_child (box, parts[1]);
    }
  if (box == NULL)
    {
      add_status (report, TRUE, missing, url, "An ingredient refers to a manifest box that the "
                  "store does not hold");
      return;
    }
  if (!hash_bytes (alg ? alg : claim_alg, box->box + 8, box->box_length - 8, digest)
      || !digest_equal (digest, reel_cbor_map_get (uri, "hash")))
    add_status (report, TRUE, mismatch, url, "An ingredient's manifest box does not match the "
                "hash recorded for it");
  else
    add_status (report, FALSE, validated, url, "The ingredient's manifest box matches its hash");
}

static void
check_assertions (ReelC2paReport     *report,
                  const ReelJumbfBox *store_root,
                  const ReelJumbfBox *manifest,
                  const ReelCbor     *claim,
                  const char         *claim_alg,
                  const guint8       *asset,
                  gsize               asset_length,
                  GError            **error)
{
  const ReelJumbfBox *store = reel_jumbf_find_child (manifest, "c2pa.assertions");
  const char *lists[] = { "assertions", "created_assertions", "gathered_assertions" };
  guint hard_bindings = 0;

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      const ReelCbor *list = reel_cbor_map_get (claim, lists[l]);

      for (guint i = 0; i < reel_cbor_n_items (list); i++)
        {
          const ReelCbor *uri = reel_cbor_item (list, i);
          const char *url = reel_cbor_get_text (reel_cbor_map_get (uri, "url"));
          const char *alg = reel_cbor_get_text (reel_cbor_map_get (uri, "alg"));
          const char *label = assertion_label_of_url (url, report->manifest_label);
          const ReelJumbfBox *box = label ? reel_jumbf_find_child (store, label) : NULL;
          g_autoptr(GByteArray) digest = g_byte_array_new ();
          g_autoptr(ReelCbor) assertion = NULL;
          g_autoptr(GError) local = NULL;
          g_autofree char *kind = NULL;

          if (box == NULL)
            {
              add_status (report, TRUE, "assertion.missing", url,
                          "The claim lists an assertion that the manifest does not hold");
              continue;
            }
          if (!hash_bytes (alg ? alg : claim_alg, box->box + 8, box->box_length - 8, digest))
            {
              add_status (report, TRUE, "algorithm.unsupported", url,
                          "The assertion's hash algorithm is not supported");
              continue;
            }
          if (!digest_equal (digest, reel_cbor_map_get (uri, "hash")))
            {
              add_status (report, TRUE, "assertion.hashedURI.mismatch", url,
                          "The assertion's bytes do not match the hash the claim signed");
              continue;
            }
          add_status (report, FALSE, "assertion.hashedURI.match", url,
                      "The assertion matches the hash in the claim");
          g_ptr_array_add (report->assertions, g_strdup (label));

          kind = base_label (label);
          if (reel_jumbf_content (box, "cbor") == NULL)
            continue;   /* JSON or embedded-data assertions: hashed, but nothing to read */
          assertion = decode_assertion (box, &local);
          if (assertion == NULL)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local),
                                          "Cannot read the assertion %s: ", label);
              return;
            }
          if (g_str_equal (kind, "c2pa.hash.data"))
            {
              hard_bindings++;
              if (asset != NULL)
                check_data_hash (report, url, assertion, claim_alg, asset, asset_length);
            }
          else if (g_str_has_prefix (kind, "c2pa.hash.bmff"))
            {
              hard_bindings++;
              if (asset != NULL && asset_kind (asset, asset_length) != ASSET_BMFF)
                add_status (report, TRUE, "assertion.bmffHash.mismatch", url,
                            "The manifest binds an MP4 file, but the asset is not one");
              else if (asset != NULL)
                check_bmff_hash (report, url, kind, assertion, claim_alg, asset, asset_length);
            }
          else if (g_str_equal (kind, "c2pa.hash.boxes") || g_str_equal (kind,
                                                                        "c2pa.hash.collection"))
            {
              hard_bindings++;
              add_status (report, TRUE, "algorithm.unsupported", url,
                          "Reel cannot check %s hard bindings yet", kind);
            }
          else if (g_str_has_prefix (kind, "c2pa.ingredient"))
            {
              const ReelCbor *active = reel_cbor_map_get (assertion, "activeManifest");
              const ReelCbor *signature = reel_cbor_map_get (assertion, "claimSignature");

              if (active != NULL && active->type == REEL_CBOR_MAP)
                check_box_reference (report, store_root, active, claim_alg, "manifest");
              if (signature != NULL && signature->type == REEL_CBOR_MAP)
                check_box_reference (report, store_root, signature, claim_alg,
                                     "claimSignature");
            }
          describe_assertion (report, kind, assertion);
        }
    }
  if (hard_bindings == 0)
    add_status (report, TRUE, "claim.hardBindings.missing", NULL,
                "The claim has no hard binding to the asset's bytes");
}

ReelC2paReport *
reel_c2pa_verify_bytes (const guint8 *asset,
                        gsize         asset_length,
                        const guint8 *store_data,
                        gsize         store_length,
                        const char   *trust_pem,
                        GError      **error)
{
  g_autoptr(ReelC2paReport) report = g_new0 (ReelC2paReport, 1);
  g_autoptr(GBytes) extracted = NULL;
  g_autoptr(ReelJumbfBox) store = NULL;
  g_autoptr(ReelCbor) claim = NULL;
  ReelJumbfBox *manifest = NULL, *claim_box, *signature_box, *content;
  g_autoptr(GBytes) claim_bytes = NULL;
  ReelCoseResult cose = { 0 };
  g_autoptr(GError) local = NULL;
  const char *claim_alg;
  const ReelCbor *generator;

  report->actions = g_ptr_array_new_with_free_func (g_free);
  report->ingredients = g_ptr_array_new_with_free_func (g_free);
  report->assertions = g_ptr_array_new_with_free_func (g_free);
  report->statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) status_free);
  report->valid = TRUE;

  if (store_data == NULL)
    {
      switch (asset_kind (asset, asset_length))
        {
        case ASSET_BMFF:
          extracted = store_from_bmff (asset, asset_length, error);
          break;
        case ASSET_JPEG:
          extracted = store_from_jpeg (asset, asset_length, error);
          break;
        default:
          g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_NOT_FOUND,
                       "The file is neither MP4 nor JPEG, and no .c2pa sidecar was given");
          break;
        }
      if (extracted == NULL)
        return NULL;
      store_data = g_bytes_get_data (extracted, &store_length);
    }

  store = reel_jumbf_parse (store_data, store_length, error);
  if (store == NULL)
    return NULL;
  if (!reel_jumbf_has_type (store, "c2pa"))
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "The JUMBF superbox is not a C2PA manifest store (its description type is "
                   "not c2pa)");
      return NULL;
    }
  for (guint i = 0; i < store->children->len; i++)
    {
      ReelJumbfBox *child = store->children->pdata[i];

      if (reel_jumbf_has_type (child, "c2ma") || reel_jumbf_has_type (child, "c2um"))
        {
          manifest = child;
          report->n_manifests++;
        }
    }
  if (manifest == NULL || manifest->label == NULL)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "The manifest store holds no labelled manifest (claim.missing)");
      return NULL;
    }
  report->manifest_label = g_strdup (manifest->label);

  claim_box = reel_jumbf_find_child (manifest, "c2pa.claim.v2");
  if (claim_box == NULL)
    claim_box = reel_jumbf_find_child (manifest, "c2pa.claim");
  content = reel_jumbf_content (claim_box, "cbor");
  if (content == NULL)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "The manifest %s holds no CBOR claim (claim.missing)", manifest->label);
      return NULL;
    }
  report->claim_label = g_strdup (claim_box->label);
  claim = reel_cbor_decode (content->payload, content->payload_length, "the claim", error);
  if (claim == NULL)
    return NULL;
  if (claim->type != REEL_CBOR_MAP)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "The claim of %s is not a CBOR map (claim.malformed)", manifest->label);
      return NULL;
    }
  claim_bytes = g_bytes_new (content->payload, content->payload_length);
  claim_alg = reel_cbor_get_text (reel_cbor_map_get (claim, "alg"));
  if (claim_alg == NULL)
    claim_alg = "sha256";
  report->title = g_strdup (reel_cbor_get_text (reel_cbor_map_get (claim, "dc:title")));
  generator = reel_cbor_map_get (claim, "claim_generator_info");
  if (generator != NULL && generator->type == REEL_CBOR_ARRAY)
    generator = reel_cbor_item (generator, 0);
  if (generator != NULL && reel_cbor_get_text (reel_cbor_map_get (generator, "name")))
    report->generator = g_strdup_printf ("%s %s",
                                         reel_cbor_get_text (reel_cbor_map_get (generator,
                                                                                "name")),
                                         reel_cbor_get_text (reel_cbor_map_get (generator,
                                                                                "version"))
                                         ?: "");
  else
    report->generator = g_strdup (reel_cbor_get_text (reel_cbor_map_get (claim,
                                                                         "claim_generator")));

  signature_box = reel_jumbf_find_child (manifest, "c2pa.signature");
  content = reel_jumbf_content (signature_box, "cbor");
  if (content == NULL)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "The manifest %s holds no claim signature (claimSignature.missing)",
                   manifest->label);
      return NULL;
    }
  if (!reel_cose_verify (content->payload, content->payload_length, claim_bytes, &cose, error))
    {
      reel_cose_result_clear (&cose);
      return NULL;
    }
  report->alg = g_strdup (cose.alg);
  {
    g_autoptr(ReelCbor) sign1 = reel_cbor_decode (content->payload, content->payload_length,
                                                  "the claim signature", NULL);
    const ReelCbor *unprotected = reel_cbor_item (reel_cbor_item (sign1, 0), 1);

    report->has_timestamp = reel_cbor_map_get (unprotected, "sigTst") != NULL
                            || reel_cbor_map_get (unprotected, "sigTst2") != NULL;
  }
  if (cose.signature_ok)
    add_status (report, FALSE, "claimSignature.validated", "c2pa.signature",
                "The claim signature (%s) is valid", cose.alg);
  else
    add_status (report, TRUE, "claimSignature.mismatch", "c2pa.signature",
                "The claim signature (%s) does not match the claim", cose.alg);
  check_credential (report, cose.certificates, trust_pem);
  reel_cose_result_clear (&cose);

  check_assertions (report, store, manifest, claim, claim_alg, asset, asset_length, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&report);
}

GBytes *
reel_c2pa_read_manifest_store (const char  *path,
                               GError     **error)
{
  g_autoptr(GMappedFile) asset = g_mapped_file_new (path, FALSE, error);
  const guint8 *data;
  gsize length;
  GBytes *store = NULL;

  if (asset == NULL)
    return NULL;
  data = (const guint8 *) g_mapped_file_get_contents (asset);
  length = g_mapped_file_get_length (asset);
  switch (asset_kind (data, length))
    {
    case ASSET_BMFF:
      store = store_from_bmff (data, length, error);
      break;
    case ASSET_JPEG:
      store = store_from_jpeg (data, length, error);
      break;
    default:
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_NOT_FOUND,
                   "%s is neither MP4 nor JPEG, so it embeds no manifest store", path);
      return NULL;
    }
  if (store == NULL)
    g_prefix_error (error, "%s: ", path);
  return store;
}

ReelC2paReport *
reel_c2pa_verify_file (const char  *path,
                       const char  *sidecar,
                       const char  *trust_pem,
                       GError     **error)
{
  g_autoptr(GMappedFile) asset = NULL;
  g_autoptr(GMappedFile) store = NULL;
  g_autofree char *found_sidecar = NULL;
  ReelC2paReport *report;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  asset = g_mapped_file_new (path, FALSE, error);
  if (asset == NULL)
    return NULL;
  /* An asset that cannot embed a manifest (WebM) has its sidecar beside it: NAME.c2pa, or
   * NAME.EXT.c2pa. */
  if (sidecar == NULL && asset_kind ((const guint8 *) g_mapped_file_get_contents (asset),
                                     g_mapped_file_get_length (asset)) == ASSET_OTHER)
    {
      const char *dot = strrchr (path, '.');
      const char *slash = strrchr (path, G_DIR_SEPARATOR);
      g_autofree char *stem = dot != NULL && (slash == NULL || dot > slash)
                              ? g_strndup (path, dot - path) : g_strdup (path);
      g_autofree char *beside = g_strconcat (stem, ".c2pa", NULL);
      g_autofree char *appended = g_strconcat (path, ".c2pa", NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_REGULAR))
        sidecar = found_sidecar = g_steal_pointer (&beside);
      else if (g_file_test (appended, G_FILE_TEST_IS_REGULAR))
        sidecar = found_sidecar = g_steal_pointer (&appended);
    }
  if (sidecar != NULL)
    {
      store = g_mapped_file_new (sidecar, FALSE, error);
      if (store == NULL)
        return NULL;
    }
  report = reel_c2pa_verify_bytes ((const guint8 *) g_mapped_file_get_contents (asset),
                                   g_mapped_file_get_length (asset),
                                   store ? (const guint8 *) g_mapped_file_get_contents (store)
                                         : NULL,
                                   store ? g_mapped_file_get_length (store) : 0,
                                   trust_pem, error);
  if (report == NULL)
    g_prefix_error (error, "%s: ", sidecar ? sidecar : path);
  return report;
}
