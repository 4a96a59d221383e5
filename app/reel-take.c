#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include "reel-take.h"
#include "reel-project-private.h"

struct _ReelTake
{
  GObject     parent_instance;

  char       *id;
  char       *parent_id;
  char       *video;
  char       *audio;
  char       *thumbnail;

  /* Owned references */
  GDateTime  *created;
  JsonObject *request;
  JsonObject *extra;
};

G_DEFINE_FINAL_TYPE (ReelTake, reel_take, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PARENT_ID,
  PROP_CREATED,
  PROP_REQUEST,
  PROP_VIDEO,
  PROP_AUDIO,
  PROP_THUMBNAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reel_take_constructed (GObject *object)
{
  ReelTake *self = (ReelTake *) object;

  G_OBJECT_CLASS (reel_take_parent_class)->constructed (object);

  /* A take made by g_object_new() alone is still complete: an id, a time and a request. */
  if (self->id == NULL || self->id[0] == '\0')
    {
      g_free (self->id);
      self->id = g_uuid_string_random ();
    }
  if (self->created == NULL)
    self->created = g_date_time_new_now_utc ();
  if (self->request == NULL)
    self->request = json_object_new ();
}

static void
reel_take_finalize (GObject *object)
{
  ReelTake *self = (ReelTake *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->parent_id, g_free);
  g_clear_pointer (&self->video, g_free);
  g_clear_pointer (&self->audio, g_free);
  g_clear_pointer (&self->thumbnail, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->request, json_object_unref);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (reel_take_parent_class)->finalize (object);
}

static void
reel_take_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ReelTake *self = REEL_TAKE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PARENT_ID:
      g_value_set_string (value, self->parent_id);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_REQUEST:
      g_value_set_boxed (value, self->request);
      break;
    case PROP_VIDEO:
      g_value_set_string (value, self->video);
      break;
    case PROP_AUDIO:
      g_value_set_string (value, self->audio);
      break;
    case PROP_THUMBNAIL:
      g_value_set_string (value, self->thumbnail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_take_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ReelTake *self = REEL_TAKE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_PARENT_ID:
      /* "" and NULL both mean "made from the shot itself". */
      if (g_value_get_string (value) != NULL && g_value_get_string (value)[0] != '\0')
        self->parent_id = g_value_dup_string (value);
      break;
    case PROP_CREATED:
      self->created = g_value_dup_boxed (value);
      break;
    case PROP_REQUEST:
      self->request = reel_json_object_copy (g_value_get_boxed (value));
      break;
    case PROP_VIDEO:
      reel_take_set_video (self, g_value_get_string (value));
      break;
    case PROP_AUDIO:
      reel_take_set_audio (self, g_value_get_string (value));
      break;
    case PROP_THUMBNAIL:
      reel_take_set_thumbnail (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_take_class_init (ReelTakeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = reel_take_constructed;
  object_class->finalize = reel_take_finalize;
  object_class->get_property = reel_take_get_property;
  object_class->set_property = reel_take_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PARENT_ID] =
    g_param_spec_string ("parent-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUEST] =
    g_param_spec_boxed ("request", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIDEO] =
    g_param_spec_string ("video", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AUDIO] =
    g_param_spec_string ("audio", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_THUMBNAIL] =
    g_param_spec_string ("thumbnail", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_take_init (ReelTake *self)
{
}

ReelTake *
reel_take_new (const char *parent_id,
               JsonObject *request)
{
  return reel_take_new_full (NULL, parent_id, NULL, request);
}

ReelTake *
reel_take_new_full (const char *id,
                    const char *parent_id,
                    GDateTime  *created,
                    JsonObject *request)
{
  return g_object_new (REEL_TYPE_TAKE,
                       "id", id,
                       "parent-id", parent_id,
                       "created", created,
                       "request", request,
                       NULL);
}

const char *
reel_take_get_id (ReelTake *self)
{
  g_return_val_if_fail (REEL_IS_TAKE (self), NULL);

  return self->id;
}

const char *
reel_take_get_parent_id (ReelTake *self)
{
  g_return_val_if_fail (REEL_IS_TAKE (self), NULL);

  return self->parent_id;
}

GDateTime *
reel_take_get_created (ReelTake *self)
{
  g_return_val_if_fail (REEL_IS_TAKE (self), NULL);

  return self->created;
}

JsonObject *
reel_take_get_request (ReelTake *self)
{
  g_return_val_if_fail (REEL_IS_TAKE (self), NULL);

  return self->request;
}

/* Media names are optional: "" is stored as NULL so "no media" has one spelling. */
static gboolean
set_media_name (char       **field,
                const char  *name)
{
  if (name != NULL && name[0] == '\0')
    name = NULL;
  if (g_strcmp0 (*field, name) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (name);
  return TRUE;
}

const char *
reel_take_get_video (ReelTake *self)
{
  g_return_val_if_fail (REEL_IS_TAKE (self), NULL);

  return self->video;
}

void
reel_take_set_video (ReelTake   *self,
                     const char *media_name)
{
  g_return_if_fail (REEL_IS_TAKE (self));

  if (set_media_name (&self->video, media_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO]);
}

const char *
reel_take_get_audio (ReelTake *self)
{
  g_return_val_if_fail (REEL_IS_TAKE (self), NULL);

  return self->audio;
}

void
reel_take_set_audio (ReelTake   *self,
                     const char *media_name)
{
  g_return_if_fail (REEL_IS_TAKE (self));

  if (set_media_name (&self->audio, media_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO]);
}

const char *
reel_take_get_thumbnail (ReelTake *self)
{
  g_return_val_if_fail (REEL_IS_TAKE (self), NULL);

  return self->thumbnail;
}

void
reel_take_set_thumbnail (ReelTake   *self,
                         const char *media_name)
{
  g_return_if_fail (REEL_IS_TAKE (self));

  if (set_media_name (&self->thumbnail, media_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

JsonObject *
reel_take_get_extra (ReelTake *self)
{
  g_return_val_if_fail (REEL_IS_TAKE (self), NULL);

  return self->extra;
}

void
reel_take_set_extra (ReelTake   *self,
                     JsonObject *extra)
{
  g_return_if_fail (REEL_IS_TAKE (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}
