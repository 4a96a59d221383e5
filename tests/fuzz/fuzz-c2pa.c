#define G_LOG_DOMAIN "reel-fuzz"

#include "config.h"

#include "reel-c2pa.h"
#include "fuzz-target.h"

/* The C2PA reader on untrusted bytes: as an asset that embeds its manifest (MP4 or JPEG), and
 * as a sidecar manifest store. Either may fail, never crash or leak. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  ReelC2paReport *report;
  GError *error = NULL;

  /* A trust file that does not exist keeps the run hermetic (no local identity is read). */
  report = reel_c2pa_verify_bytes (data, size, NULL, 0, "/nonexistent/reel-fuzz-trust.pem",
                                   &error);
  g_clear_error (&error);
  g_clear_pointer (&report, reel_c2pa_report_free);

  report = reel_c2pa_verify_bytes (NULL, 0, data, size, "/nonexistent/reel-fuzz-trust.pem",
                                   &error);
  g_clear_error (&error);
  g_clear_pointer (&report, reel_c2pa_report_free);
  return 0;
}
