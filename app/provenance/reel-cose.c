#define G_LOG_DOMAIN "reel-provenance"

#include "config.h"

#include <string.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "reel-cbor.h"
#include "reel-cose.h"
#include "reel-provenance-error.h"

#define COSE_SIGN1_TAG 18
#define COSE_HEADER_ALG 1
#define COSE_HEADER_X5CHAIN 33

static gboolean
crypto_error (GError    **error,
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

GBytes *
reel_ecdsa_der_to_raw (const guint8 *der,
                       gsize         der_length,
                       gsize         n,
                       GError      **error)
{
  const unsigned char *p = der;
  ECDSA_SIG *sig = d2i_ECDSA_SIG (NULL, &p, (long) der_length);
  const BIGNUM *r, *s;
  g_autofree guint8 *raw = NULL;

  if (sig == NULL)
    {
      crypto_error (error, "The signature is not a DER ECDSA signature");
      return NULL;
    }
  ECDSA_SIG_get0 (sig, &r, &s);
  raw = g_malloc0 (2 * n);
  if (BN_bn2binpad (r, raw, (int) n) < 0 || BN_bn2binpad (s, raw + n, (int) n) < 0)
    {
      ECDSA_SIG_free (sig);
      crypto_error (error, "An ECDSA signature value does not fit the curve size");
      return NULL;
    }
  ECDSA_SIG_free (sig);
  return g_bytes_new_take (g_steal_pointer (&raw), 2 * n);
}

GBytes *
reel_ecdsa_raw_to_der (const guint8 *raw,
                       gsize         raw_length,
                       GError      **error)
{
  ECDSA_SIG *sig = ECDSA_SIG_new ();
  BIGNUM *r = BN_bin2bn (raw, (int) (raw_length / 2), NULL);
  BIGNUM *s = BN_bin2bn (raw + raw_length / 2, (int) (raw_length / 2), NULL);
  unsigned char *der = NULL;
  int der_length;
  GBytes *result;

  if (sig == NULL || r == NULL || s == NULL || !ECDSA_SIG_set0 (sig, r, s))
    {
      BN_free (r);
      BN_free (s);
      ECDSA_SIG_free (sig);
      crypto_error (error, "Could not convert a raw ECDSA signature");
      return NULL;
    }
  der_length = i2d_ECDSA_SIG (sig, &der);
  ECDSA_SIG_free (sig);
  if (der_length <= 0)
    {
      crypto_error (error, "Could not encode an ECDSA signature as DER");
      return NULL;
    }
  result = g_bytes_new (der, der_length);
  OPENSSL_free (der);
  return result;
}

static GBytes *
sig_structure (GBytes *protected_bytes,
               GBytes *payload)
{
  g_autoptr(ReelCbor) structure = reel_cbor_new_array ();
  gsize plen, len;
  const guint8 *pdata = g_bytes_get_data (protected_bytes, &plen);
  const guint8 *data = g_bytes_get_data (payload, &len);

  reel_cbor_array_add (structure, reel_cbor_new_text ("Signature1"));
  reel_cbor_array_add (structure, reel_cbor_new_bytes (pdata, plen));
  reel_cbor_array_add (structure, reel_cbor_new_bytes ("", 0));
  reel_cbor_array_add (structure, reel_cbor_new_bytes (data, len));
  return reel_cbor_encode (structure);
}

GBytes *
reel_cose_sign_es256 (EVP_PKEY   *key,
                      GPtrArray  *x5chain,
                      GBytes     *payload,
                      GError    **error)
{
  g_autoptr(ReelCbor) protected_map = reel_cbor_new_map ();
  g_autoptr(ReelCbor) chain = NULL;
  g_autoptr(GBytes) protected_bytes = NULL;
  g_autoptr(GBytes) to_sign = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(ReelCbor) sign1 = reel_cbor_new_array ();
  g_autoptr(ReelCbor) tagged = NULL;
  EVP_MD_CTX *ctx;
  g_autofree guint8 *der = NULL;
  size_t der_length = 0;
  gsize plen;
  const guint8 *pdata;

  g_return_val_if_fail (x5chain != NULL && x5chain->len > 0, NULL);

  if (x5chain->len == 1)
    {
      gsize n;
      const guint8 *d = g_bytes_get_data (x5chain->pdata[0], &n);

      chain = reel_cbor_new_bytes (d, n);
    }
  else
    {
      chain = reel_cbor_new_array ();
      for (guint i = 0; i < x5chain->len; i++)
        {
          gsize n;
          const guint8 *d = g_bytes_get_data (x5chain->pdata[i], &n);

          reel_cbor_array_add (chain, reel_cbor_new_bytes (d, n));
        }
    }
  reel_cbor_map_set (protected_map, reel_cbor_new_int (COSE_HEADER_ALG), reel_cbor_new_int (-7));
  reel_cbor_map_set (protected_map, reel_cbor_new_int (COSE_HEADER_X5CHAIN),
                     g_steal_pointer (&chain));
  protected_bytes = reel_cbor_encode (protected_map);
  to_sign = sig_structure (protected_bytes, payload);

  ctx = EVP_MD_CTX_new ();
  if (ctx == NULL || EVP_DigestSignInit (ctx, NULL, EVP_sha256 (), NULL, key) != 1
      || EVP_DigestSign (ctx, NULL, &der_length, g_bytes_get_data (to_sign, NULL),
                         g_bytes_get_size (to_sign)) != 1)
    {
      EVP_MD_CTX_free (ctx);
      crypto_error (error, "Could not sign the C2PA claim with the signing key");
      return NULL;
    }
  der = g_malloc (der_length);
  if (EVP_DigestSign (ctx, der, &der_length, g_bytes_get_data (to_sign, NULL),
                      g_bytes_get_size (to_sign)) != 1)
    {
      EVP_MD_CTX_free (ctx);
      crypto_error (error, "Could not sign the C2PA claim with the signing key");
      return NULL;
    }
  EVP_MD_CTX_free (ctx);

  /* COSE wants the raw r||s, not the DER that OpenSSL produces. */
  raw = reel_ecdsa_der_to_raw (der, der_length, 32, error);
  if (raw == NULL)
    return NULL;

  pdata = g_bytes_get_data (protected_bytes, &plen);
  reel_cbor_array_add (sign1, reel_cbor_new_bytes (pdata, plen));
  reel_cbor_array_add (sign1, reel_cbor_new_map ());
  reel_cbor_array_add (sign1, reel_cbor_new_null ());
  reel_cbor_array_add (sign1, reel_cbor_new_bytes (g_bytes_get_data (raw, NULL), 64));
  tagged = reel_cbor_new_tag (COSE_SIGN1_TAG, g_steal_pointer (&sign1));
  return reel_cbor_encode (tagged);
}

void
reel_cose_result_clear (ReelCoseResult *result)
{
  g_clear_pointer (&result->alg, g_free);
  g_clear_pointer (&result->certificates, g_ptr_array_unref);
  result->signature_ok = FALSE;
}

static gboolean
malformed (GError    **error,
           const char *problem)
{
  g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
               "The claim signature (COSE_Sign1) is malformed: %s", problem);
  return FALSE;
}

static gboolean
add_certificate (GPtrArray      *certificates,
                 const ReelCbor *item,
                 GError        **error)
{
  const unsigned char *p;
  X509 *cert;

  if (item->type != REEL_CBOR_BYTES)
    return malformed (error, "an x5chain entry is not a byte string");
  p = item->data;
  cert = d2i_X509 (NULL, &p, (long) item->length);
  if (cert == NULL || p != item->data + item->length)
    {
      X509_free (cert);
      ERR_clear_error ();
      return malformed (error, "an x5chain entry is not a DER X.509 certificate");
    }
  g_ptr_array_add (certificates, cert);
  return TRUE;
}

gboolean
reel_cose_verify (const guint8   *data,
                  gsize           length,
                  GBytes         *payload,
                  ReelCoseResult *result,
                  GError        **error)
{
  g_autoptr(ReelCbor) root = reel_cbor_decode (data, length, "the claim signature", error);
  g_autoptr(ReelCbor) protected_map = NULL;
  g_autoptr(GBytes) protected_bytes = NULL;
  g_autoptr(GBytes) to_verify = NULL;
  g_autoptr(GBytes) der = NULL;
  const ReelCbor *sign1, *unprotected, *signature, *chain;
  gint64 alg;
  const EVP_MD *md = NULL;
  EVP_PKEY *key;
  EVP_MD_CTX *ctx;
  EVP_PKEY_CTX *pctx = NULL;
  gsize coord = 0;
  const guint8 *sig_data;
  gsize sig_length;
  int ok;

  memset (result, 0, sizeof *result);
  if (root == NULL)
    return FALSE;
  if (root->type != REEL_CBOR_TAG || root->value != COSE_SIGN1_TAG)
    return malformed (error, "it is not a CBOR item with tag 18 (COSE_Sign1)");
  sign1 = reel_cbor_item (root, 0);
  if (sign1->type != REEL_CBOR_ARRAY || reel_cbor_n_items (sign1) != 4)
    return malformed (error, "it is not an array of four items");
  if (reel_cbor_item (sign1, 0)->type != REEL_CBOR_BYTES)
    return malformed (error, "the protected header is not a byte string");
  protected_map = reel_cbor_decode (reel_cbor_item (sign1, 0)->data,
                                    reel_cbor_item (sign1, 0)->length,
                                    "the signature's protected header", error);
  if (protected_map == NULL)
    return FALSE;
  if (protected_map->type != REEL_CBOR_MAP)
    return malformed (error, "the protected header is not a map");
  unprotected = reel_cbor_item (sign1, 1);
  if (unprotected->type != REEL_CBOR_MAP)
    return malformed (error, "the unprotected header is not a map");
  if (reel_cbor_item (sign1, 2)->type != REEL_CBOR_NULL)
    return malformed (error, "the payload is not detached (nil)");
  signature = reel_cbor_item (sign1, 3);
  if (signature->type != REEL_CBOR_BYTES)
    return malformed (error, "the signature is not a byte string");

  if (!reel_cbor_get_int (reel_cbor_map_get_int (protected_map, COSE_HEADER_ALG), &alg))
    return malformed (error, "the protected header names no algorithm (alg, label 1)");
  switch (alg)
    {
    case -7:  result->alg = g_strdup ("ES256"); md = EVP_sha256 (); coord = 32; break;
    case -35: result->alg = g_strdup ("ES384"); md = EVP_sha384 (); coord = 48; break;
    case -36: result->alg = g_strdup ("ES512"); md = EVP_sha512 (); coord = 66; break;
    case -37: result->alg = g_strdup ("PS256"); md = EVP_sha256 (); break;
    case -38: result->alg = g_strdup ("PS384"); md = EVP_sha384 (); break;
    case -39: result->alg = g_strdup ("PS512"); md = EVP_sha512 (); break;
    case -8:  result->alg = g_strdup ("Ed25519"); break;
    default:
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED,
                   "The claim signature uses COSE algorithm %" G_GINT64_FORMAT ", which C2PA "
                   "does not allow (algorithm.unsupported)", alg);
      return FALSE;
    }
  if (coord != 0 && signature->length != 2 * coord)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "The claim signature (COSE_Sign1) is malformed: an %s signature must be %"
                   G_GSIZE_FORMAT " raw bytes (r||s), this one has %" G_GSIZE_FORMAT,
                   result->alg, 2 * coord, signature->length);
      return FALSE;
    }

  /* C2PA 2.x puts x5chain in the protected header; claim v1 signers used the unprotected one. */
  chain = reel_cbor_map_get_int (protected_map, COSE_HEADER_X5CHAIN);
  if (chain == NULL)
    chain = reel_cbor_map_get (unprotected, "x5chain");
  if (chain == NULL)
    chain = reel_cbor_map_get_int (unprotected, COSE_HEADER_X5CHAIN);
  if (chain == NULL)
    return malformed (error, "it carries no certificate chain (x5chain)");
  result->certificates = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  if (chain->type == REEL_CBOR_ARRAY)
    {
      if (reel_cbor_n_items (chain) == 0)
        return malformed (error, "the x5chain is empty");
      for (guint i = 0; i < reel_cbor_n_items (chain); i++)
        if (!add_certificate (result->certificates, reel_cbor_item (chain, i), error))
          return FALSE;
    }
  else if (!add_certificate (result->certificates, chain, error))
    return FALSE;

  protected_bytes = g_bytes_new (reel_cbor_item (sign1, 0)->data,
                                 reel_cbor_item (sign1, 0)->length);
  to_verify = sig_structure (protected_bytes, payload);
  sig_data = signature->data;
  sig_length = signature->length;
  if (coord != 0)
    {
      der = reel_ecdsa_raw_to_der (signature->data, signature->length, error);
      if (der == NULL)
        return FALSE;
      sig_data = g_bytes_get_data (der, &sig_length);
    }

  key = X509_get0_pubkey (result->certificates->pdata[0]);
  if (key == NULL)
    return malformed (error, "the signing certificate's public key cannot be read");
  ctx = EVP_MD_CTX_new ();
  ok = ctx != NULL && EVP_DigestVerifyInit (ctx, &pctx, md, NULL, key) == 1;
  if (ok && alg <= -37 && alg >= -39)
    ok = EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PSS_PADDING) == 1
         && EVP_PKEY_CTX_set_rsa_pss_saltlen (pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
  if (ok)
    result->signature_ok = EVP_DigestVerify (ctx, sig_data, sig_length,
                                             g_bytes_get_data (to_verify, NULL),
                                             g_bytes_get_size (to_verify)) == 1;
  EVP_MD_CTX_free (ctx);
  ERR_clear_error ();
  return TRUE;
}
