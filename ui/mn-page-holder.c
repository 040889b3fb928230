/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mn-page-holder.h"

struct _MnPageHolder
{
  GtkWidget parent_instance;
};

static void mn_page_holder_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MnPageHolder, mn_page_holder, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE,
                                                      mn_page_holder_buildable_init))

static GtkBuildableIface *parent_buildable;

static void
mn_page_holder_add_child (GtkBuildable *buildable,
                          GtkBuilder   *builder,
                          GObject      *child,
                          const char   *type)
{
  if (GTK_IS_WIDGET (child))
    gtk_widget_set_parent (GTK_WIDGET (child), GTK_WIDGET (buildable));
  else
    parent_buildable->add_child (buildable, builder, child, type);
}

static void
mn_page_holder_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable = g_type_interface_peek_parent (iface);
  iface->add_child = mn_page_holder_add_child;
}

static void
mn_page_holder_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  /* Deliberately nothing: see the header. */
  *minimum = 0;
  *natural = 0;
}

static void
mn_page_holder_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min, nat;

      if (!gtk_widget_should_layout (child))
        continue;
      /* A child is measured before it is allocated; at the size it gets,
       * which is the size its pages were laid out at in advance. */
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
      gtk_widget_allocate (child, width, height, baseline, NULL);
    }
}

static void
mn_page_holder_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (mn_page_holder_parent_class)->dispose (object);
}

static void
mn_page_holder_class_init (MnPageHolderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_page_holder_dispose;
  widget_class->measure = mn_page_holder_measure;
  widget_class->size_allocate = mn_page_holder_size_allocate;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
mn_page_holder_init (MnPageHolder *self)
{
}
