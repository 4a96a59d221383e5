#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include "reel-dialogue-line.h"
#include "reel-project-private.h"

struct _ReelDialogueLine
{
  GObject     parent_instance;

  char       *speaker;
  char       *voice;
  char       *text;
  double      offset;

  /* Owned references */
  JsonObject *extra;
};

G_DEFINE_FINAL_TYPE (ReelDialogueLine, reel_dialogue_line, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SPEAKER,
  PROP_VOICE,
  PROP_TEXT,
  PROP_OFFSET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reel_dialogue_line_finalize (GObject *object)
{
  ReelDialogueLine *self = (ReelDialogueLine *) object;

  g_clear_pointer (&self->speaker, g_free);
  g_clear_pointer (&self->voice, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (reel_dialogue_line_parent_class)->finalize (object);
}

static void
reel_dialogue_line_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ReelDialogueLine *self = REEL_DIALOGUE_LINE (object);

  switch (prop_id)
    {
    case PROP_SPEAKER:
      g_value_set_string (value, self->speaker);
      break;
    case PROP_VOICE:
      g_value_set_string (value, self->voice);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_OFFSET:
      g_value_set_double (value, self->offset);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_dialogue_line_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ReelDialogueLine *self = REEL_DIALOGUE_LINE (object);

  switch (prop_id)
    {
    case PROP_SPEAKER:
      reel_dialogue_line_set_speaker (self, g_value_get_string (value));
      break;
    case PROP_VOICE:
      reel_dialogue_line_set_voice (self, g_value_get_string (value));
      break;
    case PROP_TEXT:
      reel_dialogue_line_set_text (self, g_value_get_string (value));
      break;
    case PROP_OFFSET:
      reel_dialogue_line_set_offset (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_dialogue_line_class_init (ReelDialogueLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reel_dialogue_line_finalize;
  object_class->get_property = reel_dialogue_line_get_property;
  object_class->set_property = reel_dialogue_line_set_property;

  properties[PROP_SPEAKER] =
    g_param_spec_string ("speaker", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VOICE] =
    g_param_spec_string ("voice", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OFFSET] =
    g_param_spec_double ("offset", NULL, NULL, 0.0, REEL_CUE_TIME_MAX, 0.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_dialogue_line_init (ReelDialogueLine *self)
{
  self->speaker = g_strdup ("");
  self->voice = g_strdup ("");
  self->text = g_strdup ("");
}

ReelDialogueLine *
reel_dialogue_line_new (const char *speaker,
                        const char *voice,
                        const char *text,
                        double      offset)
{
  ReelDialogueLine *self = g_object_new (REEL_TYPE_DIALOGUE_LINE, NULL);

  /* Through the setters, so construction clamps exactly like editing does. */
  reel_dialogue_line_set_speaker (self, speaker);
  reel_dialogue_line_set_voice (self, voice);
  reel_dialogue_line_set_text (self, text);
  reel_dialogue_line_set_offset (self, offset);

  return self;
}

ReelDialogueLine *
reel_dialogue_line_copy (ReelDialogueLine *self)
{
  ReelDialogueLine *copy;

  g_return_val_if_fail (REEL_IS_DIALOGUE_LINE (self), NULL);

  copy = reel_dialogue_line_new (self->speaker, self->voice, self->text, self->offset);
  copy->extra = reel_json_object_copy (self->extra);

  return copy;
}

const char *
reel_dialogue_line_get_speaker (ReelDialogueLine *self)
{
  g_return_val_if_fail (REEL_IS_DIALOGUE_LINE (self), NULL);

  return self->speaker;
}

void
reel_dialogue_line_set_speaker (ReelDialogueLine *self,
                                const char       *speaker)
{
  g_return_if_fail (REEL_IS_DIALOGUE_LINE (self));

  if (reel_set_string_nonnull (&self->speaker, speaker))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEAKER]);
}

const char *
reel_dialogue_line_get_voice (ReelDialogueLine *self)
{
  g_return_val_if_fail (REEL_IS_DIALOGUE_LINE (self), NULL);

  return self->voice;
}

void
reel_dialogue_line_set_voice (ReelDialogueLine *self,
                              const char       *voice)
{
  g_return_if_fail (REEL_IS_DIALOGUE_LINE (self));

  if (reel_set_string_nonnull (&self->voice, voice))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOICE]);
}

const char *
reel_dialogue_line_get_text (ReelDialogueLine *self)
{
  g_return_val_if_fail (REEL_IS_DIALOGUE_LINE (self), NULL);

  return self->text;
}

void
reel_dialogue_line_set_text (ReelDialogueLine *self,
                             const char       *text)
{
  g_return_if_fail (REEL_IS_DIALOGUE_LINE (self));

  if (reel_set_string_nonnull (&self->text, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

double
reel_dialogue_line_get_offset (ReelDialogueLine *self)
{
  g_return_val_if_fail (REEL_IS_DIALOGUE_LINE (self), 0.0);

  return self->offset;
}

void
reel_dialogue_line_set_offset (ReelDialogueLine *self,
                               double            offset)
{
  g_return_if_fail (REEL_IS_DIALOGUE_LINE (self));

  offset = reel_clamp_double (offset, 0.0, REEL_CUE_TIME_MAX);
  if (self->offset == offset)
    return;

  self->offset = offset;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFSET]);
}

JsonObject *
reel_dialogue_line_get_extra (ReelDialogueLine *self)
{
  g_return_val_if_fail (REEL_IS_DIALOGUE_LINE (self), NULL);

  return self->extra;
}

void
reel_dialogue_line_set_extra (ReelDialogueLine *self,
                              JsonObject       *extra)
{
  g_return_if_fail (REEL_IS_DIALOGUE_LINE (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}
