#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

/* COSE_Sign1 (RFC 9052) with a detached payload, as C2PA signs claims. */

/* Signs payload with an EC P-256 key (ES256); x5chain holds DER certificates (GBytes), leaf
 * first. The result is the tagged COSE_Sign1 CBOR. */
GBytes   *reel_cose_sign_es256     (EVP_PKEY   *key,
                                    GPtrArray  *x5chain,
                                    GBytes     *payload,
                                    GError    **error);

typedef struct
{
  char      *alg;           /* "ES256", "PS256", ... */
  gboolean   signature_ok;
  GPtrArray *certificates;  /* X509 *, leaf first */
} ReelCoseResult;

void      reel_cose_result_clear   (ReelCoseResult *result);

/* Parses a COSE_Sign1 and checks its signature over payload with the leaf of its x5chain.
 * Returns FALSE with an error when the structure cannot be read; a signature that does not
 * match is reported in result->signature_ok. */
gboolean  reel_cose_verify         (const guint8   *data,
                                    gsize           length,
                                    GBytes         *payload,
                                    ReelCoseResult *result,
                                    GError        **error);

/* DER ECDSA-Sig-Value <-> raw r||s of n bytes each. */
GBytes   *reel_ecdsa_der_to_raw    (const guint8 *der,
                                    gsize         der_length,
                                    gsize         n,
                                    GError      **error);
GBytes   *reel_ecdsa_raw_to_der    (const guint8 *raw,
                                    gsize         raw_length,
                                    GError      **error);

G_END_DECLS
