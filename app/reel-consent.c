#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include "reel-consent.h"

struct _ReelConsent
{
  gatomicrefcount  ref_count;
  char            *subject;
  char            *granted_by;
  GDateTime       *granted;
  char            *purpose;
  char            *start_image;
};

G_DEFINE_BOXED_TYPE (ReelConsent, reel_consent, reel_consent_ref, reel_consent_unref)

ReelConsent *
reel_consent_new (const char *subject,
                  const char *granted_by,
                  GDateTime  *granted,
                  const char *purpose,
                  const char *start_image)
{
  ReelConsent *self;

  g_return_val_if_fail (subject != NULL && *subject != '\0', NULL);
  g_return_val_if_fail (granted_by != NULL && *granted_by != '\0', NULL);
  g_return_val_if_fail (granted != NULL, NULL);
  g_return_val_if_fail (purpose != NULL && *purpose != '\0', NULL);
  g_return_val_if_fail (start_image != NULL && *start_image != '\0', NULL);

  self = g_new0 (ReelConsent, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->subject = g_strdup (subject);
  self->granted_by = g_strdup (granted_by);
  self->granted = g_date_time_ref (granted);
  self->purpose = g_strdup (purpose);
  self->start_image = g_strdup (start_image);
  return self;
}

ReelConsent *
reel_consent_ref (ReelConsent *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reel_consent_unref (ReelConsent *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->subject);
  g_free (self->granted_by);
  g_date_time_unref (self->granted);
  g_free (self->purpose);
  g_free (self->start_image);
  g_free (self);
}

const char *
reel_consent_get_subject (ReelConsent *self)
{
  return self->subject;
}

const char *
reel_consent_get_granted_by (ReelConsent *self)
{
  return self->granted_by;
}

GDateTime *
reel_consent_get_granted (ReelConsent *self)
{
  return self->granted;
}

const char *
reel_consent_get_purpose (ReelConsent *self)
{
  return self->purpose;
}

const char *
reel_consent_get_start_image (ReelConsent *self)
{
  return self->start_image;
}

gboolean
reel_consent_equal (ReelConsent *a,
                    ReelConsent *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return g_str_equal (a->subject, b->subject)
         && g_str_equal (a->granted_by, b->granted_by)
         && g_date_time_equal (a->granted, b->granted)
         && g_str_equal (a->purpose, b->purpose)
         && g_str_equal (a->start_image, b->start_image);
}
