from django.urls import path

from chitra.grievances import views

urlpatterns = [
    path("", views.ticket_list_view, name="ticket_list"),
    path("new/", views.ticket_new_view, name="ticket_new"),
    path("<int:pk>/", views.ticket_detail_view, name="ticket_detail"),
    path("<int:pk>/action/", views.ticket_action_view, name="ticket_action"),
]
