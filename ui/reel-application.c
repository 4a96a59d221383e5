#define G_LOG_DOMAIN "reel-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-application.h"

struct _ReelApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (ReelApplication, reel_application, ADW_TYPE_APPLICATION)

static void
reel_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
      gtk_window_set_title (window, _("Reel"));
      gtk_window_set_default_size (window, 1280, 800);
    }
  gtk_window_present (window);
}

static void
reel_application_class_init (ReelApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = reel_application_activate;
}

static void
reel_application_init (ReelApplication *self)
{
}

ReelApplication *
reel_application_new (void)
{
  return g_object_new (REEL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
