#define G_LOG_DOMAIN "reel-media"

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "reel-overlay.h"

typedef struct
{
  char            *text;
  gint64           start;
  gint64           end;
  ReelTextPosition position;
  ReelTextStyle    style;
} OverlayCue;

typedef struct
{
  char  *speaker;
  char  *text;
  gint64 start;
  gint64 end;
} OverlayCaption;

struct _ReelOverlay
{
  GArray   *cues;        /* OverlayCue */
  GArray   *captions;    /* OverlayCaption, in start order */
  char     *watermark;   /* full text, or NULL */
  gboolean  burn_captions;
  int       fps;
};

#define NS_PER_SECOND G_GINT64_CONSTANT (1000000000)

/* How long each word of a kinetic cue takes to arrive, and the delay between words. */
#define KINETIC_WORD_SECONDS  0.35
#define KINETIC_WORD_STAGGER  0.18

static void
overlay_cue_clear (gpointer data)
{
  OverlayCue *cue = data;

  g_free (cue->text);
}

static void
overlay_caption_clear (gpointer data)
{
  OverlayCaption *caption = data;

  g_free (caption->speaker);
  g_free (caption->text);
}

static void
overlay_free (gpointer data)
{
  ReelOverlay *self = data;

  g_array_unref (self->cues);
  g_array_unref (self->captions);
  g_free (self->watermark);
}

ReelOverlay *
reel_overlay_new (void)
{
  ReelOverlay *self = g_atomic_rc_box_new0 (ReelOverlay);

  self->cues = g_array_new (FALSE, TRUE, sizeof (OverlayCue));
  g_array_set_clear_func (self->cues, overlay_cue_clear);
  self->captions = g_array_new (FALSE, TRUE, sizeof (OverlayCaption));
  g_array_set_clear_func (self->captions, overlay_caption_clear);
  self->fps = 24;
  return self;
}

ReelOverlay *
reel_overlay_ref (ReelOverlay *overlay)
{
  return g_atomic_rc_box_acquire (overlay);
}

void
reel_overlay_unref (ReelOverlay *overlay)
{
  g_atomic_rc_box_release_full (overlay, overlay_free);
}

double
reel_caption_estimate_duration (const char *text)
{
  double seconds;

  g_return_val_if_fail (text != NULL, REEL_CAPTION_MIN_SECONDS);

  seconds = REEL_CAPTION_BASE_SECONDS
            + REEL_CAPTION_SECONDS_PER_CHAR * g_utf8_strlen (text, -1);
  return CLAMP (seconds, REEL_CAPTION_MIN_SECONDS, REEL_CAPTION_MAX_SECONDS);
}

static gint64
seconds_to_ns (double seconds)
{
  return (gint64) llround (seconds * NS_PER_SECOND);
}

static int
compare_captions (gconstpointer a,
                  gconstpointer b)
{
  const OverlayCaption *ca = a, *cb = b;

  return (ca->start > cb->start) - (ca->start < cb->start);
}

void
reel_overlay_add_shot (ReelOverlay *overlay,
                       ReelShot    *shot,
                       gint64       shot_start,
                       gint64       shot_duration)
{
  GListModel *list;
  gint64 shot_end = shot_start + shot_duration;
  guint n;

  g_return_if_fail (overlay != NULL);
  g_return_if_fail (REEL_IS_SHOT (shot));

  list = reel_shot_get_text_cues (shot);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(ReelTextCue) cue = g_list_model_get_item (list, i);
      OverlayCue item = {
        .start = shot_start + seconds_to_ns (reel_text_cue_get_start (cue)),
        .end = shot_start + seconds_to_ns (reel_text_cue_get_end (cue)),
        .position = reel_text_cue_get_position (cue),
        .style = reel_text_cue_get_style (cue),
      };

      item.end = MIN (item.end, shot_end);
      if (item.start >= item.end || *reel_text_cue_get_text (cue) == '\0')
        continue;
      item.text = g_strdup (reel_text_cue_get_text (cue));
      g_array_append_val (overlay->cues, item);
    }

  list = reel_shot_get_dialogue (shot);
  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReelDialogueLine) line = g_list_model_get_item (list, i);
      double offset = reel_dialogue_line_get_offset (line);
      const char *text = reel_dialogue_line_get_text (line);
      OverlayCaption item = {
        .start = shot_start + seconds_to_ns (offset),
        .end = shot_start + seconds_to_ns (offset + reel_caption_estimate_duration (text)),
      };

      /* A line ends where the next one of the shot begins, so captions never stack. */
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(ReelDialogueLine) other = g_list_model_get_item (list, j);
          double other_offset = reel_dialogue_line_get_offset (other);

          if (j != i && (other_offset > offset || (other_offset == offset && j > i)))
            item.end = MIN (item.end, shot_start + seconds_to_ns (other_offset));
        }
      item.end = MIN (item.end, shot_end);
      if (item.start >= item.end || *text == '\0')
        continue;
      item.speaker = g_strdup (reel_dialogue_line_get_speaker (line));
      item.text = g_strdup (text);
      g_array_append_val (overlay->captions, item);
    }
  /* Sorted while the overlay is still being built: afterwards it is only read. */
  g_array_sort (overlay->captions, compare_captions);
}

void
reel_overlay_set_watermark (ReelOverlay *overlay,
                            const char  *short_id)
{
  g_return_if_fail (overlay != NULL);

  g_clear_pointer (&overlay->watermark, g_free);
  if (short_id != NULL)
    /* Not translated: the mark must read the same for every viewer of the file. */
    overlay->watermark = g_strdup_printf ("AI-generated · %s", short_id);
}

void
reel_overlay_set_burn_captions (ReelOverlay *overlay,
                                gboolean     burn)
{
  g_return_if_fail (overlay != NULL);
  overlay->burn_captions = !!burn;
}

void
reel_overlay_set_fps (ReelOverlay *overlay,
                      int          fps)
{
  g_return_if_fail (overlay != NULL);
  g_return_if_fail (fps > 0);
  overlay->fps = fps;
}

guint
reel_overlay_get_n_captions (ReelOverlay *overlay)
{
  return overlay->captions->len;
}

/* ---- Watermark path ---- */

void
reel_watermark_get_size (int  width,
                         int  height,
                         int *out_width,
                         int *out_height)
{
  *out_width = MAX (1, (int) lround (width * 0.30));
  *out_height = MAX (1, (int) lround (height * 0.075));
}

void
reel_watermark_position (gint64 frame_index,
                         int    fps,
                         int    width,
                         int    height,
                         int   *x,
                         int   *y)
{
  int mark_width, mark_height;
  double t;

  g_return_if_fail (fps > 0);

  reel_watermark_get_size (width, height, &mark_width, &mark_height);
  t = (double) frame_index / fps;
  /* Incommensurate periods: the figure does not close on itself within a few seconds and so
   * sweeps the frame's whole area rather than one line. */
  *x = (int) lround ((width - mark_width) * (0.5 + 0.5 * sin (2 * G_PI * t / 4.0)));
  *y = (int) lround ((height - mark_height)
                     * (0.5 + 0.5 * sin (2 * G_PI * t / 2.6 + G_PI / 4)));
}

/* ---- Drawing ---- */

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *text,
             double      size_px,
             gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans");

  pango_font_description_set_absolute_size (font, MAX (1.0, size_px) * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* White text with a dark outline reads on any picture. */
static void
draw_outlined (cairo_t     *cr,
               PangoLayout *layout,
               double       x,
               double       y,
               double       outline,
               double       alpha)
{
  cairo_save (cr);
  cairo_move_to (cr, x, y);
  pango_cairo_layout_path (cr, layout);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, outline);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.85 * alpha);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, alpha);
  cairo_fill (cr);
  cairo_restore (cr);
}

static double
position_y (ReelTextPosition position,
            double           text_height,
            int              height)
{
  switch (position)
    {
    case REEL_TEXT_POSITION_TOP:
      return height * 0.08;
    case REEL_TEXT_POSITION_CENTER:
      return (height - text_height) / 2;
    case REEL_TEXT_POSITION_BOTTOM:
    default:
      return height * 0.92 - text_height;
    }
}

static void
draw_kinetic (cairo_t          *cr,
              const OverlayCue *cue,
              gint64            timestamp,
              int               width,
              int               height)
{
  g_auto(GStrv) words = g_strsplit_set (cue->text, " \t\n", -1);
  double size = height / 12.0;
  double space = size * 0.3;
  double total = 0, x, y, line_height = 0;
  double elapsed = (double) (timestamp - cue->start) / 1e9;
  guint n = g_strv_length (words);
  g_autofree PangoLayout **layouts = g_new0 (PangoLayout *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      int w, h;

      if (*words[i] == '\0')
        continue;
      layouts[i] = make_layout (cr, words[i], size, TRUE);
      pango_layout_get_pixel_size (layouts[i], &w, &h);
      total += w + space;
      line_height = MAX (line_height, h);
    }
  x = (width - (total - space)) / 2;
  y = position_y (cue->position, line_height, height);

  /* Each word slides up from below and shrinks from 1.6x into place, one after the other. */
  for (guint i = 0; i < n; i++)
    {
      double progress, eased, scale;
      int w, h;

      if (layouts[i] == NULL)
        continue;
      pango_layout_get_pixel_size (layouts[i], &w, &h);
      progress = CLAMP ((elapsed - i * KINETIC_WORD_STAGGER) / KINETIC_WORD_SECONDS, 0.0, 1.0);
      eased = 1 - pow (1 - progress, 3);
      scale = 1.6 - 0.6 * eased;
      if (progress > 0)
        {
          cairo_save (cr);
          cairo_translate (cr, x + w / 2.0, y + h / 2.0 + (1 - eased) * line_height);
          cairo_scale (cr, scale, scale);
          draw_outlined (cr, layouts[i], -w / 2.0, -h / 2.0, size / 8, eased);
          cairo_restore (cr);
        }
      x += w + space;
      g_object_unref (layouts[i]);
    }
}

static void
draw_cue (cairo_t          *cr,
          const OverlayCue *cue,
          gint64            timestamp,
          int               width,
          int               height)
{
  g_autoptr(PangoLayout) layout = NULL;
  int w, h;
  double x, y;

  switch (cue->style)
    {
    case REEL_TEXT_STYLE_KINETIC:
      draw_kinetic (cr, cue, timestamp, width, height);
      return;

    case REEL_TEXT_STYLE_TITLE:
      layout = make_layout (cr, cue->text, height / 9.0, TRUE);
      pango_layout_set_width (layout, (int) (width * 0.9) * PANGO_SCALE);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_get_pixel_size (layout, &w, &h);
      y = position_y (cue->position, h, height);
      draw_outlined (cr, layout, width * 0.05, y, height / 60.0, 1);
      return;

    case REEL_TEXT_STYLE_LOWER_THIRD:
      /* A dark band from the left edge, text left-aligned on it, as news straps are. */
      layout = make_layout (cr, cue->text, height / 20.0, TRUE);
      pango_layout_get_pixel_size (layout, &w, &h);
      y = cue->position == REEL_TEXT_POSITION_BOTTOM
          ? height * 0.80 - h : position_y (cue->position, h, height);
      cairo_save (cr);
      cairo_set_source_rgba (cr, 0.05, 0.05, 0.1, 0.75);
      cairo_rectangle (cr, 0, y - h * 0.3, width * 0.06 + w + h, h * 1.6);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, 0.95, 0.75, 0.2, 1);
      cairo_rectangle (cr, width * 0.03, y - h * 0.3, h * 0.15, h * 1.6);
      cairo_fill (cr);
      cairo_restore (cr);
      draw_outlined (cr, layout, width * 0.06, y, 0, 1);
      return;

    case REEL_TEXT_STYLE_PLAIN:
    default:
      layout = make_layout (cr, cue->text, height / 16.0, FALSE);
      pango_layout_set_width (layout, (int) (width * 0.9) * PANGO_SCALE);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_get_pixel_size (layout, &w, &h);
      x = width * 0.05;
      y = position_y (cue->position, h, height);
      draw_outlined (cr, layout, x, y, height / 90.0, 1);
      return;
    }
}

static void
draw_caption (cairo_t              *cr,
              const OverlayCaption *caption,
              int                   width,
              int                   height)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, caption->text, height / 20.0, FALSE);
  int w, h;
  double x, y;

  pango_layout_set_width (layout, (int) (width * 0.8) * PANGO_SCALE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &w, &h);
  x = width * 0.1;
  y = height * 0.95 - h;
  cairo_save (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.7);
  cairo_rectangle (cr, (width - w) / 2.0 - h * 0.3, y - h * 0.1, w + h * 0.6, h * 1.2);
  cairo_fill (cr);
  cairo_restore (cr);
  draw_outlined (cr, layout, x, y, 0, 1);
}

static void
draw_watermark (ReelOverlay *self,
                cairo_t     *cr,
                gint64       timestamp,
                int          width,
                int          height)
{
  g_autoptr(PangoLayout) layout = NULL;
  gint64 frame = (timestamp * self->fps + NS_PER_SECOND / 2) / NS_PER_SECOND;
  int x, y, box_w, box_h, w, h;
  double size;

  reel_watermark_get_size (width, height, &box_w, &box_h);
  reel_watermark_position (frame, self->fps, width, height, &x, &y);

  /* Shrink the font until the text fits the box, so the box alone bounds the mark. */
  size = box_h * 0.6;
  layout = make_layout (cr, self->watermark, size, TRUE);
  pango_layout_get_pixel_size (layout, &w, &h);
  if (w > box_w * 0.92)
    {
      size *= box_w * 0.92 / w;
      g_object_unref (layout);
      layout = make_layout (cr, self->watermark, size, TRUE);
      pango_layout_get_pixel_size (layout, &w, &h);
    }

  cairo_save (cr);
  cairo_rectangle (cr, x, y, box_w, box_h);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_fill (cr);
  cairo_move_to (cr, x + (box_w - w) / 2.0, y + (box_h - h) / 2.0);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

void
reel_overlay_draw (ReelOverlay *overlay,
                   cairo_t     *cr,
                   gint64       timestamp,
                   int          width,
                   int          height)
{
  g_return_if_fail (overlay != NULL);

  for (guint i = 0; i < overlay->cues->len; i++)
    {
      const OverlayCue *cue = &g_array_index (overlay->cues, OverlayCue, i);

      if (timestamp >= cue->start && timestamp < cue->end)
        draw_cue (cr, cue, timestamp, width, height);
    }

  if (overlay->burn_captions)
    for (guint i = 0; i < overlay->captions->len; i++)
      {
        const OverlayCaption *caption = &g_array_index (overlay->captions, OverlayCaption, i);

        if (timestamp >= caption->start && timestamp < caption->end)
          draw_caption (cr, caption, width, height);
      }

  /* Last, so nothing can cover it. */
  if (overlay->watermark != NULL)
    draw_watermark (overlay, cr, timestamp, width, height);
}

/* ---- Caption files ---- */

static void
append_time (GString *out,
             gint64   ns,
             char     separator)
{
  gint64 ms = (ns + 500000) / 1000000;

  g_string_append_printf (out, "%02" G_GINT64_FORMAT ":%02d:%02d%c%03d", ms / 3600000,
                          (int) (ms / 60000 % 60), (int) (ms / 1000 % 60), separator,
                          (int) (ms % 1000));
}

char *
reel_overlay_to_webvtt (ReelOverlay *overlay)
{
  GString *out = g_string_new ("WEBVTT\n");

  for (guint i = 0; i < overlay->captions->len; i++)
    {
      const OverlayCaption *caption = &g_array_index (overlay->captions, OverlayCaption, i);
      g_autofree char *speaker = g_markup_escape_text (caption->speaker, -1);
      g_autofree char *text = g_markup_escape_text (caption->text, -1);

      g_string_append_c (out, '\n');
      append_time (out, caption->start, '.');
      g_string_append (out, " --> ");
      append_time (out, caption->end, '.');
      g_string_append_c (out, '\n');
      if (*speaker != '\0')
        g_string_append_printf (out, "<v %s>%s\n", speaker, text);
      else
        g_string_append_printf (out, "%s\n", text);
    }
  return g_string_free (out, FALSE);
}

char *
reel_overlay_to_srt (ReelOverlay *overlay)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < overlay->captions->len; i++)
    {
      const OverlayCaption *caption = &g_array_index (overlay->captions, OverlayCaption, i);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "%u\n", i + 1);
      append_time (out, caption->start, ',');
      g_string_append (out, " --> ");
      append_time (out, caption->end, ',');
      g_string_append_c (out, '\n');
      if (*caption->speaker != '\0')
        g_string_append_printf (out, "%s: %s\n", caption->speaker, caption->text);
      else
        g_string_append_printf (out, "%s\n", caption->text);
    }
  return g_string_free (out, FALSE);
}
