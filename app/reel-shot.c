#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include "reel-shot.h"
#include "reel-project-private.h"

struct _ReelShot
{
  GObject         parent_instance;

  char           *id;
  char           *title;
  double          duration;
  char           *prompt;
  char           *style;
  ReelAspect      aspect;
  gint64          seed;

  ReelCameraMove  camera_move;
  double          camera_speed;
  double          lens_mm;
  int             fps;

  char           *music_mood;
  double          music_intensity;

  char           *start_image;

  /* Owned references */
  ReelConsent    *consent;
  ReelTake       *selected_take;
  GListStore     *dialogue;
  GListStore     *sfx;
  GListStore     *text_cues;
  GListStore     *takes;
  JsonObject     *extra;
};

G_DEFINE_FINAL_TYPE (ReelShot, reel_shot, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_DURATION,
  PROP_PROMPT,
  PROP_STYLE,
  PROP_ASPECT,
  PROP_SEED,
  PROP_CAMERA_MOVE,
  PROP_CAMERA_SPEED,
  PROP_LENS_MM,
  PROP_FPS,
  PROP_MUSIC_MOOD,
  PROP_MUSIC_INTENSITY,
  PROP_START_IMAGE,
  PROP_SELECTED_TAKE,
  PROP_CONSENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reel_shot_constructed (GObject *object)
{
  ReelShot *self = (ReelShot *) object;

  G_OBJECT_CLASS (reel_shot_parent_class)->constructed (object);

  if (self->id == NULL || self->id[0] == '\0')
    {
      g_free (self->id);
      self->id = g_uuid_string_random ();
    }
}

static void
reel_shot_dispose (GObject *object)
{
  ReelShot *self = (ReelShot *) object;

  g_clear_object (&self->selected_take);

  G_OBJECT_CLASS (reel_shot_parent_class)->dispose (object);
}

static void
reel_shot_finalize (GObject *object)
{
  ReelShot *self = (ReelShot *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->style, g_free);
  g_clear_pointer (&self->music_mood, g_free);
  g_clear_pointer (&self->start_image, g_free);
  g_clear_pointer (&self->consent, reel_consent_unref);
  g_clear_object (&self->dialogue);
  g_clear_object (&self->sfx);
  g_clear_object (&self->text_cues);
  g_clear_object (&self->takes);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (reel_shot_parent_class)->finalize (object);
}

static void
reel_shot_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ReelShot *self = REEL_SHOT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_STYLE:
      g_value_set_string (value, self->style);
      break;
    case PROP_ASPECT:
      g_value_set_enum (value, self->aspect);
      break;
    case PROP_SEED:
      g_value_set_int64 (value, self->seed);
      break;
    case PROP_CAMERA_MOVE:
      g_value_set_enum (value, self->camera_move);
      break;
    case PROP_CAMERA_SPEED:
      g_value_set_double (value, self->camera_speed);
      break;
    case PROP_LENS_MM:
      g_value_set_double (value, self->lens_mm);
      break;
    case PROP_FPS:
      g_value_set_int (value, self->fps);
      break;
    case PROP_MUSIC_MOOD:
      g_value_set_string (value, self->music_mood);
      break;
    case PROP_MUSIC_INTENSITY:
      g_value_set_double (value, self->music_intensity);
      break;
    case PROP_START_IMAGE:
      g_value_set_string (value, self->start_image);
      break;
    case PROP_SELECTED_TAKE:
      g_value_set_object (value, self->selected_take);
      break;
    case PROP_CONSENT:
      g_value_set_boxed (value, self->consent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_shot_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ReelShot *self = REEL_SHOT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      reel_shot_set_title (self, g_value_get_string (value));
      break;
    case PROP_DURATION:
      reel_shot_set_duration (self, g_value_get_double (value));
      break;
    case PROP_PROMPT:
      reel_shot_set_prompt (self, g_value_get_string (value));
      break;
    case PROP_STYLE:
      reel_shot_set_style (self, g_value_get_string (value));
      break;
    case PROP_ASPECT:
      reel_shot_set_aspect (self, g_value_get_enum (value));
      break;
    case PROP_SEED:
      reel_shot_set_seed (self, g_value_get_int64 (value));
      break;
    case PROP_CAMERA_MOVE:
      reel_shot_set_camera_move (self, g_value_get_enum (value));
      break;
    case PROP_CAMERA_SPEED:
      reel_shot_set_camera_speed (self, g_value_get_double (value));
      break;
    case PROP_LENS_MM:
      reel_shot_set_lens_mm (self, g_value_get_double (value));
      break;
    case PROP_FPS:
      reel_shot_set_fps (self, g_value_get_int (value));
      break;
    case PROP_MUSIC_MOOD:
      reel_shot_set_music_mood (self, g_value_get_string (value));
      break;
    case PROP_MUSIC_INTENSITY:
      reel_shot_set_music_intensity (self, g_value_get_double (value));
      break;
    case PROP_START_IMAGE:
      reel_shot_set_start_image (self, g_value_get_string (value));
      break;
    case PROP_SELECTED_TAKE:
      reel_shot_set_selected_take (self, g_value_get_object (value));
      break;
    case PROP_CONSENT:
      reel_shot_set_consent (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_shot_class_init (ReelShotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags =
    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = reel_shot_constructed;
  object_class->dispose = reel_shot_dispose;
  object_class->finalize = reel_shot_finalize;
  object_class->get_property = reel_shot_get_property;
  object_class->set_property = reel_shot_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, "", flags);
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL,
                         REEL_SHOT_DURATION_MIN, REEL_SHOT_DURATION_MAX,
                         REEL_SHOT_DURATION_DEFAULT, flags);
  properties[PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL, "", flags);
  properties[PROP_STYLE] =
    g_param_spec_string ("style", NULL, NULL, "", flags);
  properties[PROP_ASPECT] =
    g_param_spec_enum ("aspect", NULL, NULL, REEL_TYPE_ASPECT, REEL_ASPECT_16X9, flags);
  properties[PROP_SEED] =
    g_param_spec_int64 ("seed", NULL, NULL, 0, REEL_SEED_MAX, 0, flags);
  properties[PROP_CAMERA_MOVE] =
    g_param_spec_enum ("camera-move", NULL, NULL,
                       REEL_TYPE_CAMERA_MOVE, REEL_CAMERA_MOVE_STATIC, flags);
  properties[PROP_CAMERA_SPEED] =
    g_param_spec_double ("camera-speed", NULL, NULL,
                         REEL_CAMERA_SPEED_MIN, REEL_CAMERA_SPEED_MAX, 1.0, flags);
  properties[PROP_LENS_MM] =
    g_param_spec_double ("lens-mm", NULL, NULL,
                         REEL_LENS_MM_MIN, REEL_LENS_MM_MAX, REEL_LENS_MM_DEFAULT, flags);
  properties[PROP_FPS] =
    g_param_spec_int ("fps", NULL, NULL, REEL_FPS_MIN, REEL_FPS_MAX, REEL_FPS_DEFAULT, flags);
  properties[PROP_MUSIC_MOOD] =
    g_param_spec_string ("music-mood", NULL, NULL, "", flags);
  properties[PROP_MUSIC_INTENSITY] =
    g_param_spec_double ("music-intensity", NULL, NULL,
                         REEL_MUSIC_INTENSITY_MIN, REEL_MUSIC_INTENSITY_MAX, 0.5, flags);
  properties[PROP_START_IMAGE] =
    g_param_spec_string ("start-image", NULL, NULL, NULL, flags);
  properties[PROP_SELECTED_TAKE] =
    g_param_spec_object ("selected-take", NULL, NULL, REEL_TYPE_TAKE, flags);
  properties[PROP_CONSENT] =
    g_param_spec_boxed ("consent", NULL, NULL, REEL_TYPE_CONSENT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_shot_init (ReelShot *self)
{
  self->title = g_strdup ("");
  self->duration = REEL_SHOT_DURATION_DEFAULT;
  self->prompt = g_strdup ("");
  self->style = g_strdup ("");
  self->aspect = REEL_ASPECT_16X9;
  self->camera_move = REEL_CAMERA_MOVE_STATIC;
  self->camera_speed = 1.0;
  self->lens_mm = REEL_LENS_MM_DEFAULT;
  self->fps = REEL_FPS_DEFAULT;
  self->music_mood = g_strdup ("");
  self->music_intensity = 0.5;

  self->dialogue = g_list_store_new (REEL_TYPE_DIALOGUE_LINE);
  self->sfx = g_list_store_new (REEL_TYPE_SFX_CUE);
  self->text_cues = g_list_store_new (REEL_TYPE_TEXT_CUE);
  self->takes = g_list_store_new (REEL_TYPE_TAKE);
}

ReelShot *
reel_shot_new (void)
{
  ReelShot *self = g_object_new (REEL_TYPE_SHOT, NULL);

  /* Different shots should not render the same noise unless someone asks for it. */
  self->seed = g_random_int ();

  return self;
}

ReelShot *
reel_shot_new_with_id (const char *id)
{
  g_return_val_if_fail (id != NULL && id[0] != '\0', NULL);

  return g_object_new (REEL_TYPE_SHOT, "id", id, NULL);
}

const char *
reel_shot_get_id (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return self->id;
}

#define STRING_ACCESSORS(field, PROP)                                           \
const char *                                                                    \
reel_shot_get_##field (ReelShot *self)                                          \
{                                                                               \
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);                             \
  return self->field;                                                           \
}                                                                               \
                                                                                \
void                                                                            \
reel_shot_set_##field (ReelShot   *self,                                        \
                       const char *value)                                       \
{                                                                               \
  g_return_if_fail (REEL_IS_SHOT (self));                                       \
  if (reel_set_string_nonnull (&self->field, value))                            \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);               \
}

#define DOUBLE_ACCESSORS(field, PROP, DEFAULT, MIN, MAX)                        \
double                                                                          \
reel_shot_get_##field (ReelShot *self)                                          \
{                                                                               \
  g_return_val_if_fail (REEL_IS_SHOT (self), DEFAULT);                          \
  return self->field;                                                           \
}                                                                               \
                                                                                \
void                                                                            \
reel_shot_set_##field (ReelShot *self,                                          \
                       double    value)                                         \
{                                                                               \
  g_return_if_fail (REEL_IS_SHOT (self));                                       \
  value = reel_clamp_double (value, MIN, MAX);                                  \
  if (self->field == value)                                                     \
    return;                                                                     \
  self->field = value;                                                          \
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);                 \
}

STRING_ACCESSORS (title, PROP_TITLE)
STRING_ACCESSORS (prompt, PROP_PROMPT)
STRING_ACCESSORS (style, PROP_STYLE)
STRING_ACCESSORS (music_mood, PROP_MUSIC_MOOD)

DOUBLE_ACCESSORS (duration, PROP_DURATION, REEL_SHOT_DURATION_DEFAULT,
                  REEL_SHOT_DURATION_MIN, REEL_SHOT_DURATION_MAX)
DOUBLE_ACCESSORS (camera_speed, PROP_CAMERA_SPEED, 1.0,
                  REEL_CAMERA_SPEED_MIN, REEL_CAMERA_SPEED_MAX)
DOUBLE_ACCESSORS (lens_mm, PROP_LENS_MM, REEL_LENS_MM_DEFAULT,
                  REEL_LENS_MM_MIN, REEL_LENS_MM_MAX)
DOUBLE_ACCESSORS (music_intensity, PROP_MUSIC_INTENSITY, 0.5,
                  REEL_MUSIC_INTENSITY_MIN, REEL_MUSIC_INTENSITY_MAX)

#undef STRING_ACCESSORS
#undef DOUBLE_ACCESSORS

ReelAspect
reel_shot_get_aspect (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), REEL_ASPECT_16X9);

  return self->aspect;
}

void
reel_shot_set_aspect (ReelShot   *self,
                      ReelAspect  aspect)
{
  g_return_if_fail (REEL_IS_SHOT (self));
  g_return_if_fail (aspect <= REEL_ASPECT_1X1);

  if (self->aspect == aspect)
    return;

  self->aspect = aspect;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASPECT]);
}

gint64
reel_shot_get_seed (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), 0);

  return self->seed;
}

void
reel_shot_set_seed (ReelShot *self,
                    gint64    seed)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  seed = CLAMP (seed, 0, (gint64) REEL_SEED_MAX);
  if (self->seed == seed)
    return;

  self->seed = seed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

ReelCameraMove
reel_shot_get_camera_move (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), REEL_CAMERA_MOVE_STATIC);

  return self->camera_move;
}

void
reel_shot_set_camera_move (ReelShot       *self,
                           ReelCameraMove  move)
{
  g_return_if_fail (REEL_IS_SHOT (self));
  g_return_if_fail (move <= REEL_CAMERA_MOVE_HANDHELD);

  if (self->camera_move == move)
    return;

  self->camera_move = move;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_MOVE]);
}

int
reel_shot_get_fps (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), REEL_FPS_DEFAULT);

  return self->fps;
}

void
reel_shot_set_fps (ReelShot *self,
                   int       fps)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  fps = CLAMP (fps, REEL_FPS_MIN, REEL_FPS_MAX);
  if (self->fps == fps)
    return;

  self->fps = fps;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FPS]);
}

const char *
reel_shot_get_start_image (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return self->start_image;
}

void
reel_shot_set_start_image (ReelShot   *self,
                           const char *media_name)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  /* "" and NULL both mean "no start image"; keep one spelling. */
  if (media_name != NULL && media_name[0] == '\0')
    media_name = NULL;

  if (g_strcmp0 (self->start_image, media_name) == 0)
    return;

  g_free (self->start_image);
  self->start_image = g_strdup (media_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_IMAGE]);
}

ReelConsent *
reel_shot_get_consent (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return self->consent;
}

void
reel_shot_set_consent (ReelShot    *self,
                       ReelConsent *consent)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  if (reel_consent_equal (self->consent, consent))
    return;

  g_clear_pointer (&self->consent, reel_consent_unref);
  self->consent = consent != NULL ? reel_consent_ref (consent) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONSENT]);
}

ReelTake *
reel_shot_get_selected_take (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return self->selected_take;
}

void
reel_shot_set_selected_take (ReelShot *self,
                             ReelTake *take)
{
  g_return_if_fail (REEL_IS_SHOT (self));
  g_return_if_fail (take == NULL || REEL_IS_TAKE (take));
  g_return_if_fail (take == NULL || g_list_store_find (self->takes, take, NULL));

  if (g_set_object (&self->selected_take, take))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_TAKE]);
}

GListModel *
reel_shot_get_dialogue (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return G_LIST_MODEL (self->dialogue);
}

GListModel *
reel_shot_get_sfx (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return G_LIST_MODEL (self->sfx);
}

GListModel *
reel_shot_get_text_cues (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return G_LIST_MODEL (self->text_cues);
}

GListModel *
reel_shot_get_takes (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return G_LIST_MODEL (self->takes);
}

ReelTake *
reel_shot_find_take (ReelShot   *self,
                     const char *take_id)
{
  guint n;

  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  if (take_id == NULL)
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->takes));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReelTake) take = g_list_model_get_item (G_LIST_MODEL (self->takes), i);

      if (g_strcmp0 (reel_take_get_id (take), take_id) == 0)
        return take;
    }

  return NULL;
}

static void
copy_cues (GListStore *from,
           GListStore *to,
           GObject *(*copy) (gpointer))
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (from));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (from), i);
      g_autoptr(GObject) item_copy = copy (item);

      g_list_store_append (to, item_copy);
    }
}

ReelShot *
reel_shot_duplicate (ReelShot *self)
{
  ReelShot *copy;

  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  /* Through the setters: the copy's defaults are freed, and nobody listens to it yet. */
  copy = g_object_new (REEL_TYPE_SHOT, NULL);
  reel_shot_set_title (copy, self->title);
  reel_shot_set_duration (copy, self->duration);
  reel_shot_set_prompt (copy, self->prompt);
  reel_shot_set_style (copy, self->style);
  reel_shot_set_aspect (copy, self->aspect);
  reel_shot_set_seed (copy, self->seed);
  reel_shot_set_camera_move (copy, self->camera_move);
  reel_shot_set_camera_speed (copy, self->camera_speed);
  reel_shot_set_lens_mm (copy, self->lens_mm);
  reel_shot_set_fps (copy, self->fps);
  reel_shot_set_music_mood (copy, self->music_mood);
  reel_shot_set_music_intensity (copy, self->music_intensity);
  reel_shot_set_start_image (copy, self->start_image);
  reel_shot_set_consent (copy, self->consent);
  copy->extra = reel_json_object_copy (self->extra);

  copy_cues (self->dialogue, copy->dialogue, (GObject *(*) (gpointer)) reel_dialogue_line_copy);
  copy_cues (self->sfx, copy->sfx, (GObject *(*) (gpointer)) reel_sfx_cue_copy);
  copy_cues (self->text_cues, copy->text_cues, (GObject *(*) (gpointer)) reel_text_cue_copy);

  return copy;
}

GListStore *
reel_shot_get_store_for_item (ReelShot *self,
                              gpointer  item)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  if (REEL_IS_DIALOGUE_LINE (item))
    return self->dialogue;
  if (REEL_IS_SFX_CUE (item))
    return self->sfx;
  if (REEL_IS_TEXT_CUE (item))
    return self->text_cues;
  if (REEL_IS_TAKE (item))
    return self->takes;

  g_return_val_if_reached (NULL);
}

void
reel_shot_append_cue_internal (ReelShot *self,
                               GObject  *cue)
{
  GListStore *store;

  g_return_if_fail (REEL_IS_SHOT (self));
  g_return_if_fail (REEL_IS_DIALOGUE_LINE (cue) || REEL_IS_SFX_CUE (cue) || REEL_IS_TEXT_CUE (cue));

  store = reel_shot_get_store_for_item (self, cue);
  g_list_store_append (store, cue);
}

void
reel_shot_append_take_internal (ReelShot *self,
                                ReelTake *take)
{
  g_return_if_fail (REEL_IS_SHOT (self));
  g_return_if_fail (REEL_IS_TAKE (take));

  g_list_store_append (self->takes, take);
}

JsonObject *
reel_shot_get_extra (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return self->extra;
}

void
reel_shot_set_extra (ReelShot   *self,
                     JsonObject *extra)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}
