#define G_LOG_DOMAIN "reel-provenance"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "reel-c2pa-private.h"

void
reel_c2pa_identity_free (ReelC2paIdentity *identity)
{
  if (identity == NULL)
    return;
  EVP_PKEY_free (identity->key);
  g_clear_pointer (&identity->chain, g_ptr_array_unref);
  g_free (identity);
}

static gboolean
identity_crypto_error (GError    **error,
                       const char *what)
{
  char detail[256] = "";
  unsigned long code = ERR_get_error ();

  if (code != 0)
    ERR_error_string_n (code, detail, sizeof detail);
  ERR_clear_error ();
  g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_CRYPTO, "%s%s%s", what,
               detail[0] ? ": " : "", detail);
  return FALSE;
}

char *
reel_c2pa_identity_default_root_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "reel", "identity", "root.pem", NULL);
}

static gboolean
add_extension (X509       *cert,
               X509       *issuer,
               int         nid,
               const char *value)
{
  X509V3_CTX ctx;
  X509_EXTENSION *ext;
  gboolean ok;

  X509V3_set_ctx_nodb (&ctx);
  X509V3_set_ctx (&ctx, issuer, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, nid, value);
  if (ext == NULL)
    return FALSE;
  ok = X509_add_ext (cert, ext, -1) == 1;
  X509_EXTENSION_free (ext);
  return ok;
}

/* One certificate of the local chain; issuer NULL makes it self-signed (the root). */
static X509 *
make_certificate (EVP_PKEY   *key,
                  const char *common_name,
                  X509       *issuer,
                  EVP_PKEY   *issuer_key,
                  long        days,
                  GError    **error)
{
  X509 *cert = X509_new ();
  X509_NAME *name = X509_NAME_new ();
  guint8 serial_bytes[16];
  BIGNUM *serial = NULL;
  gboolean ok;

  RAND_bytes (serial_bytes, sizeof serial_bytes);
  serial_bytes[0] &= 0x7f;  /* a positive serial number */
  serial = BN_bin2bn (serial_bytes, sizeof serial_bytes, NULL);
  ok = cert != NULL && name != NULL && serial != NULL
       && X509_set_version (cert, 2) == 1
       && BN_to_ASN1_INTEGER (serial, X509_get_serialNumber (cert)) != NULL
       && X509_NAME_add_entry_by_txt (name, "O", MBSTRING_UTF8, (const guchar *) "Reel", -1,
                                      -1, 0) == 1
       && X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8, (const guchar *) common_name,
                                      -1, -1, 0) == 1
       && X509_set_subject_name (cert, name) == 1
       && X509_set_issuer_name (cert, issuer ? X509_get_subject_name (issuer) : name) == 1
       /* An hour of slack for clocks that run behind. */
       && X509_gmtime_adj (X509_getm_notBefore (cert), -3600) != NULL
       && X509_gmtime_adj (X509_getm_notAfter (cert), 60L * 60 * 24 * days) != NULL
       && X509_set_pubkey (cert, key) == 1;
  BN_free (serial);
  X509_NAME_free (name);
  if (!ok)
    goto failed;

  if (issuer == NULL)
    ok = add_extension (cert, cert, NID_basic_constraints, "critical,CA:TRUE")
         && add_extension (cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign")
         && add_extension (cert, cert, NID_subject_key_identifier, "hash");
  else
    /* The profile C2PA validators require of a signing certificate. */
    ok = add_extension (cert, issuer, NID_basic_constraints, "critical,CA:FALSE")
         && add_extension (cert, issuer, NID_key_usage, "critical,digitalSignature")
         && add_extension (cert, issuer, NID_ext_key_usage, "emailProtection")
         && add_extension (cert, issuer, NID_subject_key_identifier, "hash")
         && add_extension (cert, issuer, NID_authority_key_identifier, "keyid:always");
  if (!ok || X509_sign (cert, issuer_key, EVP_sha256 ()) == 0)
    goto failed;
  return cert;

failed:
  X509_free (cert);
  identity_crypto_error (error, "Could not create the local signing certificate");
  return NULL;
}

static gboolean
write_pem (const char *path,
           EVP_PKEY   *key,
           X509       *cert,
           GError    **error)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data;
  long length;
  gboolean ok;

  ok = key ? PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL) == 1
           : PEM_write_bio_X509 (bio, cert) == 1;
  if (!ok)
    {
      BIO_free (bio);
      return identity_crypto_error (error, "Could not encode the signing identity as PEM");
    }
  length = BIO_get_mem_data (bio, &data);
  /* Keys are written 0600 from the start, never readable by others even for a moment. */
  {
    int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, key ? 0600 : 0644);

    ok = fd >= 0 && write (fd, data, length) == length;
    if (fd >= 0)
      ok = (fsync (fd) == 0) && ok;
    if (fd >= 0)
      close (fd);
  }
  BIO_free (bio);
  if (!ok)
    {
      int saved = errno;

      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_IO,
                   "Could not write %s: %s", path, g_strerror (saved));
    }
  return ok;
}

static gboolean
create_identity (const char *dir,
                 GError    **error)
{
  g_autofree char *root_path = g_build_filename (dir, "root.pem", NULL);
  g_autofree char *root_key_path = g_build_filename (dir, "root-key.pem", NULL);
  g_autofree char *signer_path = g_build_filename (dir, "signer.pem", NULL);
  g_autofree char *signer_key_path = g_build_filename (dir, "signer-key.pem", NULL);
  g_autofree char *tmp_path = g_build_filename (dir, "signer.pem.tmp", NULL);
  g_autofree char *cn = NULL;
  EVP_PKEY *root_key = NULL, *signer_key = NULL;
  X509 *root = NULL, *signer = NULL;
  gboolean ok = FALSE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_IO,
                   "Could not create the signing identity folder %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  root_key = EVP_EC_gen ("P-256");
  signer_key = EVP_EC_gen ("P-256");
  if (root_key == NULL || signer_key == NULL)
    {
      identity_crypto_error (error, "Could not generate the local signing keys");
      goto out;
    }
  cn = g_strdup_printf ("Reel local signer (%s)", g_get_user_name ());
  root = make_certificate (root_key, "Reel local root CA", NULL, root_key, 3650, error);
  if (root == NULL)
    goto out;
  signer = make_certificate (signer_key, cn, root, root_key, 1825, error);
  if (signer == NULL)
    goto out;
  /* signer.pem is written last, through a rename: its presence means the set is complete. */
  ok = write_pem (root_key_path, root_key, NULL, error)
       && write_pem (signer_key_path, signer_key, NULL, error)
       && write_pem (root_path, NULL, root, error)
       && write_pem (tmp_path, NULL, signer, error);
  if (ok && g_rename (tmp_path, signer_path) != 0)
    {
      int saved = errno;

      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_IO,
                   "Could not write %s: %s", signer_path, g_strerror (saved));
      ok = FALSE;
    }
out:
  EVP_PKEY_free (root_key);
  EVP_PKEY_free (signer_key);
  X509_free (root);
  X509_free (signer);
  return ok;
}

ReelC2paIdentity *
reel_c2pa_identity_get_default (GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "reel", "identity", NULL);
  g_autofree char *signer_path = g_build_filename (dir, "signer.pem", NULL);
  g_autofree char *key_path = g_build_filename (dir, "signer-key.pem", NULL);

  if (!g_file_test (signer_path, G_FILE_TEST_EXISTS) && !create_identity (dir, error))
    return NULL;
  return reel_c2pa_identity_load (key_path, signer_path, error);
}

ReelC2paIdentity *
reel_c2pa_identity_load (const char *key_path,
                         const char *chain_path,
                         GError    **error)
{
  g_autoptr(ReelC2paIdentity) identity = g_new0 (ReelC2paIdentity, 1);
  BIO *bio;
  X509 *cert;

  bio = BIO_new_file (key_path, "r");
  identity->key = bio ? PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL) : NULL;
  BIO_free (bio);
  if (identity->key == NULL)
    {
      g_autofree char *what = g_strdup_printf ("Could not read the signing key %s (a PEM "
                                               "private key is expected)", key_path);

      identity_crypto_error (error, what);
      return NULL;
    }
  if (!EVP_PKEY_is_a (identity->key, "EC") || EVP_PKEY_get_bits (identity->key) != 256)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED,
                   "The signing key %s is not an EC P-256 key; Reel signs with ES256 only",
                   key_path);
      return NULL;
    }

  identity->chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  bio = BIO_new_file (chain_path, "r");
  while (bio != NULL && (cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL)) != NULL)
    {
      unsigned char *der = NULL;
      int length = i2d_X509 (cert, &der);
      gboolean self_signed = X509_check_issued (cert, cert) == X509_V_OK;

      /* A trust anchor does not belong in x5chain; validators bring their own. */
      if (length > 0 && !(self_signed && identity->chain->len > 0))
        g_ptr_array_add (identity->chain, g_bytes_new (der, length));
      OPENSSL_free (der);
      X509_free (cert);
    }
  BIO_free (bio);
  ERR_clear_error ();
  if (identity->chain->len == 0)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_CRYPTO,
                   "Could not read a certificate from %s (PEM certificates, the signer's "
                   "first, are expected)", chain_path);
      return NULL;
    }
  return g_steal_pointer (&identity);
}
