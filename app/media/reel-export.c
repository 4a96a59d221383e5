#define G_LOG_DOMAIN "reel-media"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/pbutils/encoding-profile.h>

#include "reel-c2pa.h"
#include "reel-export.h"
#include "reel-media-error.h"
#include "reel-project-io.h"
#include "reel-sequence.h"

typedef struct
{
  /* Owned references */
  ReelProject            *project;
  ReelSequence           *sequence;
  GstElement             *pipeline;
  GSource                *bus_source;
  GSource                *progress_source;
  GSource                *cancel_source;
  char                   *output_path;
  char                   *encoded_path;   /* the encoder's temporary file */
  char                   *signed_path;    /* the signer's temporary file */
  char                   *title;
  GPtrArray              *ingredient_titles;
  GArray                 *ingredients;    /* ReelC2paIngredient, strings in the arrays above */
  GPtrArray              *ingredient_hashes;

  ReelExportOptions       options;
  char                   *manifest_label;  /* signed as this, so the mark can show its id */
  char                   *take_id;
  ReelExportProgressFunc  progress;
  gpointer                progress_data;
  gboolean                done;
} ExportJob;

static void
remove_if_set (const char *path)
{
  if (path != NULL && g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("Could not remove the unfinished export %s: %s", path, g_strerror (errno));
}

static void
export_job_stop (ExportJob *job)
{
  if (job->bus_source != NULL)
    g_source_destroy (job->bus_source);
  g_clear_pointer (&job->bus_source, g_source_unref);
  if (job->progress_source != NULL)
    g_source_destroy (job->progress_source);
  g_clear_pointer (&job->progress_source, g_source_unref);
  if (job->cancel_source != NULL)
    g_source_destroy (job->cancel_source);
  g_clear_pointer (&job->cancel_source, g_source_unref);
  if (job->pipeline != NULL)
    gst_element_set_state (job->pipeline, GST_STATE_NULL);
  gst_clear_object (&job->pipeline);
}

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  export_job_stop (job);
  /* Whatever temporary file is still here belongs to an export that did not finish. */
  remove_if_set (job->encoded_path);
  remove_if_set (job->signed_path);
  g_clear_pointer (&job->sequence, reel_sequence_free);
  g_clear_object (&job->project);
  g_free (job->output_path);
  g_free (job->encoded_path);
  g_free (job->signed_path);
  g_free (job->title);
  g_clear_pointer (&job->ingredient_titles, g_ptr_array_unref);
  g_clear_pointer (&job->ingredient_hashes, g_ptr_array_unref);
  g_clear_pointer (&job->ingredients, g_array_unref);
  g_free (job->manifest_label);
  g_free (job->take_id);
  g_free (job);
}

gboolean
reel_export_format_from_path (const char       *path,
                              ReelExportFormat *out_format)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".mp4") || g_str_has_suffix (lower, ".m4v"))
    *out_format = REEL_EXPORT_FORMAT_MP4;
  else if (g_str_has_suffix (lower, ".webm"))
    *out_format = REEL_EXPORT_FORMAT_WEBM;
  else
    return FALSE;
  return TRUE;
}

char *
reel_export_sibling_path (const char *output_path,
                          const char *extension)
{
  g_autofree char *base = g_path_get_basename (output_path);
  g_autofree char *dir = g_path_get_dirname (output_path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_strdup_printf ("%s%s%s.%s", dir, G_DIR_SEPARATOR_S, base, extension);
}

/* A hidden file beside the output, so the final rename stays on one file system. */
static char *
make_temp_path (const char *output_path,
                const char *suffix,
                GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (output_path);
  g_autofree char *base = g_path_get_basename (output_path);
  g_autofree char *template = g_strdup_printf ("%s%s.%s.XXXXXX%s", dir, G_DIR_SEPARATOR_S, base,
                                               suffix);
  int fd = g_mkstemp_full (template, O_RDWR, 0644);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write into the folder %s: %s. Choose a folder you can write to."),
                   dir, g_strerror (saved_errno));
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&template);
}

static GstEncodingProfile *
make_profile (ReelExportFormat format)
{
  g_autoptr(GstCaps) container_caps = NULL;
  g_autoptr(GstCaps) video_caps = NULL;
  g_autoptr(GstCaps) audio_caps = NULL;
  /* 4:2:0 so that x264 picks a profile every player decodes, not High 4:4:4. */
  g_autoptr(GstCaps) restriction = gst_caps_from_string ("video/x-raw,format=I420");
  GstEncodingContainerProfile *container;

  if (format == REEL_EXPORT_FORMAT_MP4)
    {
      container_caps = gst_caps_from_string ("video/quicktime,variant=iso");
      video_caps = gst_caps_from_string ("video/x-h264");
      audio_caps = gst_caps_from_string ("audio/mpeg,mpegversion=4");
    }
  else
    {
      container_caps = gst_caps_from_string ("video/webm");
      video_caps = gst_caps_from_string ("video/x-vp9");
      audio_caps = gst_caps_from_string ("audio/x-opus");
    }
  container = gst_encoding_container_profile_new ("reel", NULL, container_caps, NULL);
  gst_encoding_container_profile_add_profile (
    container, GST_ENCODING_PROFILE (gst_encoding_video_profile_new (video_caps, NULL,
                                                                     restriction, 0)));
  gst_encoding_container_profile_add_profile (
    container, GST_ENCODING_PROFILE (gst_encoding_audio_profile_new (audio_caps, NULL,
                                                                     NULL, 0)));
  return GST_ENCODING_PROFILE (container);
}

/* Settings the profile cannot express: an MP4 with its index first, and encoders that keep
 * up on a laptop. */
static void
deep_element_added_cb (GstBin     *bin,
                       GstBin     *sub_bin,
                       GstElement *element,
                       gpointer    user_data)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const char *name = factory != NULL ? GST_OBJECT_NAME (factory) : "";

  if (g_str_equal (name, "mp4mux") || g_str_equal (name, "qtmux"))
    g_object_set (element, "faststart", TRUE, NULL);
  else if (g_str_equal (name, "x264enc"))
    {
      gst_util_set_object_arg (G_OBJECT (element), "speed-preset", "faster");
      g_object_set (element, "key-int-max", 2 * REEL_SEQUENCE_FPS, NULL);
    }
  else if (g_str_equal (name, "vp9enc"))
    {
      /* Realtime deadline with a high cpu-used: VP9's default is many times slower. */
      g_object_set (element, "deadline", (gint64) 1, "cpu-used", 8, "threads", 2, NULL);
      gst_util_set_object_arg (G_OBJECT (element), "end-usage", "cq");
      g_object_set (element, "cq-level", 20, NULL);
    }
}

/* The cut reaches the encoders as one segment per clip. x264enc and mp4mux lose or misplace a
 * frame at each segment change, so the encoders get a single segment from 0 and buffers stamped
 * with their running time, which runs on without a break across the cuts. */
static GstPadProbeReturn
single_segment_probe (GstPad          *pad,
                      GstPadProbeInfo *info,
                      gpointer         user_data)
{
  GstSegment *segment = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    {
      GstBuffer *buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));

      if (segment->format == GST_FORMAT_TIME && GST_BUFFER_PTS_IS_VALID (buffer))
        GST_BUFFER_PTS (buffer) = gst_segment_to_running_time (segment, GST_FORMAT_TIME,
                                                               GST_BUFFER_PTS (buffer));
      GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
      info->data = buffer;
      return GST_PAD_PROBE_OK;
    }

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_SEGMENT)
    {
      const GstSegment *incoming;
      gboolean first = segment->format == GST_FORMAT_UNDEFINED;

      gst_event_parse_segment (GST_PAD_PROBE_INFO_EVENT (info), &incoming);
      gst_segment_copy_into (incoming, segment);
      if (!first)
        return GST_PAD_PROBE_DROP;
      {
        GstSegment start;

        gst_segment_init (&start, GST_FORMAT_TIME);
        gst_event_unref (GST_PAD_PROBE_INFO_EVENT (info));
        info->data = gst_event_new_segment (&start);
      }
    }
  return GST_PAD_PROBE_OK;
}

static void
add_single_segment_probe (GstPad *pad)
{
  GstSegment *segment = gst_segment_new ();

  segment->format = GST_FORMAT_UNDEFINED;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                     single_segment_probe, segment, (GDestroyNotify) gst_segment_free);
}

/* ---- Finishing: captions, signing, publishing, in a worker thread ---- */

static gboolean
write_captions (ExportJob *job,
                GError   **error)
{
  ReelOverlay *overlay = reel_sequence_get_overlay (job->sequence);
  g_autofree char *vtt_path = NULL;
  g_autofree char *srt_path = NULL;
  g_autofree char *vtt = NULL;
  g_autofree char *srt = NULL;

  if (job->options.captions == REEL_EXPORT_CAPTIONS_NONE
      || reel_overlay_get_n_captions (overlay) == 0)
    return TRUE;
  vtt_path = reel_export_sibling_path (job->output_path, "vtt");
  srt_path = reel_export_sibling_path (job->output_path, "srt");
  vtt = reel_overlay_to_webvtt (overlay);
  srt = reel_overlay_to_srt (overlay);
  return g_file_set_contents (vtt_path, vtt, -1, error)
         && g_file_set_contents (srt_path, srt, -1, error);
}

static void
fill_manifest (ExportJob            *job,
               ReelC2paManifestDesc *desc,
               GArray               *actions)
{
  ReelC2paAction created = {
    .kind = REEL_C2PA_ACTION_CREATED,
    .description = "Generated by Reel's video model",
    .ai_generated = TRUE,
    .ingredient = -1,
  };

  g_array_append_val (actions, created);
  for (guint i = 0; i < job->ingredients->len; i++)
    {
      ReelC2paAction placed = {
        .kind = REEL_C2PA_ACTION_PLACED,
        .description = "Take placed in the cut",
        .ai_generated = TRUE,
        .ingredient = (int) i,
      };

      g_array_append_val (actions, placed);
    }
  desc->title = job->title;
  desc->actions = (const ReelC2paAction *) actions->data;
  desc->n_actions = actions->len;
  desc->ingredients = (const ReelC2paIngredient *) job->ingredients->data;
  desc->n_ingredients = job->ingredients->len;
  desc->model_name = "Reel";
}

static gboolean
sign_and_publish (ExportJob    *job,
                  GCancellable *cancellable,
                  GError      **error)
{
  g_autoptr(ReelC2paIdentity) identity = NULL;
  g_autoptr(GArray) actions = g_array_new (FALSE, TRUE, sizeof (ReelC2paAction));
  g_autofree char *width = g_strdup_printf ("%d", reel_sequence_get_width (job->sequence));
  g_autofree char *height = g_strdup_printf ("%d", reel_sequence_get_height (job->sequence));
  ReelC2paParameter parameters[] = {
    { "width", width },
    { "height", height },
    { "fps", G_STRINGIFY (REEL_SEQUENCE_FPS) },
  };
  ReelC2paManifestDesc desc = { 0 };
  const char *publish = job->encoded_path;

  if (!write_captions (job, error))
    return FALSE;

  if (job->options.sign)
    {
      identity = reel_c2pa_identity_get_default (error);
      if (identity == NULL)
        return FALSE;
      fill_manifest (job, &desc, actions);
      desc.parameters = parameters;
      desc.manifest_label = job->manifest_label;
      desc.n_parameters = G_N_ELEMENTS (parameters);
      if (job->options.format == REEL_EXPORT_FORMAT_MP4)
        {
          job->signed_path = make_temp_path (job->output_path, ".signed", error);
          if (job->signed_path == NULL
              || !reel_c2pa_sign_mp4_file (job->encoded_path, job->signed_path, &desc, identity,
                                           error))
            return FALSE;
          publish = job->signed_path;
        }
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (g_rename (publish, job->output_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not save the export as %s: %s."), job->output_path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  /* Published: the other temporary file (the unsigned encoding) goes now, not when the task
   * happens to be finalised. */
  if (publish == job->signed_path)
    {
      g_clear_pointer (&job->signed_path, g_free);
      remove_if_set (job->encoded_path);
    }
  g_clear_pointer (&job->encoded_path, g_free);

  /* A WebM cannot hold the manifest: it goes beside the published file, over its bytes. */
  if (job->options.sign && job->options.format == REEL_EXPORT_FORMAT_WEBM)
    {
      g_autofree char *sidecar = reel_export_sibling_path (job->output_path, "c2pa");

      if (!reel_c2pa_sign_sidecar (job->output_path, sidecar, &desc, identity, error))
        {
          /* No unsigned export under the final name. */
          remove_if_set (job->output_path);
          return FALSE;
        }
    }
  return TRUE;
}

static void
finish_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (sign_and_publish (job, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ---- Encoding, on the caller's main context ---- */

static void
export_job_complete (GTask  *task,
                     GError *error)
{
  /* The sources hold the task; stopping drops their references. */
  g_autoptr(GTask) hold = g_object_ref (task);
  ExportJob *job = g_task_get_task_data (task);

  if (job->done)
    {
      g_clear_error (&error);
      return;
    }
  job->done = TRUE;
  export_job_stop (job);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_run_in_thread (task, finish_thread);
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  GTask *task = user_data;
  ExportJob *job = g_task_get_task_data (task);

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      if (job->progress != NULL)
        job->progress (reel_sequence_get_duration (job->sequence),
                       reel_sequence_get_duration (job->sequence), job->progress_data);
      export_job_complete (task, NULL);
      return G_SOURCE_REMOVE;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &gst_error, &debug);
        g_debug ("Export pipeline error from %s: %s", GST_MESSAGE_SRC_NAME (message), debug);
        export_job_complete (task, g_error_new (REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PIPELINE,
                                                _("Encoding %s failed in %s: %s"),
                                                job->output_path, GST_MESSAGE_SRC_NAME (message),
                                                gst_error->message));
        return G_SOURCE_REMOVE;
      }

    default:
      return G_SOURCE_CONTINUE;
    }
}

static gboolean
progress_cb (gpointer user_data)
{
  ExportJob *job = g_task_get_task_data (user_data);
  gint64 position = 0;

  if (job->progress != NULL
      && gst_element_query_position (job->pipeline, GST_FORMAT_TIME, &position))
    job->progress (CLAMP (position, 0, reel_sequence_get_duration (job->sequence)),
                   reel_sequence_get_duration (job->sequence), job->progress_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  export_job_complete (user_data, error);
  return G_SOURCE_REMOVE;
}

static void
add_ingredient (ExportJob *job,
                ReelShot  *shot,
                ReelTake  *take)
{
  const char *video = reel_take_get_video (take);
  ReelC2paIngredient ingredient = {
    .format = g_str_has_suffix (video, ".webm") ? "video/webm" : "video/mp4",
    .relationship = REEL_C2PA_RELATIONSHIP_COMPONENT_OF,
  };
  char *title = g_strdup_printf ("%s — take %s", reel_shot_get_title (shot),
                                 reel_take_get_id (take));
  /* Media names are the sha256 of the file's bytes. */
  char *hash = g_strndup (video, 64);

  g_ptr_array_add (job->ingredient_titles, title);
  g_ptr_array_add (job->ingredient_hashes, hash);
  ingredient.title = title;
  ingredient.sha256 = hash;
  g_array_append_val (job->ingredients, ingredient);
}

static ReelSequence *
build_sequence (ExportJob *job,
                GError   **error)
{
  ReelProject *project = job->project;
  int width = job->options.width > 0 ? job->options.width : 1280;
  ReelShot *shot;
  ReelTake *take;

  if (job->options.shot < 0)
    {
      for (guint i = 0; i < reel_project_get_n_shots (project); i++)
        {
          shot = reel_project_get_shot (project, i);
          take = reel_shot_get_selected_take (shot);
          if (take != NULL && reel_take_get_video (take) != NULL)
            add_ingredient (job, shot, take);
        }
      return reel_sequence_new_for_project (project, width, error);
    }

  shot = reel_project_get_shot (project, (guint) job->options.shot);
  if (shot == NULL)
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NO_MEDIA,
                   _("There is no shot %d: the storyboard has %u shots."), job->options.shot + 1,
                   reel_project_get_n_shots (project));
      return NULL;
    }
  take = job->take_id != NULL ? reel_shot_find_take (shot, job->take_id)
                              : reel_shot_get_selected_take (shot);
  if (take == NULL)
    {
      if (job->take_id != NULL)
        g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NO_MEDIA,
                     _("Shot %d has no take “%s”. `reel info` lists the takes."),
                     job->options.shot + 1, job->take_id);
      else
        g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NO_MEDIA,
                     _("Shot %d has no selected take. Render it or choose a take with --take."),
                     job->options.shot + 1);
      return NULL;
    }
  if (reel_take_get_video (take) != NULL)
    add_ingredient (job, shot, take);
  return reel_sequence_new_for_take (project, shot, take, width, error);
}

static gboolean
start_pipeline (GTask     *task,
                ExportJob *job,
                GError   **error)
{
  g_autoptr(GstEncodingProfile) profile = make_profile (job->options.format);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstPad) video_pad = NULL;
  g_autoptr(GstPad) audio_pad = NULL;
  g_autofree char *short_id = reel_c2pa_short_id (job->manifest_label);
  GstElement *encodebin, *filesink;
  ReelOverlay *overlay;

  /* Every export carries the mark, so a label it cannot show is refused before encoding. */
  if (short_id == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot export %s with the manifest label \"%s\": a label is \"urn:c2pa:\" "
                   "followed by a uuid; leave it unset to get a fresh one",
                   job->output_path, job->manifest_label);
      return FALSE;
    }
  overlay = reel_sequence_get_overlay (job->sequence);
  reel_overlay_set_watermark (overlay, short_id);
  reel_overlay_set_burn_captions (overlay, job->options.captions == REEL_EXPORT_CAPTIONS_BURN);

  job->encoded_path = make_temp_path (job->output_path, ".part", error);
  if (job->encoded_path == NULL)
    return FALSE;

  job->pipeline = gst_object_ref_sink (gst_pipeline_new ("reel-export"));
  encodebin = gst_element_factory_make ("encodebin", NULL);
  filesink = gst_element_factory_make ("filesink", NULL);
  if (encodebin == NULL || filesink == NULL)
    {
      gst_clear_object (&encodebin);
      gst_clear_object (&filesink);
      g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_PLUGIN,
                           _("GStreamer’s encodebin or filesink is missing. Install "
                             "gstreamer1.0-plugins-base and gstreamer1.0-plugins-good."));
      return FALSE;
    }
  g_object_set (encodebin, "profile", profile, NULL);
  g_object_set (filesink, "location", job->encoded_path, NULL);
  g_signal_connect (job->pipeline, "deep-element-added", G_CALLBACK (deep_element_added_cb),
                    NULL);
  gst_bin_add_many (GST_BIN (job->pipeline), encodebin, filesink, NULL);
  video_pad = gst_element_request_pad_simple (encodebin, "video_%u");
  audio_pad = gst_element_request_pad_simple (encodebin, "audio_%u");
  if (video_pad == NULL || audio_pad == NULL || !gst_element_link (encodebin, filesink))
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_PLUGIN,
                   _("No encoder for %s is installed. Install %s."),
                   job->options.format == REEL_EXPORT_FORMAT_MP4 ? "H.264/AAC in MP4"
                                                                 : "VP9/Opus in WebM",
                   job->options.format == REEL_EXPORT_FORMAT_MP4
                   ? "gstreamer1.0-plugins-ugly (x264enc) and gstreamer1.0-plugins-bad"
                   : "gstreamer1.0-plugins-good (vp9enc, webmmux) and "
                     "gstreamer1.0-plugins-base (opusenc)");
      return FALSE;
    }
  if (!reel_sequence_link (job->sequence, GST_PIPELINE (job->pipeline), video_pad, audio_pad,
                           error))
    return FALSE;
  add_single_segment_probe (video_pad);
  add_single_segment_probe (audio_pad);

  bus = gst_pipeline_get_bus (GST_PIPELINE (job->pipeline));
  job->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (job->bus_source, (GSourceFunc) G_CALLBACK (bus_cb), g_object_ref (task),
                         g_object_unref);
  g_source_attach (job->bus_source, g_task_get_context (task));
  job->progress_source = g_timeout_source_new (100);
  g_source_set_callback (job->progress_source, progress_cb, g_object_ref (task),
                         g_object_unref);
  g_source_attach (job->progress_source, g_task_get_context (task));
  if (g_task_get_cancellable (task) != NULL)
    {
      job->cancel_source = g_cancellable_source_new (g_task_get_cancellable (task));
      g_source_set_callback (job->cancel_source, (GSourceFunc) G_CALLBACK (cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (job->cancel_source, g_task_get_context (task));
    }

  if (gst_element_set_state (job->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PIPELINE,
                   _("The encoder for %s would not start."), job->output_path);
      return FALSE;
    }
  return TRUE;
}

static ExportJob *
export_job_new (ReelProject             *project,
                const char              *output_path,
                const ReelExportOptions *options,
                ReelExportProgressFunc   progress,
                gpointer                 progress_data)
{
  ExportJob *job = g_new0 (ExportJob, 1);
  g_autofree char *base = NULL;

  job->project = g_object_ref (project);
  job->output_path = g_canonicalize_filename (output_path, NULL);
  job->options = *options;
  job->take_id = g_strdup (options->take_id);
  job->options.take_id = NULL;
  job->progress = progress;
  job->progress_data = progress_data;
  job->ingredient_titles = g_ptr_array_new_with_free_func (g_free);
  job->ingredient_hashes = g_ptr_array_new_with_free_func (g_free);
  job->ingredients = g_array_new (FALSE, TRUE, sizeof (ReelC2paIngredient));
  /* The label is chosen before encoding: the mark drawn into every frame shows its short id,
   * which is how a viewer finds the manifest that belongs to a copy. */
  job->manifest_label = options->manifest_label != NULL ? g_strdup (options->manifest_label)
                                                        : reel_c2pa_manifest_label_new ();
  job->options.manifest_label = NULL;
  base = g_path_get_basename (job->output_path);
  job->title = g_strdup_printf ("%s (%s)", reel_project_get_title (project), base);
  return job;
}

/* Takes @job; builds its sequence first unless that was done already. */
static GTask *
export_start (ExportJob           *job,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (job->project, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, reel_export_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_task_data (task, job, export_job_free);

  if (!reel_media_init (&error)
      || (job->sequence == NULL && (job->sequence = build_sequence (job, &error)) == NULL)
      || !start_pipeline (task, job, &error))
    {
      job->done = TRUE;
      export_job_stop (job);
      g_task_return_error (task, error);
    }
  return task;
}

void
reel_export_async (ReelProject             *project,
                   const char              *output_path,
                   const ReelExportOptions *options,
                   GCancellable            *cancellable,
                   ReelExportProgressFunc   progress,
                   gpointer                 progress_data,
                   GAsyncReadyCallback      callback,
                   gpointer                 user_data)
{
  g_return_if_fail (REEL_IS_PROJECT (project));
  g_return_if_fail (output_path != NULL);
  g_return_if_fail (options != NULL);

  g_object_unref (export_start (export_job_new (project, output_path, options, progress,
                                                progress_data),
                                cancellable, callback, user_data));
}

gboolean
reel_export_finish (ReelProject  *project,
                    GAsyncResult *result,
                    GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, project), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
reel_export_sync (ReelProject             *project,
                  const char              *output_path,
                  const ReelExportOptions *options,
                  GCancellable            *cancellable,
                  ReelExportProgressFunc   progress,
                  gpointer                 progress_data,
                  GError                 **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTask) task = NULL;
  ExportJob *job;
  gboolean ok;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (output_path != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The cut is built before the private context is pushed: GES's discoverer stays bound to
   * the context of its first use (see reel-sequence.c), which must outlive this call. */
  if (!reel_media_init (error))
    return FALSE;
  job = export_job_new (project, output_path, options, progress, progress_data);
  job->sequence = build_sequence (job, error);
  if (job->sequence == NULL)
    {
      export_job_free (job);
      return FALSE;
    }

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  task = export_start (job, cancellable, sync_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  ok = reel_export_finish (project, result, error);
  g_main_context_pop_thread_default (context);
  return ok;
}
