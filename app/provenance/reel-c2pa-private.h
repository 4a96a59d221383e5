#pragma once

#include <openssl/evp.h>

#include "reel-c2pa.h"

struct _ReelC2paIdentity
{
  EVP_PKEY  *key;
  GPtrArray *chain;   /* GBytes of DER certificates, signer first, no trust anchor */
};
